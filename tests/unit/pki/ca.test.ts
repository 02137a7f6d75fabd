/**
 * Local CAs, refereed by OpenSSL: roots carry critical basicConstraints/keyUsage (seed 003), a
 * root → intermediate → leaf chain passes `openssl verify -x509_strict`, name constraints are
 * enforced by OpenSSL, and bad requests get specific errors.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as x509 from '@peculiar/x509'
import { createIntermediateCa, createRootCa, randomSerialHex, signCsr, type CreatedCa } from '../../../src/main/pki/ca'
import { createCsr } from '../../../src/main/pki/csr'
import { generateKey, shutdownKeyPool, type KeyType } from '../../../src/main/pki/keys'
import { openssl, tempDir } from '../../support/tools'

const dir = tempDir()
afterAll(async () => {
  dir.remove()
  await shutdownKeyPool()
})

async function leafCsr(type: KeyType, cn: string, sans: string[] = []): Promise<string> {
  return (await createCsr({ keys: await generateKey(type), subject: { cn }, sans })).pem
}

describe('randomSerialHex', () => {
  test('16 bytes, positive (top bit clear), non-zero leading octet, random', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 2000; i++) {
      const hex = randomSerialHex()
      expect(hex).toMatch(/^[0-9a-f]{32}$/)
      const first = parseInt(hex.slice(0, 2), 16)
      expect(first).toBeGreaterThan(0)
      expect(first).toBeLessThan(0x80)
      seen.add(hex)
    }
    expect(seen.size).toBe(2000)
  })
})

describe('createRootCa', () => {
  test.each<[KeyType, string]>([
    ['ec-p256', 'ecdsa-with-SHA256'],
    ['ec-p384', 'ecdsa-with-SHA384'],
    ['rsa-2048', 'sha256WithRSAEncryption'],
  ])('%s root: critical basicConstraints and keyUsage, SKI, serial, %s', async (type, sigAlg) => {
    const root = await createRootCa({ cn: `Certdesk Test Root ${type}`, o: 'Example Inc', keyType: type, days: 365 })
    const file = dir.file(`root-${type}.pem`, root.certificatePem)
    const ext = await openssl(['x509', '-in', file, '-noout', '-ext', 'basicConstraints,keyUsage'])
    expect(ext.code, ext.stderr).toBe(0)
    expect(ext.stdout).toMatch(/X509v3 Basic Constraints: critical\n\s+CA:TRUE\n/)
    expect(ext.stdout).toMatch(/X509v3 Key Usage: critical\n\s+Certificate Sign, CRL Sign\n/)
    const text = (await openssl(['x509', '-in', file, '-noout', '-text'])).stdout
    expect(text).toContain('X509v3 Subject Key Identifier')
    expect(text).toContain(`Signature Algorithm: ${sigAlg}`)
    const serial = (await openssl(['x509', '-in', file, '-noout', '-serial'])).stdout.trim().replace('serial=', '')
    expect(serial).toMatch(/^[0-7][0-9A-F]{31}$/)
    // Self-verification under strict rules: the root is its own trust anchor.
    const verify = await openssl(['verify', '-x509_strict', '-CAfile', file, file])
    expect(verify.code, verify.stderr).toBe(0)
    // Validity is what was asked for (notBefore backdated by the clock-skew allowance only).
    const cert = new x509.X509Certificate(root.certificatePem)
    const days = (cert.notAfter.getTime() - cert.notBefore.getTime()) / 86_400_000
    expect(days).toBe(365)
    expect(Math.abs(cert.notBefore.getTime() - Date.now())).toBeLessThan(10 * 60_000)
  })

  test('SHA-384 on an RSA root and a pathLen', async () => {
    const root = await createRootCa({ cn: 'Root 384', keyType: 'rsa-2048', days: 30, hash: 'SHA-384', pathLen: 1 })
    const file = dir.file('root-rsa384.pem', root.certificatePem)
    const text = (await openssl(['x509', '-in', file, '-noout', '-text'])).stdout
    expect(text).toContain('Signature Algorithm: sha384WithRSAEncryption')
    expect(text).toMatch(/CA:TRUE, pathlen:1/)
    expect((await openssl(['verify', '-x509_strict', '-CAfile', file, file])).code).toBe(0)
  })

  test('a validity past 2049 is encoded as GeneralizedTime and openssl reads it', async () => {
    const root = await createRootCa({ cn: 'Long Root', keyType: 'ec-p256', days: 36_500 })
    const file = dir.file('root-long.pem', root.certificatePem)
    const parsed = await openssl(['asn1parse', '-in', file])
    expect(parsed.code).toBe(0)
    expect(parsed.stdout).toMatch(/GENERALIZEDTIME\s+:2\d\d\d/)
    expect((await openssl(['verify', '-x509_strict', '-CAfile', file, file])).code).toBe(0)
  })

  test.each([
    [{ days: 0 }, 'Validity must be a whole number of days from 1 to 36500, not 0.'],
    [{ days: 1.5 }, 'Validity must be a whole number of days from 1 to 36500, not 1.5.'],
    [{ pathLen: -1 }, 'Path length must be a whole number from 0 to 10, not -1.'],
    [{ cn: '' }, 'Common name (CN) is required.'],
    [{ permittedDns: ['exa mple.com'] }, '"exa mple.com" is not a DNS domain for a name constraint.'],
  ])('bad request %o', async (override, message) => {
    await expect(createRootCa({ cn: 'x', keyType: 'ec-p256', days: 10, ...override })).rejects.toMatchObject({
      code: 'bad_input',
      message,
      hint: expect.any(String),
    })
  })
})

describe('a chain root → intermediate → leaf', () => {
  let root: CreatedCa
  let inter: CreatedCa
  let rootFile: string
  let interFile: string
  beforeAll(async () => {
    root = await createRootCa({ cn: 'Chain Root', keyType: 'ec-p384', days: 3650 })
    inter = await createIntermediateCa({
      cn: 'Chain Issuing CA',
      keyType: 'ec-p256',
      days: 1825,
      pathLen: 0,
      issuer: root.certificatePem,
      issuerKey: root.privateKey,
    })
    rootFile = dir.file('chain-root.pem', root.certificatePem)
    interFile = dir.file('chain-inter.pem', inter.certificatePem)
  })

  test.each<['client' | 'server', KeyType, string[]]>([
    ['client', 'ec-p256', []],
    ['client', 'rsa-2048', ['email:device@example.com']],
    ['server', 'ec-p256', ['DNS:api.example.com', 'IP:127.0.0.1']],
    ['server', 'rsa-2048', ['DNS:api.example.com']],
  ])('%s %s leaf passes openssl verify -x509_strict with the purpose checked', async (profile, type, sans) => {
    const signed = await signCsr({
      caCertPem: inter.certificatePem,
      caKey: inter.privateKey,
      csrPem: await leafCsr(type, `leaf-${profile}`, sans),
      profile,
      days: 397,
    })
    const leafFile = dir.file(`leaf-${profile}-${type}.pem`, signed.certificatePem)
    const purpose = profile === 'client' ? 'sslclient' : 'sslserver'
    const verify = await openssl(['verify', '-x509_strict', '-purpose', purpose, '-CAfile', rootFile, '-untrusted', interFile, leafFile])
    expect(verify.code, verify.stderr + verify.stdout).toBe(0)
    expect(verify.stdout).toContain(': OK')
    const text = (await openssl(['x509', '-in', leafFile, '-noout', '-text'])).stdout
    expect(text).toContain(profile === 'client' ? 'TLS Web Client Authentication' : 'TLS Web Server Authentication')
    expect(text).toMatch(/X509v3 Key Usage: critical\n\s+Digital Signature/)
    expect(text).toContain('X509v3 Authority Key Identifier')
    expect(text).toMatch(/CA:FALSE/)
    expect(signed.serialNumber).toMatch(/^[0-7][0-9a-f]{31}$/)
  })

  test('the intermediate profile signs a CSR into a CA that itself issues a verifiable leaf', async () => {
    const keys = await generateKey('ec-p256')
    const csr = await createCsr({ keys, subject: { cn: 'Sub CA from CSR', o: 'Example' } })
    const sub = await signCsr({
      caCertPem: root.certificatePem,
      caKey: root.privateKey,
      csrPem: csr.pem,
      profile: 'intermediate',
      days: 365,
    })
    const subFile = dir.file('sub.pem', sub.certificatePem)
    const ext = await openssl(['x509', '-in', subFile, '-noout', '-ext', 'basicConstraints,keyUsage'])
    expect(ext.stdout).toMatch(/Basic Constraints: critical\n\s+CA:TRUE, pathlen:0/)
    const leaf = await signCsr({
      caCertPem: sub.certificatePem,
      caKey: keys.privateKey,
      csrPem: await leafCsr('ec-p256', 'grandchild'),
      profile: 'client',
      days: 30,
    })
    const leafFile = dir.file('grandchild.pem', leaf.certificatePem)
    const verify = await openssl(['verify', '-x509_strict', '-CAfile', rootFile, '-untrusted', subFile, leafFile])
    expect(verify.code, verify.stderr).toBe(0)
  })

  test('a leaf never outlives its issuer', async () => {
    const signed = await signCsr({
      caCertPem: inter.certificatePem,
      caKey: inter.privateKey,
      csrPem: await leafCsr('ec-p256', 'long'),
      profile: 'client',
      days: 36_500,
    })
    expect(new Date(signed.notAfter).getTime()).toBe(new x509.X509Certificate(inter.certificatePem).notAfter.getTime())
  })

  test('refusals: pathLen 0 CA signing a CA, server without SAN, wrong CA key, non-CA issuer', async () => {
    await expect(
      createIntermediateCa({ cn: 'Too deep', keyType: 'ec-p256', days: 10, issuer: inter.certificatePem, issuerKey: inter.privateKey }),
    ).rejects.toMatchObject({ code: 'bad_input', message: expect.stringContaining('has path length 0') })
    await expect(
      signCsr({
        caCertPem: inter.certificatePem,
        caKey: inter.privateKey,
        csrPem: await leafCsr('ec-p256', 'no-san'),
        profile: 'server',
        days: 10,
      }),
    ).rejects.toMatchObject({ code: 'bad_input', message: expect.stringContaining('needs at least one subject alternative name') })
    await expect(
      signCsr({
        caCertPem: inter.certificatePem,
        caKey: root.privateKey,
        csrPem: await leafCsr('ec-p256', 'x'),
        profile: 'client',
        days: 10,
      }),
    ).rejects.toMatchObject({ code: 'bad_input', message: expect.stringContaining('does not match the CA certificate') })
    const leaf = await signCsr({
      caCertPem: inter.certificatePem,
      caKey: inter.privateKey,
      csrPem: await leafCsr('ec-p256', 'plain leaf'),
      profile: 'client',
      days: 10,
    })
    await expect(
      signCsr({
        caCertPem: leaf.certificatePem,
        caKey: inter.privateKey,
        csrPem: await leafCsr('ec-p256', 'x'),
        profile: 'client',
        days: 10,
      }),
    ).rejects.toMatchObject({ code: 'bad_input', message: expect.stringContaining('is not a CA certificate') })
    await expect(
      signCsr({ caCertPem: inter.certificatePem, caKey: inter.privateKey, csrPem: root.certificatePem, profile: 'client', days: 10 }),
    ).rejects.toMatchObject({ code: 'bad_input', message: 'This is a certificate; a certificate signing request (CSR) was expected.' })
  })
})

describe('name constraints', () => {
  test('openssl enforces the permitted DNS subtrees of a constrained root', async () => {
    const root = await createRootCa({
      cn: 'Constrained Root',
      keyType: 'ec-p256',
      days: 365,
      permittedDns: ['example.com', '.example.net'],
    })
    const rootFile = dir.file('nc-root.pem', root.certificatePem)
    const text = (await openssl(['x509', '-in', rootFile, '-noout', '-text'])).stdout
    expect(text).toMatch(/X509v3 Name Constraints: critical\n\s+Permitted:\n\s+DNS:example.com\n\s+DNS:example.net/)
    const inside = await signCsr({
      caCertPem: root.certificatePem,
      caKey: root.privateKey,
      csrPem: await leafCsr('ec-p256', 'api.example.com', ['DNS:api.example.com']),
      profile: 'server',
      days: 30,
    })
    const outside = await signCsr({
      caCertPem: root.certificatePem,
      caKey: root.privateKey,
      csrPem: await leafCsr('ec-p256', 'evil.example.org', ['DNS:evil.example.org']),
      profile: 'server',
      days: 30,
    })
    expect((await openssl(['verify', '-x509_strict', '-CAfile', rootFile, dir.file('nc-in.pem', inside.certificatePem)])).code).toBe(0)
    const refused = await openssl(['verify', '-x509_strict', '-CAfile', rootFile, dir.file('nc-out.pem', outside.certificatePem)])
    expect(refused.code).not.toBe(0)
    expect(refused.stderr + refused.stdout).toMatch(/permitted subtree violation/)
  })
})
