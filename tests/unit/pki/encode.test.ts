/**
 * Private-key reading and key/certificate matching, with property-based abuse: wrong passwords,
 * mismatched pairs, damaged DER — each a specific AppError with a reason, never a crash.
 */
import * as fc from 'fast-check'
import { createPrivateKey } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { createRootCa } from '../../../src/main/pki/ca'
import { detect } from '../../../src/main/pki/detect'
import { assertKeyMatchesSpki, parsePem, pkcs8Der, privateKeyToPem, readPrivateKey, toPem } from '../../../src/main/pki/encode'
import { exportPkcs12 } from '../../../src/main/pki/pkcs12'
import { exportPkcs8Der, generateKey, shutdownKeyPool } from '../../../src/main/pki/keys'
import { openssl, tempDir } from '../../support/tools'

const dir = tempDir()
afterAll(async () => {
  dir.remove()
  await shutdownKeyPool()
})

let keyDer: Uint8Array
let encryptedPem: string
let certDer: Uint8Array
let certSpki: Uint8Array
beforeAll(async () => {
  const root = await createRootCa({ cn: 'Encode Root', keyType: 'ec-p256', days: 5 })
  keyDer = await exportPkcs8Der(root.privateKey)
  encryptedPem = privateKeyToPem(keyDer, 'right password')
  certDer = parsePem(root.certificatePem)[0]!.der
  certSpki = new Uint8Array(await crypto.subtle.exportKey('spki', root.publicKey))
})

function reason(fn: () => unknown): unknown {
  try {
    fn()
    return 'no error'
  } catch (error) {
    if (!(error instanceof AppError)) return `not an AppError: ${String(error)}`
    return error.details?.['reason'] ?? error.code
  }
}

describe('readPrivateKey', () => {
  test('plain and encrypted PEM, DER, and OpenSSL traditional formats', async () => {
    expect(pkcs8Der(readPrivateKey(toPem(keyDer, 'PRIVATE KEY')))).toEqual(keyDer)
    expect(pkcs8Der(readPrivateKey(keyDer))).toEqual(keyDer)
    expect(pkcs8Der(readPrivateKey(encryptedPem, 'right password'))).toEqual(keyDer)
    expect(pkcs8Der(readPrivateKey(parsePem(encryptedPem)[0]!.der, 'right password'))).toEqual(keyDer)
    // OpenSSL's legacy "Proc-Type: 4,ENCRYPTED" SEC1 key.
    const file = dir.file('plain.pem', toPem(keyDer, 'PRIVATE KEY'))
    const traditional = await openssl(['ec', '-in', file, '-aes256', '-passout', 'env:P'], { P: 'trad pass' })
    expect(traditional.stdout).toContain('Proc-Type: 4,ENCRYPTED')
    expect(detect(traditional.stdout).kind).toBe('encrypted-private-key')
    expect(pkcs8Der(readPrivateKey(traditional.stdout, 'trad pass'))).toEqual(keyDer)
    expect(reason(() => readPrivateKey(traditional.stdout, 'nope'))).toBe('wrong_password')
  })

  test('any wrong password is wrong_password; no password is password_required', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 30 }).filter((p) => p !== 'right password'),
        (password) => reason(() => readPrivateKey(encryptedPem, password)) === 'wrong_password',
      ),
      { numRuns: 40 },
    )
    expect(reason(() => readPrivateKey(encryptedPem))).toBe('password_required')
    expect(reason(() => readPrivateKey(toPem(keyDer, 'PRIVATE KEY'), 'x', { requireEncrypted: true }))).toBe('not_encrypted')
  })

  test('damaged DER inside a valid PEM wrapper is a specific bad_input', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const damaged = Uint8Array.from(keyDer)
        damaged[at % damaged.length]! ^= xor
        const r = reason(() => readPrivateKey(toPem(damaged, 'PRIVATE KEY')))
        // A flip can land in bytes OpenSSL ignores (then the key still reads) — never anything but an AppError.
        return r === 'no error' || r === 'bad_input'
      }),
      { numRuns: 120 },
    )
  })

  test('an empty password cannot encrypt', () => {
    expect(() => privateKeyToPem(keyDer, '')).toThrow(expect.objectContaining({ code: 'bad_input', message: 'The password is empty.' }))
  })
})

describe('key and certificate matching', () => {
  test('the right key matches; any other generated key is key_mismatch, in PKCS#12 export too', async () => {
    assertKeyMatchesSpki(readPrivateKey(keyDer), certSpki)
    const others = await Promise.all(
      (['ec-p256', 'ec-p384', 'rsa-2048'] as const).map(async (t) => exportPkcs8Der((await generateKey(t)).privateKey)),
    )
    for (const other of others) {
      expect(
        reason(() => assertKeyMatchesSpki(createPrivateKey({ key: Buffer.from(other), format: 'der', type: 'pkcs8' }), certSpki)),
      ).toBe('key_mismatch')
      await expect(exportPkcs12(other, certDer, { password: 'pw' })).rejects.toMatchObject({ details: { reason: 'key_mismatch' } })
    }
  })
})
