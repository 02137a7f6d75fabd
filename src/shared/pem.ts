/**
 * PEM text, scanned in one linear pass, and the limits on what Certdesk reads as certificate input.
 *
 * Every PEM split in Certdesk goes through `scanPem`. It walks the BEGIN and END markers left to right
 * with indexOf, never going back, and reads a label of at most 64 characters at each: time is linear in
 * the text whatever it holds (repeated BEGIN lines, BEGIN without END, one giant line, runs of dashes).
 * (The PKI domain's strict `parsePem` validates line by line with anchored per-line patterns, for
 * line-numbered errors: linear too, and in the same hostile-input tests.)
 * A lazy regex such as `-----BEGIN (.+)-----[\s\S]*?-----END \1-----` re-scans to the end of the text
 * for every BEGIN without its END, which took 28 s on a 1 MB file.
 *
 * Pure: no Node APIs (the renderer uses it too). `src/main/certs/pem.ts` adds DER decoding.
 */
import { AppError } from './errors'

/** The most Certdesk reads as one certificate input (file, paste, IPC), and the most PEM blocks or certificates in it. */
export const PEM_LIMITS = {
  /** 4 MiB: a certificate is about 1–2 KB and the whole Mozilla root bundle about 220 KB. */
  maxBytes: 4 * 1024 * 1024,
  /** The Mozilla bundle holds about 150 roots; a chain a handful. */
  maxBlocks: 1000,
  /**
   * The app's checker (lint:check) decodes and lints every certificate on the main process, about
   * 5–10 ms each: 200 keeps the window responsive. `certdesk lint` takes up to `maxBlocks`.
   */
  maxChecked: 200,
} as const

/** The most a PEM text field of an IPC request holds (an upload, an install): a chain is a few KB. */
export const MAX_PEM_FIELD_CHARS = 1_000_000
export const PEM_FIELD_TOO_LONG =
  'The PEM text is over 1 MB; a certificate, key or chain is far smaller. Check that this is the right file.'

/** Base64 characters of `maxBytes` bytes (DER sent over IPC as base64). */
export const MAX_BASE64_CHARS = Math.ceil(PEM_LIMITS.maxBytes / 3) * 4

export interface PemTextBlock {
  label: string
  /** The base64 between the BEGIN and END lines, RFC 1421 headers and all whitespace removed. */
  body: string
  /** RFC 1421 headers (`Proc-Type`, `DEK-Info`) of legacy OpenSSL-encrypted keys. */
  headers: Record<string, string>
  /** Offset of `-----BEGIN`. */
  start: number
  /** Offset just after the closing `-----` of the END line. */
  end: number
}

const DASHES = '-----'
const BEGIN = '-----BEGIN '
const END = '-----END '
const MAX_LABEL = 64

/** The label after BEGIN/END at `from`, up to its closing dashes; null unless it is 1–64 chars on one line. */
function readLabel(text: string, from: number): { label: string; end: number } | null {
  const limit = Math.min(text.length, from + MAX_LABEL + 1)
  for (let i = from; i < limit; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x2d /* - */) {
      return i > from && text.startsWith(DASHES, i) ? { label: text.slice(from, i), end: i + DASHES.length } : null
    }
    if (c === 0x0a || c === 0x0d) return null
  }
  return null
}

const HEADER = /^([A-Za-z-]+):[ \t]*(.*)$/

/** Splits RFC 1421 headers off the front of a block's content; returns them and the base64, whitespace removed. */
function splitBody(raw: string): { headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = {}
  let at = 0
  // Skip the rest of the BEGIN line.
  while (at < raw.length && (raw[at] === '\r' || raw[at] === '\n' || raw[at] === ' ' || raw[at] === '\t')) at++
  for (;;) {
    const nl = raw.indexOf('\n', at)
    const lineEnd = nl === -1 ? raw.length : nl
    const colon = raw.indexOf(':', at)
    if (colon === -1 || colon > lineEnd) break
    const header = HEADER.exec(raw.slice(at, lineEnd).trim())
    if (!header) break
    headers[header[1]!] = header[2]!
    at = lineEnd + 1
  }
  return { headers, body: (at === 0 ? raw : raw.slice(at)).replace(/\s+/g, '') }
}

/**
 * Every complete PEM block in `text`, in order. Text outside blocks is ignored (as OpenSSL does: people
 * paste `openssl x509 -text` output around it). A block is complete when its END line names the same
 * label; a BEGIN inside an open block, or an END naming another label, drops the open block.
 */
