// The lean DER reader against Node's X509Certificate (OpenSSL) on every root of the system bundle,
// and against fast-check mutations of real certificates: it returns or throws DerError, never
// anything else, and never hangs.
import { X509Certificate } from 'node:crypto'
import * as x509 from '@peculiar/x509'
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DerError, decodeOid, parseCertificate, readTlv, toHex } from '../../../src/main/lint/der'
import { oid } from '../../../src/main/pki/der-writer'
import { inspectCertificate, lintCertificate, lintChain } from '../../../src/main/lint'
import { AppError } from '../../../src/shared/errors'
import { LINT_PROFILES } from '../../../src/shared/lint-model'

const BUNDLE = '/etc/ssl/certs/ca-certificates.crt'
function bundleDers(): Uint8Array[] {
  const text = readFileSync(BUNDLE, 'utf8')
  return [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map(
    (m) => new Uint8Array(Buffer.from(m[1]!, 'base64')),
  )
}

const ders = bundleDers()

describe('der reader', () => {
  it('reads every root in the system bundle the way OpenSSL does', () => {
    expect(ders.length).toBeGreaterThan(50)
    for (const der of ders) {
      const parsed = parseCertificate(der)
      const node = new X509Certificate(der)
      expect(BigInt(`0x${toHex(parsed.serial)}`)).toBe(BigInt(`0x${node.serialNumber}`))
      expect(parsed.notAfter.ms).toBe(new Date(node.validTo).getTime())
      expect(parsed.notBefore.ms).toBe(new Date(node.validFrom).getTime())
      expect(parsed.subjectEmpty).toBe(node.subject === '')
      const key = node.publicKey
      const details = key.asymmetricKeyDetails
      if (key.asymmetricKeyType === 'rsa') expect(parsed.publicKey.bits).toBe(details?.modulusLength)
      if (key.asymmetricKeyType === 'ec')
        expect(parsed.publicKey.bits).toBe({ prime256v1: 256, secp384r1: 384, secp521r1: 521 }[details?.namedCurve ?? ''])
      // Every extension is read, in order, with its OID and criticality (the @peculiar/x509 decoder agrees).
      const reference = new x509.X509Certificate(der).extensions
      expect((parsed.extensions ?? []).map((e) => [e.oid, e.critical])).toEqual(reference.map((e) => [e.type, e.critical]))
    }
  })

  it('lints every root in the system bundle under every profile without an exception', () => {
    for (const der of ders) for (const profile of LINT_PROFILES) expect(lintCertificate(der, { profile }).findings).toBeInstanceOf(Array)
  })

  it('reads each object identifier by its bytes, also when a buffer is reused for another of the same length', () => {
    const arcs = fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 39 }), fc.array(fc.nat(), { maxLength: 6 }))
    const text = ([a, b, rest]: [number, number, number[]]): string => [a, b, ...rest].join('.')
    fc.assert(
      fc.property(arcs, arcs, (x, y) => {
        const [tx, ty] = [text(x), text(y)]
        const buffer = Buffer.from(oid(tx))
        const read = (): string => decodeOid(buffer, readTlv(buffer, 0, buffer.length))
        expect([read(), read()]).toEqual([tx, tx])
        const other = oid(ty)
        if (other.length !== buffer.length) return
        other.copy(buffer)
        expect(read()).toBe(ty)
      }),
      { numRuns: 2_000 },
    )
  })

  it('names the problem for garbage', () => {
    const cases: [Uint8Array, string][] = [
      [new Uint8Array([]), 'truncated'],
      [new Uint8Array([0x04, 0x01, 0x00]), 'not_certificate'],
      [new Uint8Array([0x30, 0x80, 0x00, 0x00]), 'indefinite_length'],
      [new Uint8Array([0x30, 0x85, 1, 1, 1, 1, 1]), 'bad_length'],
      [new Uint8Array([0x30, 0x10, 0x30]), 'truncated'],
      [Uint8Array.from([...ders[0]!, 0]), 'trailing_data'],
    ]
    for (const [input, reason] of cases) {
      try {
        parseCertificate(input)
        expect.unreachable(`expected ${reason}`)
      } catch (error) {
        expect(error).toBeInstanceOf(DerError)
        expect((error as DerError).reason).toBe(reason)
      }
      try {
        lintCertificate(input)
        expect.unreachable('lint must reject garbage')
      } catch (error) {
        expect(error).toBeInstanceOf(AppError)
        expect((error as AppError).code).toBe('bad_input')
        expect((error as AppError).message).toMatch(
          /^The certificate is damaged or not DER: (it is cut short, so part of it is missing|its structure is broken)\.$/,
        )
        expect((error as AppError).hint).toBeTruthy()
      }
    }
  })

  it('survives fuzzed DER: bit flips, truncations and length-byte changes never crash or hang', () => {
    const samples = ders.slice(0, 40)
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('length' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
    )
    fc.assert(
      fc.property(fc.nat({ max: samples.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (which, mutations) => {
        let der = Uint8Array.from(samples[which]!)
        for (const m of mutations) {
          const at = m.at % der.length
          if (m.kind === 'flip') der[at]! ^= 1 << m.bit
          else if (m.kind === 'truncate') der = der.subarray(0, at)
          else if (m.kind === 'insert') der = Uint8Array.from([...der.subarray(0, at), m.value, ...der.subarray(at)])
          else {
            // Length bytes follow a tag: hit the byte after a constructed/primitive tag position.
            der[Math.min(at | 1, der.length - 1)] = m.value
          }
          if (der.length === 0) break
        }
        const started = performance.now()
        const attempts: (() => unknown)[] = [
          ...LINT_PROFILES.map((profile) => () => lintCertificate(der, { profile })),
          () => lintChain([der, samples[(which + 1) % samples.length]!], { profile: 'python-strict' }),
        ]
        // The rich inspector is ~1 ms a certificate; fuzz it on a share of the runs.
        if (which % 4 === 0) attempts.push(() => inspectCertificate(der))
        for (const attempt of attempts) {
          try {
            attempt()
          } catch (error) {
            if (!(error instanceof AppError) || error.code !== 'bad_input') throw error
          }
        }
        expect(performance.now() - started).toBeLessThan(500)
      }),
      { numRuns: 3000, seed: 5280 },
    )
  })
})
