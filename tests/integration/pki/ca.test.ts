/**
 * Private CAs against the referees: OpenSSL's extension dump and strict verification, the lint
 * engine's BYOPKI and python-strict profiles, and a real Python `ssl` handshake with
 * VERIFY_X509_STRICT against a Node TLS server whose certificate a generated root issued.
 */
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:tls'
import type { AddressInfo } from 'node:net'
import { afterAll, describe, expect, test } from 'vitest'
import type { webcrypto } from 'node:crypto'
import { lintCertificate } from '../../../src/main/lint'
import { createIntermediateCa, createRootCa, randomSerialHex, signCsr } from '../../../src/main/pki/ca'
import { createCsr } from '../../../src/main/pki/csr'
import { parsePem, privateKeyToPem, readPrivateKey } from '../../../src/main/pki/encode'
import { exportPkcs8Der, generateKey, importKeyObject, shutdownKeyPool, type KeyType } from '../../../src/main/pki/keys'
import { openssl, tempDir, tool } from '../../support/tools'
import { opensslRoot } from '../../support/cert-factory'

const dir = tempDir()
afterAll(async () => {
  dir.remove()
  await shutdownKeyPool()
})

const der = (pem: string): Uint8Array => parsePem(pem)[0]!.der
const keyPem = async (key: webcrypto.CryptoKey): Promise<string> => privateKeyToPem(await exportPkcs8Der(key))

async function leaf(
  caPem: string,
  caKey: webcrypto.CryptoKey,
  profile: 'client' | 'server' | 'intermediate',
  sans: string[] = [],
  type: KeyType = 'ec-p256',
  days = 30,
) {
  const keys = await generateKey(type)
  const csr = await createCsr({ keys, subject: { cn: `${profile}-leaf`, o: 'Certdesk Test' }, sans })
  const signed = await signCsr({ caCertPem: caPem, caKey, csrPem: csr.pem, profile, days })
  return { ...signed, keys }
}

