/**
 * Certificate fingerprints: computed from the DER in every form a tool shows, and read back from any
 * form a person or a tool writes, through one parser. Cheap to load (node:crypto only): the trust
 * stores and the CLI use it.
 *
 * Forms: bare hex (NSS certutil, Windows thumbprint: SHA-1 uppercase), spaced pairs (macOS Keychain
 * Access), colon-hex (Cloudflare dashboard and API; Gateway may drop a byte's leading zero, `AB:0:31`),
 * `MD5 Fingerprint=AA:…` (Cloudflare Access), and any of them with invisible characters pasted from the
 * Windows certificate dialog (`src/shared/fingerprint.ts` strips those).
 */
import { createHash } from 'node:crypto'
import { AppError } from '../../shared/errors'
import { fingerprintHex, invisibleCharactersNote, stripFormatCharacters } from '../../shared/fingerprint'
import type { Fingerprints } from '../../shared/lint-model'
import type { FingerprintAlgorithm } from '../../shared/truststore-model'
import { scanPem } from './pem'

export { fingerprintHex }

export interface Fingerprint {
  algorithm: FingerprintAlgorithm
  hex: string
  /** Set when the input held invisible characters that were dropped. */
  note?: string
}

const LENGTHS: Record<number, FingerprintAlgorithm> = { 64: 'sha256', 40: 'sha1', 32: 'md5' }

/** Uppercase hex of the DER's digest, no separators. */
export function digest(der: Uint8Array, algorithm: FingerprintAlgorithm): string {
  return createHash(algorithm).update(der).digest('hex').toUpperCase()
}

const pairs = (hex: string): string[] => hex.toUpperCase().match(/../g) ?? []

/** `ABCD…` → `AB:CD:…` (Cloudflare's form). */
export function colonHex(hex: string): string {
  return pairs(hex).join(':')
}

/** SHA-256, SHA-1 and MD5 of the DER in the forms Windows, macOS, Cloudflare and Access show. */
export function fingerprintForms(der: Uint8Array): Fingerprints {
  const sha256 = createHash('sha256').update(der).digest('hex')
  const sha1 = createHash('sha1').update(der).digest('hex')
  const md5 = createHash('md5').update(der).digest('hex')
  return {
    sha256,
    sha1,
    md5,
    windowsThumbprint: sha1.toUpperCase(),
    macosSha256: pairs(sha256).join(' '),
    macosSha1: pairs(sha1).join(' '),
    cloudflareSha256: colonHex(sha256),
    cloudflareMd5: `MD5 Fingerprint=${colonHex(md5)}`,
  }
}

/** Parses a fingerprint typed, pasted or printed by a tool, in any form above; throws `bad_input` when it is not one. */
export function parseFingerprint(input: string): Fingerprint {
  const { text: visible, removed } = stripFormatCharacters(input)
  const note = invisibleCharactersNote(removed)
  let text = visible.trim()
  let named: FingerprintAlgorithm | undefined
  const prefixed = /^(sha-?256|sha-?1|md5)\s*(?:fingerprint)?\s*[=:]\s*(.*)$/i.exec(text)
  if (prefixed?.[1] !== undefined && prefixed[2] !== undefined) {
    named = prefixed[1].toLowerCase().replace('-', '') as FingerprintAlgorithm
    text = prefixed[2].trim()
  }
  let hex: string
  if (text.includes(':')) {
    // Pad each byte: Gateway writes `0` for `00` and `B` for `0B`.
    const parts = text.split(':').map((p) => p.trim())
    if (parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) throw badFingerprint(input)
    hex = parts
      .map((p) => p.padStart(2, '0'))
      .join('')
      .toUpperCase()
  } else {
    hex = fingerprintHex(text)
    if (!/^[0-9A-F]+$/.test(hex)) throw badFingerprint(input)
  }
  const algorithm = LENGTHS[hex.length]
  if (!algorithm) throw badFingerprint(input, `it has ${hex.length / 2} bytes; SHA-256 has 32, SHA-1 20, MD5 16`)
  if (named && named !== algorithm) throw badFingerprint(input, `it is labelled ${named} but has the length of ${algorithm}`)
  return { algorithm, hex, ...(note ? { note } : {}) }
}

function badFingerprint(input: string, why?: string): AppError {
  const shown = input.length > 120 ? `${input.slice(0, 120)}…` : input
  return new AppError('bad_input', `"${shown}" is not a certificate fingerprint${why ? `: ${why}` : ''}.`, {
    hint: 'Give a SHA-256 (64 hex digits), SHA-1 (40) or MD5 (32) fingerprint, with or without colons, or a certificate file.',
  })
}

/** A SHA-256 fingerprint in any form as Cloudflare's colon-hex (two digits a byte, uppercase); null when it is not one. */
export function normaliseFingerprint(text: string): string | null {
  try {
    const fp = parseFingerprint(text)
    return fp.algorithm === 'sha256' ? colonHex(fp.hex) : null
  } catch {
    return null
  }
}

/** Whether two texts name the same SHA-256 fingerprint, whatever their forms. */
export function sameFingerprint(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false
  const x = normaliseFingerprint(a)
  return x !== null && x === normaliseFingerprint(b)
}

/** SHA-256 of a certificate's DER as Cloudflare's colon-hex. */
export function fingerprintOfDer(der: Uint8Array): string {
  return colonHex(digest(der, 'sha256'))
}

/** SHA-256 colon-hex of the first certificate of a PEM text (or of bare base64). */
export function fingerprintOfPem(pem: string): string {
  const block = scanPem(pem).find((b) => b.label === 'CERTIFICATE')
  return fingerprintOfDer(Buffer.from(block ? block.body : pem.replace(/\s+/g, ''), 'base64'))
}
