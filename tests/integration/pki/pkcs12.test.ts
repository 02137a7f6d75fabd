/**
 * PKCS#12 against OpenSSL: what Certdesk exports, openssl opens (modern AES and legacy 3DES) with the
 * algorithms we claim; what openssl exports, Certdesk imports; wrong passwords are named as such.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createRootCa, signCsr } from '../../../src/main/pki/ca'
import { createCsr } from '../../../src/main/pki/csr'
import { parsePem, privateKeyToPem } from '../../../src/main/pki/encode'
import { exportPkcs8Der, generateKey, shutdownKeyPool } from '../../../src/main/pki/keys'
import { exportPkcs12, importPkcs12, pkcs12Kdf } from '../../../src/main/pki/pkcs12'
import { openssl, tempDir } from '../../support/tools'

const dir = tempDir()
const PASSWORD = 'correct horse ✓ battery'
let key: Uint8Array
let leafDer: Uint8Array
let rootDer: Uint8Array
let files: { key: string; leaf: string; root: string }

beforeAll(async () => {
  const root = await createRootCa({ cn: 'P12 Root', keyType: 'ec-p256', days: 30 })
  const keys = await generateKey('rsa-2048')
  const csr = await createCsr({ keys, subject: { cn: 'p12-client' } })
  const leaf = await signCsr({ caCertPem: root.certificatePem, caKey: root.privateKey, csrPem: csr.pem, profile: 'client', days: 10 })
  key = await exportPkcs8Der(keys.privateKey)
  leafDer = leaf.der
  rootDer = parsePem(root.certificatePem)[0]!.der
  files = {
    key: dir.file('leaf.key', privateKeyToPem(key)),
    leaf: dir.file('leaf.pem', leaf.certificatePem),
    root: dir.file('root.pem', root.certificatePem),
  }
})
afterAll(async () => {
  dir.remove()
  await shutdownKeyPool()
})

const env = { P: PASSWORD }

describe('exportPkcs12', () => {
  test('modern: openssl reads it and reports PBES2/PBKDF2-SHA256/AES-256-CBC with a SHA-256 MAC', async () => {
    const p12 = await exportPkcs12(key, leafDer, { chain: [rootDer], password: PASSWORD, friendlyName: 'p12-client' })
    const file = dir.file('modern.p12', p12)
    const info = await openssl(['pkcs12', '-info', '-nokeys', '-in', file, '-passin', 'env:P'], env)
    expect(info.code, info.stderr).toBe(0)
    expect(info.stderr).toMatch(/MAC: sha256/)
    expect(info.stderr).toMatch(/PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration \d+, PRF hmacWithSHA256/)
    expect(info.stdout.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(2)
    expect(info.stdout).toContain('friendlyName: p12-client')
    // The key comes out and is the same key.
    const keyOut = await openssl(['pkcs12', '-info', '-in', file, '-passin', 'env:P', '-nocerts', '-nodes'], env)
    expect(keyOut.code, keyOut.stderr).toBe(0)
    expect(keyOut.stderr).toMatch(/Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration \d+, PRF hmacWithSHA256/)
    const ours = await openssl(['pkey', '-in', files.key, '-pubout'])
    const out = dir.file('modern-out.key', keyOut.stdout)
    expect((await openssl(['pkey', '-in', out, '-pubout'])).stdout).toBe(ours.stdout)
  })

  test('legacy: PBE-SHA1-3DES and a SHA-1 MAC, readable by openssl (with -legacy only where it needs it)', async () => {
    const p12 = await exportPkcs12(key, leafDer, { chain: [rootDer], password: PASSWORD, legacy: true })
    const file = dir.file('legacy.p12', p12)
    const info = await openssl(['pkcs12', '-info', '-nokeys', '-in', file, '-passin', 'env:P'], env)
    // OpenSSL 3's default provider has 3DES and the PKCS#12 KDF: no -legacy needed for this cipher.
    expect(info.code, info.stderr).toBe(0)
    expect(info.stderr).toMatch(/MAC: sha1/)
    expect(info.stderr).toMatch(/PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration \d+/)
    expect(info.stdout.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(2)
    const keyOut = await openssl(['pkcs12', '-info', '-in', file, '-passin', 'env:P', '-nocerts', '-nodes'], env)
    expect(keyOut.code, keyOut.stderr).toBe(0)
    expect(keyOut.stderr).toMatch(/Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC/)
    expect((await openssl(['pkey', '-in', dir.file('legacy-out.key', keyOut.stdout), '-pubout'])).stdout).toBe(
      (await openssl(['pkey', '-in', files.key, '-pubout'])).stdout,
    )
  })

  test('round trip: our import reads both of our exports, key first-matched to its certificate', async () => {
    for (const legacy of [false, true]) {
      const p12 = await exportPkcs12(key, leafDer, { chain: [rootDer], password: PASSWORD, legacy })
      const back = await importPkcs12(p12, PASSWORD)
      expect(Buffer.from(back.privateKey!)).toEqual(Buffer.from(key))
      expect(back.certificates.map((c) => Buffer.from(c))).toEqual([Buffer.from(leafDer), Buffer.from(rootDer)])
    }
  })

  test('a key that does not match the certificate is refused; an empty password is refused', async () => {
    const other = await exportPkcs8Der((await generateKey('ec-p256')).privateKey)
    await expect(exportPkcs12(other, leafDer, { password: 'x' })).rejects.toMatchObject({
      code: 'bad_input',
      message: expect.stringContaining('does not match the certificate'),
    })
    await expect(exportPkcs12(key, leafDer, { password: '' })).rejects.toMatchObject({
      code: 'bad_input',
      details: { reason: 'empty_password' },
    })
  })
})

describe('importPkcs12 of what openssl made', () => {
  test.each([
    ['OpenSSL 3 default (AES-256, SHA-256 MAC)', [] as string[]],
    ['3DES for key and certificates, SHA-1 MAC', ['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1']],
  ])('%s', async (_name, extra) => {
    const file = dir.file(`openssl-${extra.length}.p12`)
    const made = await openssl(
      ['pkcs12', '-export', '-inkey', files.key, '-in', files.leaf, '-certfile', files.root, '-passout', 'env:P', '-out', file, ...extra],
      env,
    )
    expect(made.code, made.stderr).toBe(0)
    const back = await importPkcs12(new Uint8Array(readFileSync(file)), PASSWORD)
    expect(Buffer.from(back.privateKey!)).toEqual(Buffer.from(key))
    expect(Buffer.from(back.certificates[0]!)).toEqual(Buffer.from(leafDer))
    expect(back.certificates).toHaveLength(2)
  })

  test('OpenSSL -legacy (RC2-40 certificates) gets a specific message, or is refused by openssl itself', async () => {
    const file = dir.file('rc2.p12')
    const made = await openssl(
      ['pkcs12', '-export', '-legacy', '-inkey', files.key, '-in', files.leaf, '-passout', 'env:P', '-out', file],
      env,
    )
    if (made.code !== 0) {
      // This OpenSSL has no legacy provider; nothing to import.
      expect(made.stderr).toMatch(/legacy|RC2|unsupported/i)
      return
    }
    await expect(importPkcs12(new Uint8Array(readFileSync(file)), PASSWORD)).rejects.toMatchObject({
      code: 'bad_input',
      details: { reason: 'unsupported_cipher' },
    })
  })

  test('wrong password and not-a-p12 are told apart', async () => {
    const p12 = await exportPkcs12(key, leafDer, { password: PASSWORD })
    await expect(importPkcs12(p12, 'wrong')).rejects.toMatchObject({
      code: 'bad_input',
      details: { reason: 'wrong_password' },
      message: expect.stringContaining('Wrong password'),
    })
    await expect(importPkcs12(leafDer, PASSWORD)).rejects.toMatchObject({
      code: 'bad_input',
      message: expect.stringContaining('not a PKCS#12'),
    })
    await expect(importPkcs12(new Uint8Array([1, 2, 3]), PASSWORD)).rejects.toMatchObject({
      code: 'bad_input',
      message: expect.stringContaining('not a PKCS#12'),
    })
  })
})

test('PKCS#12 KDF matches a known vector (RFC 7292 B.2 via OpenSSL: password "smeg", salt 0A58CF64530D823F, 1 iteration)', () => {
  // Vector from OpenSSL's test/pkcs12_format / PKCS12 KDF test suite (id 1, 24 bytes).
  const key = pkcs12Kdf('smeg', Buffer.from('0A58CF64530D823F', 'hex'), 1, 1, 24)
  expect(key.toString('hex').toUpperCase()).toBe('8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3')
  const iv = pkcs12Kdf('smeg', Buffer.from('0A58CF64530D823F', 'hex'), 2, 1, 8)
  expect(iv.toString('hex').toUpperCase()).toBe('79993DFE048D3B76')
})
