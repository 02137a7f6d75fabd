/** The client-certificate search finds a certificate by its SHA-256 however it is written (drawer colon-hex, plain hex, any case). */
import { describe, expect, it } from 'vitest'
import { fingerprintHex, fingerprintMatches, stripFormatCharacters } from '../../../src/shared/fingerprint'

// Cloudflare returns fingerprint_sha256 as lower-case plain hex.
const stored = 'e91949aaddd81ec1202ad822bfa5f8fc1af7109fc75b69ab0031918b61b4bf1c'
const colon = stored.toUpperCase().match(/../g)!.join(':')

describe('fingerprint search', () => {
  it('matches the colon-hex form, plain hex in either case, a pasted fragment and a Windows-copied one', () => {
    expect(fingerprintMatches(stored, colon)).toBe(true)
    expect(fingerprintMatches(stored, colon.toLowerCase())).toBe(true)
    expect(fingerprintMatches(stored, stored.toUpperCase())).toBe(true)
    expect(fingerprintMatches(stored, 'AA:DD:D8:1E')).toBe(true)
    expect(fingerprintMatches(stored, `\u200e${colon}`)).toBe(true)
  })

  it('does not match other fingerprints, words, or fragments too short to mean anything', () => {
    expect(fingerprintMatches(stored, colon.replace('E9:19', 'E9:18'))).toBe(false)
    expect(fingerprintMatches(stored, 'ab')).toBe(false)
    expect(fingerprintMatches(stored, 'device-003')).toBe(false)
    expect(fingerprintMatches(undefined, colon)).toBe(false)
  })

  it('strips only Unicode format characters and names them', () => {
    expect(stripFormatCharacters('\u200eAB\u200bCD\ufeff')).toEqual({ text: 'ABCD', removed: ['U+200E', 'U+200B', 'U+FEFF'] })
    expect(fingerprintHex('\u200eab:cd ef-01')).toBe('ABCDEF01')
  })
})
