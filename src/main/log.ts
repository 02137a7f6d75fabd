/**
 * Main-process log. Messages are passed through `redact` first: anything shaped like an API token,
 * a bearer header or a PEM private key is replaced, so a careless caller cannot write a secret.
 */
import { appendFileSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

const PATTERNS: Array<[RegExp, string]> = [
  [/-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----/g, '[private key redacted]'],
  [/(authorization:\s*bearer\s+)\S+/gi, '$1[redacted]'],
  [/(bearer\s+)[A-Za-z0-9_-]{20,}/gi, '$1[redacted]'],
  [/(x-auth-key:\s*)\S+/gi, '$1[redacted]'],
  // Cloudflare API tokens: 40 URL-safe characters standing alone.
  [/(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{40}(?![A-Za-z0-9_-])/g, '[token redacted]'],
]

export function redact(text: string): string {
  return PATTERNS.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text)
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