export function scanPem(text: string): PemTextBlock[] {
  const blocks: PemTextBlock[] = []
  let open: { label: string; start: number; bodyStart: number } | null = null
  // The next BEGIN and END markers at or after `at`, each searched again only once `at` has passed it:
  // every character is looked at a bounded number of times, so the scan is linear.
  let nextBegin = text.indexOf(BEGIN)
  let nextEnd = text.indexOf(END)
  let at = 0
  for (;;) {
    if (nextBegin !== -1 && nextBegin < at) nextBegin = text.indexOf(BEGIN, at)
    if (open && nextEnd !== -1 && nextEnd < at) nextEnd = text.indexOf(END, at)
    const endFirst = open !== null && nextEnd !== -1 && (nextBegin === -1 || nextEnd < nextBegin)
    if (endFirst) {
      const label = readLabel(text, nextEnd + END.length)
      at = nextEnd + 1
      if (label) {
        if (label.label === open!.label)
          blocks.push({ label: open!.label, ...splitBody(text.slice(open!.bodyStart, nextEnd)), start: open!.start, end: label.end })
        open = null
        at = label.end
      }
    } else if (nextBegin !== -1) {
      const label = readLabel(text, nextBegin + BEGIN.length)
      at = nextBegin + 1
      if (label) {
        open = { label: label.label, start: nextBegin, bodyStart: label.end }
        at = label.end
      }
    } else {
      return blocks
    }
  }
}

/** Every BEGIN line (label and offset), in order, whether or not its block is complete (a key cut short is still a key). */
export function pemBegins(text: string): Array<{ label: string; start: number }> {
  const begins: Array<{ label: string; start: number }> = []
  for (let at = text.indexOf(BEGIN); at !== -1; at = text.indexOf(BEGIN, at + 1)) {
    const label = readLabel(text, at + BEGIN.length)
    if (label) begins.push({ label: label.label, start: at })
  }
  return begins
}

/** The label of every BEGIN line, in order, whether or not its block is complete. */
export function pemBeginLabels(text: string): string[] {
  return pemBegins(text).map((b) => b.label)
}

/** Whether a PEM label names a private key (`PRIVATE KEY`, `RSA PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`…). */
export function isPrivateKeyLabel(label: string): boolean {
  return label.endsWith('PRIVATE KEY')
}

/** Whether the text holds a PEM BEGIN line (`-----BEGIN LABEL-----`) at all. */
export function looksLikePem(text: string): boolean {
  for (let at = text.indexOf(BEGIN); at !== -1; at = text.indexOf(BEGIN, at + 1)) {
    if (readLabel(text, at + BEGIN.length)) return true
  }
  return false
}

/** PEM of a base64 body: 64-column lines, `\n` line breaks and a final newline. */
export function wrapPem(base64: string, label: string): string {
  const body = base64.replace(/\s+/g, '')
  const lines: string[] = []
  for (let i = 0; i < body.length; i += 64) lines.push(body.slice(i, i + 64))
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`
}

/** Joins PEM texts into one, each ending in a newline. */
export function joinPem(pems: string[]): string {
  return pems.map((p) => (p.endsWith('\n') ? p : `${p}\n`)).join('')
}

// ---------------------------------------------------------------------------------------------
// Limits: refused with the size or count found, never silently truncated.

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`
}

const count = (n: number): string => n.toLocaleString('en-US')

/**
 * Refuses an input larger than `PEM_LIMITS.maxBytes` (call it before reading or decoding). `blocks`, when
 * the caller counted them without reading the whole input, is said too.
 */
export function checkPemInputSize(bytes: number, name = 'The input', blocks?: number): void {
  if (bytes <= PEM_LIMITS.maxBytes) return
  const holds = blocks ? ` and holds ${count(blocks)} PEM block${blocks === 1 ? '' : 's'}` : ''
  const most = blocks && blocks > PEM_LIMITS.maxBlocks ? ` and ${count(PEM_LIMITS.maxBlocks)} PEM blocks` : ''
  throw new AppError(
    'bad_input',
    `${name} is ${formatSize(bytes)}${holds}; Certdesk reads certificate files of at most ${formatSize(PEM_LIMITS.maxBytes)}${most}.`,
    {
      hint: 'A certificate is a few KB and even a large CA bundle is well under 1 MiB: check that this is the right file, or split it.',
      details: { reason: 'too_large', bytes, limit: PEM_LIMITS.maxBytes, ...(blocks ? { blocks } : {}) },
    },
  )
}

/** Refuses more than `PEM_LIMITS.maxBlocks` PEM blocks or certificates in one input. */
export function checkPemCount(found: number, what: 'PEM blocks' | 'certificates', name = 'The input'): void {
  if (found <= PEM_LIMITS.maxBlocks) return
  throw new AppError(
    'bad_input',
    `${name} holds ${count(found)} ${what}; Certdesk reads at most ${count(PEM_LIMITS.maxBlocks)} in one file.`,
    {
      hint: 'Split the bundle into smaller files (a chain needs only the leaf, its intermediates and the root).',
      details: { reason: 'too_many_blocks', found, limit: PEM_LIMITS.maxBlocks },
    },
  )
}

/** Refuses more certificates than the app's checker lints at once (`PEM_LIMITS.maxChecked`), pointing to the CLI. */
export function checkCheckedCount(found: number, name = 'The input'): void {
  if (found <= PEM_LIMITS.maxChecked) return
  throw new AppError(
    'bad_input',
    `${name} holds ${count(found)} certificates; the checker reads at most ${count(PEM_LIMITS.maxChecked)} at once.`,
    {
      hint: 'Check the chain you need (leaf, intermediates, root), or lint the whole bundle with `certdesk lint FILE`.',
      details: { reason: 'too_many_certificates', found, limit: PEM_LIMITS.maxChecked },
    },
  )
}
