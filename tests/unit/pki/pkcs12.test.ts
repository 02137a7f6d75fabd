/**
 * PKCS#12, refereed by OpenSSL 3: our modern and legacy files open with `openssl pkcs12`, the
 * algorithms are the ones promised, ours reads what OpenSSL writes, and wrong passwords, damaged
 * files and mismatched keys end in specific AppErrors.
 */
import * as fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { createRootCa, signCsr } from '../../../src/main/pki/ca'
import { createCsr } from '../../../src/main/pki/csr'
import { parsePem, privateKeyToPem } from '../../../src/main/pki/encode'
import { exportPkcs12, importPkcs12, pkcs12Kdf } from '../../../src/main/pki/pkcs12'
import { exportPkcs8Der, generateKey, shutdownKeyPool } from '../../../src/main/pki/keys'
import { openssl, tempDir } from '../../support/tools'

const dir = tempDir()
afterAll(async () => {
  dir.remove()
  await shutdownKeyPool()
})

let keyDer: Uint8Array
let leafDer: Uint8Array
let rootDer: Uint8Array
let otherKeyDer: Uint8Array
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

beforeAll(async () => {
  const root = await createRootCa({ cn: 'P12 Root', keyType: 'ec-p256', days: 30 })
  const keys = await generateKey('rsa-2048')
  const csr = await createCsr({ keys, subject: { cn: 'p12-device' } })
  const leaf = await signCsr({ caCertPem: root.certificatePem, caKey: root.privateKey, csrPem: csr.pem, profile: 'client', days: 30 })
  keyDer = await exportPkcs8Der(keys.privateKey)
  otherKeyDer = await exportPkcs8Der((await generateKey('ec-p256')).privateKey)
  leafDer = leaf.der
  rootDer = parsePem(root.certificatePem)[0]!.der
})

describe('pkcs12Kdf', () => {
  test('matches the RFC 7292 derivation OpenSSL uses (known vector from OpenSSL test suite)', () => {
    // openssl test/pkcs12_format_test / PKCS12_key_gen_uni vector: password "smeg", salt 0A58CF64530D823F, 1 iteration.
    const salt = Buffer.from('0A58CF64530D823F', 'hex')
    expect(pkcs12Kdf('smeg', salt, 1, 1, 24).toString('hex').toUpperCase()).toBe('8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3')
    expect(pkcs12Kdf('smeg', salt, 2, 1, 8).toString('hex').toUpperCase()).toBe('79993DFE048D3B76')
  })
})

