/**
 * detect/expectKind on every kind the app meets, as PEM and DER, PKCS#7 round trips that OpenSSL
 * reads, and property-based abuse (random bytes, truncated PEM, broken base64): every case ends in
 * a result or a specific AppError — never another exception or a hang.
 */
import * as fc from 'fast-check'
import { createPrivateKey } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { createIntermediateCa, createRootCa, signCsr } from '../../../src/main/pki/ca'
import { createCsr } from '../../../src/main/pki/csr'
import { detect, expectKind } from '../../../src/main/pki/detect'
import { joinPem, parsePem, privateKeyToPem, toPem } from '../../../src/main/pki/encode'
import { decodePkcs7, encodePkcs7, pkcs7ToPem } from '../../../src/main/pki/pkcs7'
import { exportPkcs12 } from '../../../src/main/pki/pkcs12'
import { exportPkcs8Der, exportSpkiDer, generateKey, shutdownKeyPool } from '../../../src/main/pki/keys'
import { openssl, tempDir } from '../../support/tools'

const dir = tempDir()
afterAll(async () => {
  dir.remove()
  await shutdownKeyPool()
})

let rootPem: string
let interPem: string
let leafPem: string
let csrPem: string
let keyDer: Uint8Array
let spkiDer: Uint8Array

beforeAll(async () => {
  const root = await createRootCa({ cn: 'Detect Root', keyType: 'ec-p256', days: 30 })
  const inter = await createIntermediateCa({
    cn: 'Detect Inter',
    keyType: 'ec-p256',
    days: 30,
    issuer: root.certificatePem,
    issuerKey: root.privateKey,
  })
  const keys = await generateKey('ec-p256')
  csrPem = (await createCsr({ keys, subject: { cn: 'detect-leaf' } })).pem
  leafPem = (await signCsr({ caCertPem: inter.certificatePem, caKey: inter.privateKey, csrPem, profile: 'client', days: 10 }))
    .certificatePem
  rootPem = root.certificatePem
  interPem = inter.certificatePem
  keyDer = await exportPkcs8Der(keys.privateKey)
  spkiDer = await exportSpkiDer(keys.publicKey)
})

const der = (pem: string) => parsePem(pem)[0]!.der

function expectAppError(fn: () => unknown, reason?: string, message?: RegExp | string): void {
  let thrown: unknown
  try {
    fn()
  } catch (error) {
    thrown = error
  }
  expect(thrown).toBeInstanceOf(AppError)
  const e = thrown as AppError
  expect(e.code).toBe('bad_input')
  expect(e.hint).toBeTruthy()
  if (reason) expect(e.details?.['reason']).toBe(reason)
  if (message) expect(e.message).toMatch(message)
}

describe('detect', () => {
  test('PEM and DER of every kind', async () => {
    const rsaPkcs1 = createPrivateKey({ key: Buffer.from(keyDer), format: 'der', type: 'pkcs8' })
    const cases: [string | Uint8Array, string, string][] = [
      [leafPem, 'certificate', 'pem'],
      [der(leafPem), 'certificate', 'der'],
      [joinPem([leafPem, interPem, rootPem]), 'chain', 'pem'],
      [csrPem, 'csr', 'pem'],
      [der(csrPem), 'csr', 'der'],
      [toPem(keyDer, 'PRIVATE KEY'), 'private-key', 'pem'],
      [keyDer, 'private-key', 'der'],
      [rsaPkcs1.export({ type: 'sec1', format: 'pem' }) as string, 'private-key', 'pem'],
      [new Uint8Array(rsaPkcs1.export({ type: 'sec1', format: 'der' })), 'private-key', 'der'],
      [privateKeyToPem(keyDer, 'pw'), 'encrypted-private-key', 'pem'],
      [der(privateKeyToPem(keyDer, 'pw')), 'encrypted-private-key', 'der'],
      [toPem(spkiDer, 'PUBLIC KEY'), 'public-key', 'pem'],
      [spkiDer, 'public-key', 'der'],
      [pkcs7ToPem(encodePkcs7([der(leafPem), der(interPem)])), 'pkcs7', 'pem'],
      [encodePkcs7([der(leafPem)]), 'pkcs7', 'der'],
      [new TextEncoder().encode(leafPem), 'certificate', 'pem'],
      [await exportPkcs12(keyDer, der(leafPem), { password: 'pw' }), 'pkcs12', 'der'],
      [await exportPkcs12(keyDer, der(leafPem), { password: 'pw', legacy: true }), 'pkcs12', 'der'],
    ]
    for (const [input, kind, format] of cases) {
      const found = detect(input)
      expect({ kind: found.kind, format: found.format }).toEqual({ kind, format })
    }
    expect(detect(joinPem([leafPem, interPem])).certificates).toHaveLength(2)
    expect(detect(joinPem([toPem(keyDer, 'PRIVATE KEY'), leafPem])).description).toBe('a private key and 1 certificate (PEM)')
  })

  test('a PEM pasted from a JSON API response, with literal \\n, is read', () => {
    const escaped = JSON.stringify(leafPem).slice(1, -1)
    expect(escaped).toContain('\\n')
    expect(detect(escaped).kind).toBe('certificate')
  })

  test('specific reasons for what it is not', () => {
    const lines = leafPem.split('\n')
    expectAppError(() => detect(lines.slice(0, 5).join('\n')), undefined, 'PEM block truncated: no END line for CERTIFICATE.')
    const broken = [...lines]
    broken[6] = broken[6]!.slice(0, 10) + '!' + broken[6]!.slice(11)
    expectAppError(() => detect(broken.join('\n')), undefined, 'The PEM block "CERTIFICATE" has invalid base64 at line 7.')
    const missing = [...lines]
    missing.splice(3, 1)
    expectAppError(() => detect(missing.join('\n')), 'damaged_content')
    expectAppError(() => detect(''), 'empty', 'The input is empty.')
    expectAppError(() => detect('hello world'), 'not_pem')
    expectAppError(() => detect(lines.slice(1, -2).join('\n')), 'base64_without_pem')
    expectAppError(
      () => detect('-----BEGIN X509 CRL-----\nMAA=\n-----END X509 CRL-----\n'),
      'unsupported_label',
      /certificate revocation list/,
    )
    expectAppError(
      () => detect('-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n'),
      'unsupported_label',
      /OpenSSH private key/,
    )
    expectAppError(() => detect(new Uint8Array([0x30, 0x82, 0xff, 0xff, 1, 2])), 'unrecognised_binary', /ASN.1 decoding failed/)
    expectAppError(() => detect(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x05])), 'unrecognised_binary', /matches none/)
    expectAppError(() => detect(new Uint8Array([...der(leafPem), 0, 0])), 'unrecognised_binary', /trailing data/)
  })

  test('expectKind names what it found and what was wanted', () => {
    expectAppError(
      () => expectKind(toPem(keyDer, 'PRIVATE KEY'), 'certificate'),
      'wrong_kind',
      'This is a private key; a certificate was expected.',
    )
    expectAppError(
      () => expectKind(joinPem([leafPem, rootPem]), 'certificate'),
      'wrong_kind',
      'This is a certificate chain; a certificate was expected.',
    )
    expect(expectKind(joinPem([leafPem, rootPem]), ['certificate', 'chain']).certificates).toHaveLength(2)
    expectAppError(
      () => expectKind(csrPem, ['private-key', 'encrypted-private-key'], 'the CA private key'),
      'wrong_kind',
      'This is a certificate signing request (CSR); the CA private key was expected.',
    )
  })
})

