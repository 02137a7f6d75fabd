/**
 * Main-process log. Messages are passed through `redact` first: anything shaped like an API token,
 * a bearer header or a PEM private key is replaced, so a careless caller cannot write a secret.
 */
import { appendFileSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { isPrivateKeyLabel, pemBegins, scanPem } from '../shared/pem'

const PATTERNS: Array<[RegExp, string]> = [
  [/(authorization:\s*bearer\s+)\S+/gi, '$1[redacted]'],
  [/(bearer\s+)[A-Za-z0-9_-]{20,}/gi, '$1[redacted]'],
  [/(x-auth-key:\s*)\S+/gi, '$1[redacted]'],
  // Cloudflare API tokens: 40 URL-safe characters standing alone.
  [/(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{40}(?![A-Za-z0-9_-])/g, '[token redacted]'],
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
  return PATTERNS.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), redactPrivateKeys(text))
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