describe('exportPkcs12', () => {
  test.each([
    ['modern', false, /PBES2, PBKDF2, AES-256-CBC, Iteration 100000, PRF hmacWithSHA256/, /MAC: sha256/],
    ['legacy', true, /pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048/, /MAC: sha1/],
  ])('%s: openssl pkcs12 -info reads it with the password, with the promised algorithms', async (name, legacy, cipher, mac) => {
    const p12 = await exportPkcs12(keyDer, leafDer, { password: 'pä55 word', legacy, chain: [rootDer] })
    const file = dir.file(`${name}.p12`, p12)
    const info = await openssl(['pkcs12', '-info', '-nokeys', '-in', file, '-passin', 'env:P'], { P: 'pä55 word' })
    expect(info.code, info.stderr).toBe(0)
    expect(info.stderr).toMatch(cipher)
    expect(info.stderr).toMatch(mac)
    expect(info.stdout.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(2)
    expect(info.stdout).toContain('friendlyName: p12-device')
    expect(info.stdout).toContain('localKeyID:')
    // The key comes out and is the one we put in.
    const full = await openssl(['pkcs12', '-in', file, '-passin', 'env:P', '-nocerts', '-nodes'], { P: 'pä55 word' })
    expect(full.code, full.stderr).toBe(0)
    const block = parsePem(full.stdout).find((b) => b.label === 'PRIVATE KEY')!
    expect(hex(block.der)).toBe(hex(keyDer))
    const wrong = await openssl(['pkcs12', '-info', '-nokeys', '-in', file, '-passin', 'env:P'], { P: 'wrong' })
    expect(wrong.code).not.toBe(0)
    expect(wrong.stderr).toMatch(/mac verify error/i)
    // And we read our own file back.
    const back = await importPkcs12(p12, 'pä55 word')
    expect(hex(back.privateKey!)).toBe(hex(keyDer))
    expect(back.certificates.map(hex)).toEqual([hex(leafDer), hex(rootDer)])
    expect(back.friendlyName).toBe('p12-device')
  })

  test('refuses a key that does not belong to the certificate, and an empty password', async () => {
    await expect(exportPkcs12(otherKeyDer, leafDer, { password: 'x' })).rejects.toMatchObject({
      code: 'bad_input',
      details: { reason: 'key_mismatch' },
    })
    await expect(exportPkcs12(keyDer, leafDer, { password: '' })).rejects.toMatchObject({
      code: 'bad_input',
      details: { reason: 'empty_password' },
    })
    await expect(exportPkcs12(keyDer, new Uint8Array([1, 2, 3]), { password: 'x' })).rejects.toMatchObject({
      code: 'bad_input',
      details: { reason: 'damaged_content' },
    })
  })
})

describe('importPkcs12 reads what OpenSSL writes', () => {
  const opensslExport = async (name: string, extra: string[]): Promise<Uint8Array> => {
    const keyFile = dir.file(`${name}.key`, privateKeyToPem(keyDer))
    const certFile = dir.file(
      `${name}.crt`,
      `-----BEGIN CERTIFICATE-----\n${Buffer.from(leafDer).toString('base64')}\n-----END CERTIFICATE-----\n`,
    )
    const out = dir.file(`${name}-openssl.p12`)
    const res = await openssl(['pkcs12', '-export', '-inkey', keyFile, '-in', certFile, '-out', out, '-passout', 'env:P', ...extra], {
      P: 'secret',
    })
    expect(res.code, res.stderr).toBe(0)
    return new Uint8Array(readFileSync(out))
  }

  test('OpenSSL 3 defaults (PBES2/AES-256) and 3DES', async () => {
    for (const extra of [[], ['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1']]) {
      const read = await importPkcs12(await opensslExport(`o${extra.length}`, extra), 'secret')
      expect(hex(read.privateKey!)).toBe(hex(keyDer))
      expect(read.certificates.map(hex)).toEqual([hex(leafDer)])
    }
  })

  test('OpenSSL -legacy (RC2-40 certificates) is a specific unsupported_cipher error', async () => {
    const legacy = await opensslExport('rc2', ['-legacy'])
    await expect(importPkcs12(legacy, 'secret')).rejects.toMatchObject({
      code: 'bad_input',
      details: { reason: 'unsupported_cipher' },
      message: expect.stringContaining('RC2'),
    })
  })
})

describe('importPkcs12 failures are specific', () => {
  let modern: Uint8Array
  beforeAll(async () => {
    modern = await exportPkcs12(keyDer, leafDer, { password: 'right' })
  })

  test('wrong passwords, any of them', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 20 }).filter((p) => p !== 'right'),
        async (password) => {
          const error = await importPkcs12(modern, password).then(
            () => null,
            (e: unknown) => e,
          )
          return error instanceof AppError && error.details?.['reason'] === 'wrong_password'
        },
      ),
      { numRuns: 25 },
    )
  })

  test('random bytes and corrupted files', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (bytes) => {
        const error = await importPkcs12(bytes, 'right').then(
          () => null,
          (e: unknown) => e,
        )
        return error instanceof AppError && error.code === 'bad_input'
      }),
      { numRuns: 200 },
    )
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: modern.length - 1 }), fc.integer({ min: 1, max: 255 }), async (at, xor) => {
        const damaged = Uint8Array.from(modern)
        damaged[at]! ^= xor
        const result = await importPkcs12(damaged, 'right').then(
          (r) => r,
          (e: unknown) => e,
        )
        // A flipped bit inside the MAC'd content is caught by the MAC; elsewhere it is a decoding error —
        // or, in bytes BER lets a reader ignore (MAC salt padding, length forms), the same content.
        if (result instanceof AppError) return result.code === 'bad_input'
        const read = result as Awaited<ReturnType<typeof importPkcs12>>
        return hex(read.privateKey!) === hex(keyDer) && read.certificates.map(hex).join() === hex(leafDer)
      }),
      { numRuns: 60 },
    )
  })
})