describe('createRootCa', () => {
  test.each<[KeyType, RegExp]>([
    ['ec-p256', /ecdsa-with-SHA256/],
    ['ec-p384', /ecdsa-with-SHA384/],
    ['rsa-2048', /sha256WithRSAEncryption/],
  ])('%s root: critical CA:TRUE and keyCertSign+cRLSign, SKI=AKI, lint passes BYOPKI and python-strict', async (keyType, sigAlg) => {
    const root = await createRootCa({ cn: `Certdesk Root ${keyType}`, o: 'Certdesk Test', keyType, days: 365 })
    expect(root.keyType).toBe(keyType)
    const file = dir.file(`root-${keyType}.pem`, root.certificatePem)
    const ext = await openssl(['x509', '-in', file, '-noout', '-ext', 'basicConstraints,keyUsage'])
    expect(ext.code, ext.stderr).toBe(0)
    expect(ext.stdout).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE/)
    expect(ext.stdout).toMatch(/X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign/)
    const text = (await openssl(['x509', '-in', file, '-noout', '-text'])).stdout
    expect(text).toMatch(sigAlg)
    const ski = /Subject Key Identifier:\s*\n\s*([0-9A-F:]+)/.exec(text)?.[1]
    const aki = /Authority Key Identifier:\s*\n\s*(?:keyid:)?([0-9A-F:]+)/.exec(text)?.[1]
    expect(ski).toBeTruthy()
    expect(aki).toBe(ski)
    expect(text).not.toMatch(/Key Identifier: critical/)
    const serial = /Serial Number:\s*\n?\s*([0-9a-f:]+)/.exec(text)?.[1]?.replace(/:/g, '')
    expect(serial).toHaveLength(32)
    // The lint engine is the second referee: strict Python always; Gateway BYOPKI takes RSA roots only
    // (seed 003 generates them with genrsa), so an EC root fails exactly that one rule and nothing else.
    const strict = lintCertificate(der(root.certificatePem), { profile: 'python-strict' })
    expect(strict.findings.filter((f) => f.severity === 'error')).toEqual([])
    expect(strict.passed).toBe(true)
    const byopki = lintCertificate(der(root.certificatePem), { profile: 'gateway-byopki' })
    const errors = byopki.findings.filter((f) => f.severity === 'error').map((f) => f.ruleId)
    expect(errors).toEqual(keyType.startsWith('rsa') ? [] : ['gateway.key.rsa_size'])
  })

  test('SHA-384 on an RSA root when asked, and pathLen appears', async () => {
    const root = await createRootCa({ cn: 'RSA 384 Root', keyType: 'rsa-2048', days: 30, hash: 'SHA-384', pathLen: 1 })
    const text = (await openssl(['x509', '-in', dir.file('rsa384.pem', root.certificatePem), '-noout', '-text'])).stdout
    expect(text).toMatch(/sha384WithRSAEncryption/)
    expect(text).toMatch(/CA:TRUE, pathlen:1/)
  })

  test('serials are positive, 16 bytes, never starting with a zero byte', () => {
    for (let i = 0; i < 2000; i++) {
      const s = randomSerialHex()
      expect(s).toMatch(/^[0-7][0-9a-f]{31}$/)
      expect(s.startsWith('00')).toBe(false)
    }
  })

  test('bad parameters are specific bad_input errors', async () => {
    await expect(createRootCa({ cn: '', keyType: 'ec-p256', days: 30 })).rejects.toMatchObject({
      code: 'bad_input',
      message: 'Common name (CN) is required.',
    })
    await expect(createRootCa({ cn: 'x', keyType: 'ec-p256', days: 0 })).rejects.toMatchObject({
      message: 'Validity must be a whole number of days from 1 to 36500, not 0.',
    })
    await expect(createRootCa({ cn: 'x', keyType: 'ec-p256', days: 5, pathLen: -1 })).rejects.toMatchObject({
      message: 'Path length must be a whole number from 0 to 10, not -1.',
    })
    await expect(createRootCa({ cn: 'x', keyType: 'ec-p256', days: 5, permittedDns: ['bad domain'] })).rejects.toMatchObject({
      message: expect.stringContaining('"bad domain" is not a DNS domain'),
    })
  })
})

