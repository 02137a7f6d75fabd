/**
 * Fingerprints as every tool writes them, reduced to one form: uppercase hex, no separators.
 * Cloudflare Gateway shows SHA-256 colon-hex where a byte may lose its leading zero
 * (`AB:0:31`), Access shows `MD5 Fingerprint=…`: both are normalised here.
 */
import { createHash } from 'node:crypto'
import { AppError } from '../../shared/errors'
import { fingerprintHex, invisibleCharactersNote, stripFormatCharacters } from '../../shared/fingerprint'
import type { FingerprintAlgorithm } from '../../shared/truststore-model'

export interface Fingerprint {
  algorithm: FingerprintAlgorithm
  hex: string
  /** Set when the input held invisible characters that were dropped (see shared/fingerprint). */
  note?: string
}

const LENGTHS: Record<number, FingerprintAlgorithm> = { 64: 'sha256', 40: 'sha1', 32: 'md5' }

/** Drops `:`, spaces, `-` and invisible characters, uppercases. No validation: for tool output already known to be hex. */
export function normalizeHex(text: string): string {
  return fingerprintHex(text)
}

export function digest(der: Uint8Array, algorithm: FingerprintAlgorithm): string {
  return createHash(algorithm).update(der).digest('hex').toUpperCase()
}

/** Parses a fingerprint typed or pasted by a person; throws `bad_input` when it is not one. */
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
    hex = normalizeHex(text)
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
