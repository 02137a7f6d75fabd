/**
 * Main-process log. Messages are passed through `redact` first: every secret the app has loaded
 * (registered by the profile service as it reads or receives a token), anything shaped like an API
 * token, a bearer header or a PEM private key is replaced, so a careless caller cannot write a secret.
 */
import { appendFileSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { isPrivateKeyLabel, pemBegins, scanPem } from '../shared/pem'
import { TOKEN_MAX_LENGTH, TOKEN_MIN_LENGTH } from '../shared/model'

/** Secrets this process knows of exactly (API tokens); redacted wherever they appear, whatever their shape. */
const knownSecrets = new Set<string>()

/** Called wherever a token enters main (read from the keychain, typed into a new profile, a Sandbox token). */
export function registerSecret(secret: string): void {
  // Shorter strings are not secrets the app accepts, and would redact ordinary words.
  if (secret.length >= TOKEN_MIN_LENGTH) knownSecrets.add(secret)
}

const RUN = `[A-Za-z0-9_-]{${TOKEN_MIN_LENGTH},${TOKEN_MAX_LENGTH}}`
/** A standalone run of token characters, of any length a profile token may have. */
const TOKEN_RUN = new RegExp(`(?<![A-Za-z0-9_-])${RUN}(?![A-Za-z0-9_-])`, 'g')

/**
 * Token-shaped: any length the app accepts, and either exactly 40 characters (Cloudflare's own
 * tokens) or mixed letters and digits like a random token. Lower-case hex ids and fingerprints, UUIDs
 * and ordinary words stay readable.
 */
function looksLikeToken(run: string): boolean {
  if (run.length === 40) return true
  if (/^[0-9a-f-]+$/.test(run) || /^[0-9A-F-]+$/.test(run)) return false
  return /[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9]/.test(run)
}

const PATTERNS: Array<[RegExp, string]> = [
  [/(authorization:\s*bearer\s+)\S+/gi, '$1[redacted]'],
  [/(bearer\s+)[A-Za-z0-9_-]{20,}/gi, '$1[redacted]'],
  [/(x-auth-key:\s*)\S+/gi, '$1[redacted]'],
]

/**
 * Private-key PEM blocks become `[private key redacted]`, found by the linear scanner; a key cut short
 * (BEGIN without END) is redacted to the end of the text.
 */
function redactPrivateKeys(text: string): string {
  const begins = pemBegins(text).filter((b) => isPrivateKeyLabel(b.label))
  if (begins.length === 0) return text
  let out = ''
  let at = 0
  for (const block of scanPem(text)) {
    if (!isPrivateKeyLabel(block.label)) continue
    out += `${text.slice(at, block.start)}[private key redacted]`
    at = block.end
  }
  const cut = begins.find((b) => b.start >= at)
  return cut ? `${out}${text.slice(at, cut.start)}[private key redacted]` : `${out}${text.slice(at)}`
}

export function redact(text: string): string {
  let out = redactPrivateKeys(text)
  for (const secret of knownSecrets) out = out.split(secret).join('[token redacted]')
  out = PATTERNS.reduce((acc, [pattern, replacement]) => acc.replace(pattern, replacement), out)
  return out.replace(TOKEN_RUN, (run) => (looksLikeToken(run) ? '[token redacted]' : run))
}

export type Logger = (message: string, error?: unknown) => void

export function createLogger(file?: string): Logger {
  if (file) mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
  return (message, error) => {
    const detail = error instanceof Error ? ` ${error.stack ?? error.message}` : error === undefined ? '' : ` ${String(error)}`
    const line = redact(`${new Date().toISOString()} ${message}${detail}`)
    process.stderr.write(`${line}\n`)
    if (file) {
      try {
        appendFileSync(file, `${line}\n`, { mode: 0o600 })
      } catch {
        // The log must never take the app down.
      }
    }
  }
}
