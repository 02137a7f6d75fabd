// What path validation remembers (certificates parsed once by their bytes, from their second sighting;
// their decoded extensions; the verdicts on their signatures) never answers for other bytes: a
// certificate with the same names but another key, other bytes or a reused buffer gets its own verdict.
import { describe, expect, it } from 'vitest'
import { lintChain } from '../../../src/main/lint'
import { ByteKeyedCache } from '../../../src/main/lint/byte-cache'
import { buildContext } from '../../../src/main/lint/context'
import { validatePath } from '../../../src/main/lint/path'
import { parseCertificateShared } from '../../../src/main/lint/shared'
import { caExts, certificate, cn, leafExts, newKey, T0, type Key } from '../../support/chain-forge'

const [rk, otherRk, ik, otherIk, lk] = [newKey(), newKey(), newKey(), newKey(), newKey()] as [Key, Key, Key, Key, Key]
const ROOT = cn('Cache Root')
const INTER = cn('Cache Intermediate')
const root = (key: Key): Uint8Array => certificate({ subject: ROOT, issuer: ROOT, key, signer: key, exts: caExts(key, key) })
const inter = (signer: Key): Uint8Array => certificate({ subject: INTER, issuer: ROOT, key: ik, signer, exts: caExts(ik, rk) })
const leaf = (signer: Key): Uint8Array =>
  certificate({ subject: cn('device-1.example.test'), issuer: INTER, key: lk, signer, serial: 7, exts: leafExts(lk, ik) })

/** Path validation as a fleet scan runs it: shared parses, kept facts, remembered signature verdicts. */
function verdict(ders: Uint8Array[]): string[] {
  const path = ders.map((der, i) =>
    buildContext(parseCertificateShared(der), { now: T0, expiringDays: 30, expectCa: i > 0, lastInChain: i === ders.length - 1 }),
  )
  return validatePath(path, { at: T0, purpose: 'server' }).map((f) => `${f.ruleId}@${f.index}`)
}

describe('remembered verdicts', () => {
  it('verify a CA of the same name but another key afresh, in either order', () => {
    const [genuine, impostor, i] = [root(rk), root(otherRk), inter(rk)]
    const l = leaf(ik)
    for (let round = 0; round < 3; round++) {
      expect(verdict([l, i, genuine])).toEqual([])
      expect(verdict([l, i, impostor])).toEqual(['chain.signature.invalid@1'])
    }
    expect(verdict([l, i, impostor])).toEqual(['chain.signature.invalid@1'])
    expect(verdict([l, i, genuine])).toEqual([])
  })

  it('verify a leaf with the same names and serial but signed by another key afresh', () => {
    const [r, i] = [root(rk), inter(rk)]
    const [real, forged] = [leaf(ik), leaf(otherIk)]
    expect(verdict([real, i, r])).toEqual([])
    expect(verdict([forged, i, r])).toEqual(['chain.signature.invalid@0'])
    expect(verdict([real, i, r])).toEqual([])
    // The chain lint goes through the same shared parses and says the same.
    expect(lintChain([forged, i, r], { now: new Date(T0) }).chainFindings.map((f) => f.ruleId)).toContain('chain.signature.invalid')
    expect(lintChain([real, i, r], { now: new Date(T0) }).passed).toBe(true)
    expect([verdict([forged, i, r]), verdict([real, i, r])]).toEqual([['chain.signature.invalid@0'], []])
  })

  it('see a change made to a buffer after it was checked (the cache keeps its own copy)', () => {
    const [r, i] = [root(rk), inter(rk)]
    const buffer = Buffer.from(leaf(ik))
    expect(verdict([buffer, i, r])).toEqual([])
    expect(verdict([buffer, i, r])).toEqual([]) // the second sighting: kept, and its verdict with it
    const before = parseCertificateShared(buffer)
    expect(parseCertificateShared(buffer)).toBe(before)
    // Signed bytes change (the subject's CN: still DER) while the signature at the end stays the same.
    const at = buffer.indexOf('device-1') + 'device-'.length
    buffer[at] = 0x32
    expect(verdict([buffer, i, r])).toEqual(['chain.signature.invalid@0'])
    expect(parseCertificateShared(buffer)).not.toBe(before)
    expect(parseCertificateShared(buffer).subjectRaw).not.toEqual(before.subjectRaw)
    buffer[at] = 0x31
    expect(verdict([buffer, i, r])).toEqual([])
    expect(parseCertificateShared(buffer).subjectRaw).toEqual(before.subjectRaw)
  })

  it('build each context with its own options from the facts kept for a shared certificate', () => {
    const der = leaf(ik)
    parseCertificateShared(der)
    const cert = parseCertificateShared(der)
    expect(parseCertificateShared(der)).toBe(cert)
    const asLeaf = buildContext(cert, { now: T0, expiringDays: 30, expectCa: false })
    const asCa = buildContext(cert, { now: T0, expiringDays: 30, expectCa: true, lastInChain: true })
    expect([asLeaf.treatAsCa, asLeaf.isLast, asCa.treatAsCa, asCa.isLast]).toEqual([false, false, true, true])
    expect(asCa.san).toBe(asLeaf.san)
  })
})

describe('shared parses', () => {
  it('keep a certificate from its second sighting, so one seen once is not held', () => {
    const der = leaf(ik)
    const first = parseCertificateShared(der)
    const second = parseCertificateShared(der)
    expect(second).not.toBe(first)
    expect(parseCertificateShared(der)).toBe(second)
    expect(second.der).not.toBe(der) // its own copy
    expect(second.der).toEqual(first.der)
  })
})

describe('ByteKeyedCache', () => {
  it('answers only for the exact bytes, even when the sampled tail and length are the same', () => {
    const cache = new ByteKeyedCache<string>(10)
    const a = Buffer.alloc(64, 7) // a Buffer, whose slice() is a view, not a copy
    const b = new Uint8Array(a)
    b[0] = 8 // differs before the sampled tail
    cache.set('a', a)
    expect(cache.get(new Uint8Array(a))).toBe('a')
    expect(cache.get(b)).toBeUndefined()
    expect(cache.get(a, new Uint8Array([1]))).toBeUndefined()
    a[0] = 9 // the caller's buffer changes (outside the sampled tail); the entry keeps the bytes it was stored under
    expect(cache.get(a)).toBeUndefined()
    a[0] = 7
    expect(cache.get(a)).toBe('a')
  })

  it('stays within its limit and keeps what is in use', () => {
    const cache = new ByteKeyedCache<number>(8)
    const key = (n: number): Uint8Array => new Uint8Array([n >> 8, n & 0xff])
    for (let n = 0; n < 1_000; n++) {
      cache.set(n, key(n))
      expect(cache.get(key(0))).toBe(0) // in use all along
      expect(cache.size).toBeLessThanOrEqual(8)
    }
    expect(cache.get(key(1))).toBeUndefined()
    expect(cache.get(key(999))).toBe(999)
  })
})