describe('PKCS#7', () => {
  test('written bundles are read by openssl, and ours reads what openssl writes', async () => {
    const certs = [der(leafPem), der(interPem), der(rootPem)]
    const p7 = dir.file('bundle.p7b', pkcs7ToPem(encodePkcs7(certs)))
    const printed = await openssl(['pkcs7', '-in', p7, '-print_certs', '-noout'])
    expect(printed.code, printed.stderr).toBe(0)
    expect(printed.stdout.match(/subject=/g)).toHaveLength(3)
    expect(printed.stdout).toContain('CN = detect-leaf')
    const chainFile = dir.file('chain.pem', joinPem([leafPem, rootPem]))
    const out = dir.file('openssl.p7b')
    expect((await openssl(['crl2pkcs7', '-nocrl', '-certfile', chainFile, '-outform', 'DER', '-out', out])).code).toBe(0)
    const { readFileSync } = await import('node:fs')
    const read = decodePkcs7(new Uint8Array(readFileSync(out)))
    expect(read.map((d) => Buffer.from(d).toString('hex'))).toEqual([der(leafPem), der(rootPem)].map((d) => Buffer.from(d).toString('hex')))
  })
})

describe('encrypted PKCS#8', () => {
  test('is PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC; openssl opens it with the password only', async () => {
    const file = dir.file('enc.pem', privateKeyToPem(keyDer, 'correct horse'))
    const asn = await openssl(['asn1parse', '-in', file])
    expect(asn.stdout).toContain(':PBES2')
    expect(asn.stdout).toContain(':PBKDF2')
    expect(asn.stdout).toContain(':hmacWithSHA256')
    expect(asn.stdout).toContain(':aes-256-cbc')
    const good = await openssl(['pkey', '-in', file, '-passin', 'env:P', '-noout'], { P: 'correct horse' })
    expect(good.code, good.stderr).toBe(0)
    const wrong = await openssl(['pkey', '-in', file, '-passin', 'env:P', '-noout'], { P: 'wrong horse' })
    expect(wrong.code).not.toBe(0)
  })
})

describe('properties: no input crashes or hangs detect', () => {
  const isSpecific = (fn: () => unknown): boolean => {
    try {
      fn()
      return true
    } catch (error) {
      return error instanceof AppError && error.code === 'bad_input' && typeof error.hint === 'string' && error.message.length > 10
    }
  }

  test('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => isSpecific(() => detect(bytes))),
      { numRuns: 400 },
    )
  })

  test('a GeneralizedTime asn1js throws on (found by the property below) is a specific refusal', () => {
    expect(() => detect(new Uint8Array([0x30, 0x82, 0x00, 0x02, 0x18, 0x00]))).toThrow(
      /neither PEM text nor a DER certificate.*ASN\.1 decoding failed/,
    )
  })

  test('random bytes behind a SEQUENCE header (the DER paths)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) =>
        isSpecific(() => detect(new Uint8Array([0x30, 0x82, bytes.length >> 8, bytes.length & 0xff, ...bytes]))),
      ),
      { numRuns: 300 },
    )
  })

  test('random text, and PEM truncated anywhere', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => isSpecific(() => detect(text))),
      { numRuns: 300 },
    )
    const chain = joinPem([leafPem, interPem])
    fc.assert(
      fc.property(fc.integer({ min: 0, max: chain.length }), (cut) => isSpecific(() => detect(chain.slice(0, cut)))),
      { numRuns: 300 },
    )
  })

  test('one base64 character changed or removed in a certificate: a result or a specific error', () => {
    const body = leafPem.indexOf('\n') + 1
    const end = leafPem.indexOf('-----END')
    fc.assert(
      fc.property(fc.integer({ min: body, max: end - 1 }), fc.constantFrom('', '!', 'A', '-', '*', ' '), (at, replacement) =>
        isSpecific(() => detect(leafPem.slice(0, at) + replacement + leafPem.slice(at + 1))),
      ),
      { numRuns: 300 },
    )
  })
})
