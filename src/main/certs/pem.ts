/**
 * PEM for main and the CLI: the shared linear scanner (`src/shared/pem.ts`) plus DER <-> PEM, what each PEM
 * label holds, and the input-size check done before a file is read. Cheap to load (node:fs only): trust
 * stores and the CLI use it.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs'
import type { PkiKind } from '../../shared/pki-model'
import { PEM_LIMITS, checkPemInputSize, scanPem, wrapPem, type PemTextBlock } from '../../shared/pem'

export * from '../../shared/pem'

export interface PemDerBlock extends PemTextBlock {
  der: Buffer
}

/** What each PEM label holds (OpenSSL's labels and their legacy spellings). */
export const PEM_LABEL_KINDS: Readonly<Record<string, Exclude<PkiKind, 'chain'>>> = {
  CERTIFICATE: 'certificate',
  'TRUSTED CERTIFICATE': 'certificate',
  'X509 CERTIFICATE': 'certificate',
  'CERTIFICATE REQUEST': 'csr',
  'NEW CERTIFICATE REQUEST': 'csr',
  'PRIVATE KEY': 'private-key',
  'RSA PRIVATE KEY': 'private-key',
  'EC PRIVATE KEY': 'private-key',
  'ENCRYPTED PRIVATE KEY': 'encrypted-private-key',
  'PUBLIC KEY': 'public-key',
  'RSA PUBLIC KEY': 'public-key',
  PKCS7: 'pkcs7',
  CMS: 'pkcs7',
  PKCS12: 'pkcs12',
}

/** The labels a CSR is written under. */
export const CSR_LABELS = Object.keys(PEM_LABEL_KINDS).filter((label) => PEM_LABEL_KINDS[label] === 'csr')

/** What a PEM label holds, or undefined for a label Certdesk does not read. */
export function pemLabelKind(label: string): Exclude<PkiKind, 'chain'> | undefined {
  return PEM_LABEL_KINDS[label]
}

/** PEM of DER (a certificate unless `label` says otherwise): 64-column lines, `\n` breaks, a final newline. */
export function toPem(der: Uint8Array | ArrayBuffer, label = 'CERTIFICATE'): string {
  return wrapPem(Buffer.from(der instanceof ArrayBuffer ? new Uint8Array(der) : der).toString('base64'), label)
}

/** Every complete PEM block with its DER (Node's base64 decoder skips anything that is not base64). */
export function pemBlocks(text: string): PemDerBlock[] {
  return scanPem(text).map((block) => ({ ...block, der: Buffer.from(block.body, 'base64') }))
}

/** The DER of every `CERTIFICATE` block, in order. Other blocks are skipped. */
export function pemCertificates(text: string): Buffer[] {
  return scanPem(text)
    .filter((block) => block.label === 'CERTIFICATE')
    .map((block) => Buffer.from(block.body, 'base64'))
}

/** Files over the limit but under this size are still counted for the message, reading 1 MiB at a time. */
const COUNT_UP_TO = 256 * 1024 * 1024

/** How many `-----BEGIN ` markers a file holds, counted in bounded memory; null if unreadable. */
export function countPemBeginsInFile(path: string): number | null {
  const marker = Buffer.from('-----BEGIN ')
  const chunk = Buffer.alloc(1024 * 1024 + marker.length)
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch {
    return null
  }
  try {
    let found = 0
    let carry = 0
    for (;;) {
      const n = readSync(fd, chunk, carry, chunk.length - carry, null)
      if (n === 0) break
      const filled = carry + n
      for (let at = chunk.indexOf(marker, 0); at !== -1 && at + marker.length <= filled; at = chunk.indexOf(marker, at + 1)) found++
      // Keep the tail that could be the start of a marker cut by the chunk boundary.
      carry = Math.min(marker.length - 1, filled)
      chunk.copy(chunk, 0, filled - carry, filled)
    }
    return found
  } catch {
    return null
  } finally {
    closeSync(fd)
  }
}

/**
 * Refuses a file over the size limit from its size on disk, before reading it into memory; the message
 * says how many PEM blocks it holds. Missing files pass (the read that follows says so).
 */
export function checkPemFileSize(path: string, name = path): void {
  let size: number
  try {
    size = statSync(path).size
  } catch {
    return
  }
  if (size <= PEM_LIMITS.maxBytes) return
  checkPemInputSize(size, name, (size <= COUNT_UP_TO ? countPemBeginsInFile(path) : null) ?? undefined)
}