describe('chains and signCsr', () => {
  test('root → intermediate → client passes openssl verify -x509_strict with purpose sslclient', async () => {
    const root = await createRootCa({ cn: 'Chain Root', keyType: 'ec-p384', days: 3650 })
    const inter = await createIntermediateCa({
      issuer: root.certificatePem,
      issuerKey: root.privateKey,
      cn: 'Chain Issuing CA',
      keyType: 'ec-p256',
      days: 1825,
      pathLen: 0,
    })
    const client = await leaf(inter.certificatePem, inter.privateKey, 'client', [], 'rsa-2048')
    const files = {
      root: dir.file('c-root.pem', root.certificatePem),
      inter: dir.file('c-inter.pem', inter.certificatePem),
      leaf: dir.file('c-leaf.pem', client.certificatePem),
    }
    const res = await openssl([
      'verify',
      '-x509_strict',
      '-purpose',
      'sslclient',
      '-CAfile',
      files.root,
      '-untrusted',
      files.inter,
      files.leaf,
    ])
    expect(res.code, res.stderr + res.stdout).toBe(0)
    expect(res.stdout).toContain(': OK')
    const ext = (await openssl(['x509', '-in', files.leaf, '-noout', '-ext', 'basicConstraints,keyUsage,extendedKeyUsage'])).stdout
    expect(ext).toMatch(/Basic Constraints: critical\s+CA:FALSE/)
    expect(ext).toMatch(/Key Usage: critical\s+Digital Signature\n/)
    expect(ext).toMatch(/Extended Key Usage:\s+TLS Web Client Authentication/)
    const interExt = (await openssl(['x509', '-in', files.inter, '-noout', '-ext', 'basicConstraints,keyUsage'])).stdout
    expect(interExt).toMatch(/Basic Constraints: critical\s+CA:TRUE, pathlen:0/)
    // The client certificate is refused as a server one: the EKU means something.
    const asServer = await openssl([
      'verify',
      '-x509_strict',
      '-purpose',
      'sslserver',
      '-CAfile',
      files.root,
      '-untrusted',
      files.inter,
      files.leaf,
    ])
    expect(asServer.code).not.toBe(0)
  })

  test('an intermediate signed from a CSR is CA:TRUE pathlen:0 and verifies; a pathlen-0 CA cannot sign another CA', async () => {
    const root = await createRootCa({ cn: 'CSR Root', keyType: 'ec-p256', days: 365 })
    const inter = await leaf(root.certificatePem, root.privateKey, 'intermediate')
    const rootFile = dir.file('i-root.pem', root.certificatePem)
    const interFile = dir.file('i-inter.pem', inter.certificatePem)
    expect((await openssl(['verify', '-x509_strict', '-CAfile', rootFile, interFile])).code).toBe(0)
    expect((await openssl(['x509', '-in', interFile, '-noout', '-ext', 'basicConstraints'])).stdout).toMatch(
      /critical\s+CA:TRUE, pathlen:0/,
    )
    await expect(leaf(inter.certificatePem, inter.keys.privateKey, 'intermediate')).rejects.toMatchObject({
      code: 'bad_input',
      message: expect.stringContaining('has path length 0'),
    })
    // …but it signs end-entity certificates that verify through the chain.
    const client = await leaf(inter.certificatePem, inter.keys.privateKey, 'client')
    expect(
      (
        await openssl([
          'verify',
          '-x509_strict',
          '-CAfile',
          rootFile,
          '-untrusted',
          interFile,
          dir.file('i-leaf.pem', client.certificatePem),
        ])
      ).code,
    ).toBe(0)
  })

  test('validity is capped at the issuer notAfter', async () => {
    const root = await createRootCa({ cn: 'Short Root', keyType: 'ec-p256', days: 10 })
    const client = await leaf(root.certificatePem, root.privateKey, 'client', [], 'ec-p256', 3650)
    const rootNotAfter = (await openssl(['x509', '-in', dir.file('s-root.pem', root.certificatePem), '-noout', '-enddate'])).stdout
    const leafNotAfter = (await openssl(['x509', '-in', dir.file('s-leaf.pem', client.certificatePem), '-noout', '-enddate'])).stdout
    expect(leafNotAfter).toBe(rootNotAfter)
  })

  test('server profile needs a SAN; issuer must be a CA and match its key', async () => {
    const root = await createRootCa({ cn: 'Checks Root', keyType: 'ec-p256', days: 30 })
    await expect(leaf(root.certificatePem, root.privateKey, 'server')).rejects.toMatchObject({
      code: 'bad_input',
      message: 'A server certificate needs at least one subject alternative name, and the CSR has none.',
    })
    const client = await leaf(root.certificatePem, root.privateKey, 'client')
    await expect(leaf(client.certificatePem, client.keys.privateKey, 'client')).rejects.toMatchObject({
      message: expect.stringContaining('is not a CA certificate'),
    })
    const other = await generateKey('ec-p256')
    await expect(leaf(root.certificatePem, other.privateKey, 'client')).rejects.toMatchObject({
      message: 'The CA private key does not match the CA certificate: it belongs to a different key pair.',
    })
  })

  test('name constraints: a permitted host verifies, one outside the subtree does not', async () => {
    const root = await createRootCa({ cn: 'Constrained Root', keyType: 'ec-p256', days: 30, permittedDns: ['example.com'] })
    const rootFile = dir.file('nc-root.pem', root.certificatePem)
    expect((await openssl(['x509', '-in', rootFile, '-noout', '-ext', 'nameConstraints'])).stdout).toMatch(
      /Name Constraints: critical\s+Permitted:\s+DNS:example.com/,
    )
    const good = await leaf(root.certificatePem, root.privateKey, 'server', ['DNS:api.example.com'])
    const evil = await leaf(root.certificatePem, root.privateKey, 'server', ['DNS:api.example.org'])
    expect((await openssl(['verify', '-x509_strict', '-CAfile', rootFile, dir.file('nc-good.pem', good.certificatePem)])).code).toBe(0)
    const refused = await openssl(['verify', '-x509_strict', '-CAfile', rootFile, dir.file('nc-evil.pem', evil.certificatePem)])
    expect(refused.code).not.toBe(0)
    expect(refused.stdout + refused.stderr).toMatch(/permitted subtree violation/)
  })
})

/** Serves `certPem` (+chain) on 127.0.0.1 and has Python connect with VERIFY_X509_STRICT, trusting only `caFile`. */
async function pythonStrictHandshake(keyPemText: string, certChainPem: string, caFile: string): Promise<{ code: number; out: string }> {
  const server: Server = createServer({ key: keyPemText, cert: certChainPem }, (socket) => socket.end('hello\n'))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const script = [
    'import socket, ssl, sys',
    'ctx = ssl.create_default_context(cafile=sys.argv[1])',
    'ctx.verify_flags |= ssl.VERIFY_X509_STRICT',
    'try:',
    '    with socket.create_connection(("127.0.0.1", int(sys.argv[2])), timeout=10) as raw:',
    '        with ctx.wrap_socket(raw, server_hostname="localhost") as tls:',
    '            print("OK", tls.version(), tls.recv(16).decode().strip())',
    'except ssl.SSLCertVerificationError as e:',
    '    print("VERIFY-FAILED", e.verify_message); sys.exit(3)',
  ].join('\n')
  try {
    const res = await tool('python3', ['-c', script, caFile, String(port)])
    return { code: res.code, out: res.stdout + res.stderr }
  } finally {
    await new Promise((resolve) => server.close(resolve))
  }
}

describe('Python ssl with VERIFY_X509_STRICT', () => {
  test.each<KeyType>(['ec-p256', 'rsa-2048'])(
    'handshake succeeds against a server whose certificate a %s root issued (via an intermediate)',
    async (type) => {
      const root = await createRootCa({ cn: `Py Root ${type}`, keyType: type, days: 365 })
      const inter = await createIntermediateCa({
        issuer: root.certificatePem,
        issuerKey: root.privateKey,
        cn: 'Py Issuing CA',
        keyType: type,
        days: 180,
        pathLen: 0,
      })
      const server = await leaf(inter.certificatePem, inter.privateKey, 'server', ['DNS:localhost', 'IP:127.0.0.1'], type)
      const result = await pythonStrictHandshake(
        await keyPem(server.keys.privateKey),
        server.certificatePem + inter.certificatePem,
        dir.file(`py-root-${type}.pem`, root.certificatePem),
      )
      expect(result.out).toMatch(/^OK TLSv1\.3 hello/)
      expect(result.code).toBe(0)
    },
  )

  test('negative control: the same handshake fails when the root lacks critical basicConstraints', async () => {
    // A root made the way seed 003 warns against (basicConstraints not critical); our signer still uses it.
    const keyFile = dir.file('weak-root.key')
    const certFile = dir.file('weak-root.pem')
    opensslRoot(certFile, keyFile, { subject: '/CN=Weak Root', ext: ['basicConstraints=CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'] })
    const weakKey = await importKeyObject(readPrivateKey(readFileSync(keyFile, 'utf8')))
    const server = await leaf(readFileSync(certFile, 'utf8'), weakKey.privateKey, 'server', ['DNS:localhost'])
    const result = await pythonStrictHandshake(await keyPem(server.keys.privateKey), server.certificatePem, certFile)
    expect(result.out).toMatch(/VERIFY-FAILED/)
    expect(result.code).toBe(3)
  })
})
