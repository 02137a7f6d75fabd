// The inspector against openssl's own decoding of the same certificates, and file identification
// for every PKI file type openssl can write.
import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inspectCertificate, readCertificateData, readCertificateFile } from '../../../src/main/lint'
import { AppError } from '../../../src/shared/errors'
import { CertificateDetails, InspectResult } from '../../../src/shared/lint-model'
import { CA_EXT, Forge, type Issued } from '../../support/forge'

const forge = new Forge()
let root: Issued
let rich: Issued
const RICH_EXT = [
  'basicConstraints=critical,CA:FALSE',
  'keyUsage=critical,digitalSignature,keyEncipherment',
  'extendedKeyUsage=serverAuth,clientAuth,1.3.6.1.4.1.311.20.2.2',
  'subjectAltName=DNS:app.example.test,IP:192.0.2.7,email:ops@example.test,URI:https://example.test/id',
  'crlDistributionPoints=URI:http://crl.example.test/ca.crl',
  'authorityInfoAccess=OCSP;URI:http://ocsp.example.test,caIssuers;URI:http://example.test/ca.crt',
  'certificatePolicies=2.23.140.1.2.1',
  'subjectKeyIdentifier=hash',
  'authorityKeyIdentifier=keyid:always',
  '1.3.6.1.4.1.55555.7=DER:0c0568656c6c6f',
]

beforeAll(() => {
  root = forge.issue({
    name: 'Inspect Root',
    subj: '/C=US/O=Example Inc./CN=Inspect Root',
    ext: [
      ...CA_EXT.filter((l) => !l.startsWith('authorityKey')),
      'nameConstraints=critical,permitted;DNS:.example.test,excluded;DNS:bad.example.test',
    ],
  })
  rich = forge.issue({ name: 'rich', subj: '/C=US/O=Example Inc./OU=Ops/CN=app.example.test', ext: RICH_EXT, issuer: root })
}, 60_000)

afterAll(() => forge.cleanup())

const opensslFingerprint = (pem: string, digest: string): string =>
  forge.openssl('x509', '-in', pem, '-noout', '-fingerprint', `-${digest}`).trim()

describe('inspectCertificate', () => {
  it('decodes names, keys and every common extension the way openssl reads them', () => {
    const d = CertificateDetails.parse(inspectCertificate(rich.der))
    const text = forge.openssl('x509', '-in', rich.pem, '-noout', '-text')
    expect(d.version).toBe(3)
    expect(d.subject.text).toBe('CN=app.example.test, OU=Ops, O=Example Inc., C=US')
    expect(d.subject.attributes.map((a) => a.type)).toEqual(['C', 'O', 'OU', 'CN'])
    expect(d.issuer.text).toBe('CN=Inspect Root, O=Example Inc., C=US')
    expect(d.serialNumberHex.toUpperCase()).toBe(forge.openssl('x509', '-in', rich.pem, '-noout', '-serial').trim().replace('serial=', ''))
    expect(d.publicKey).toMatchObject({ algorithm: 'EC', bits: 256, curve: 'P-256' })
    expect(d.signatureAlgorithm.name).toBe('ecdsa-with-SHA256')
    expect(d.subjectAltNames).toEqual([
      { type: 'dns', value: 'app.example.test' },
      { type: 'ip', value: '192.0.2.7' },
      { type: 'email', value: 'ops@example.test' },
      { type: 'url', value: 'https://example.test/id' },
    ])
    expect(d.keyUsage).toEqual(['digitalSignature', 'keyEncipherment'])
    expect(d.extendedKeyUsage!.map((e) => e.name)).toEqual([
      'TLS Web Server Authentication (serverAuth)',
      'TLS Web Client Authentication (clientAuth)',
      'Microsoft Smart Card Logon',
    ])
    expect(d.basicConstraints).toEqual({ ca: false, pathLength: null, critical: true })
    const ski = /Subject Key Identifier: *\n\s*([0-9A-F:]+)/.exec(text)![1]!.replace(/:/g, '').toLowerCase()
    expect(d.subjectKeyIdentifier).toBe(ski)
    expect(d.authorityKeyIdentifier).toBe(inspectCertificate(root.der).subjectKeyIdentifier)
    const ext = (oid: string) => d.extensions.find((e) => e.oid === oid)!
    expect(ext('2.5.29.31').summary).toEqual(['URI:http://crl.example.test/ca.crl'])
    expect(ext('1.3.6.1.5.5.7.1.1').summary).toEqual(['OCSP - URL:http://ocsp.example.test', 'CA Issuers - URL:http://example.test/ca.crt'])
    expect(ext('2.5.29.32').summary).toEqual(['Policy: 2.23.140.1.2.1'])
    const unknown = ext('1.3.6.1.4.1.55555.7')
    expect(unknown).toMatchObject({ known: false, name: '1.3.6.1.4.1.55555.7', valueHex: '0c0568656c6c6f', critical: false })
    expect(text).toContain('1.3.6.1.4.1.55555.7')
    expect(d.selfSigned).toBe(false)
    expect(new Date(d.notAfter).getTime()).toBe(new Date(new X509Certificate(rich.der).validTo).getTime())
  })

  it('decodes name constraints', () => {
    const d = inspectCertificate(root.der)
    expect(d.isCa).toBe(true)
    expect(d.selfSigned).toBe(true)
    expect(d.basicConstraints).toEqual({ ca: true, pathLength: null, critical: true })
    expect(d.extensions.find((e) => e.oid === '2.5.29.30')).toMatchObject({
      critical: true,
      summary: ['Permitted: DNS:.example.test', 'Excluded: DNS:bad.example.test'],
    })
  })

  it('gives fingerprints in the Windows, macOS and Cloudflare formats, equal to openssl', () => {
    const f = inspectCertificate(rich.der).fingerprints
    const sha256 = opensslFingerprint(rich.pem, 'sha256').split('=')[1]!
    const sha1 = opensslFingerprint(rich.pem, 'sha1').split('=')[1]!
    const md5 = opensslFingerprint(rich.pem, 'md5').split('=')[1]!
    expect(f.cloudflareSha256).toBe(sha256)
    expect(f.windowsThumbprint).toBe(sha1.replace(/:/g, ''))
    expect(f.windowsThumbprint).toMatch(/^[0-9A-F]{40}$/)
    expect(f.macosSha256).toBe(sha256.replace(/:/g, ' '))
    expect(f.cloudflareMd5).toBe(`MD5 Fingerprint=${md5}`)
    expect(f.sha256).toBe(sha256.replace(/:/g, '').toLowerCase())
  })

  it('inspects every root in the system bundle, agreeing with Node on the SHA-256 fingerprint', () => {
    const file = readFileSync('/etc/ssl/certs/ca-certificates.crt')
    const { certificates } = readCertificateData(new Uint8Array(file))
    expect(certificates.length).toBeGreaterThan(50)
    for (const der of certificates) {
      const d = inspectCertificate(der)
      expect(d.fingerprints.cloudflareSha256).toBe(new X509Certificate(der).fingerprint256)
      expect(d.subject.text.length).toBeGreaterThan(0)
    }
  })

  it('rejects garbage with a specific error', () => {
    const truncated = rich.der.subarray(0, 100)
    expect(() => inspectCertificate(truncated)).toThrow(AppError)
    expect(() => inspectCertificate(truncated)).toThrow(
      /^The certificate is damaged or not DER: it is cut short, so part of it is missing\.$/,
    )
  })
})

describe('reading files', () => {
  it('reads PEM chains, DER and PKCS#7 bundles', async () => {
    const chainPath = forge.write('chain.pem', readFileSync(rich.pem, 'utf8') + readFileSync(root.pem, 'utf8'))
    expect(await readCertificateFile(chainPath)).toMatchObject({ kind: 'chain', certificates: [rich.der, root.der] })
    const derPath = forge.write('cert.der', rich.der)
    expect(await readCertificateFile(derPath)).toMatchObject({ kind: 'certificate', certificates: [rich.der] })
    const p7b = forge.write('bundle.p7b', '')
    forge.openssl('crl2pkcs7', '-nocrl', '-certfile', chainPath, '-outform', 'DER', '-out', p7b)
    expect(await readCertificateFile(p7b)).toMatchObject({ kind: 'pkcs7', certificates: [rich.der, root.der] })
    const p7pem = forge.write('bundle.p7c', '')
    forge.openssl('crl2pkcs7', '-nocrl', '-certfile', chainPath, '-out', p7pem)
    expect((await readCertificateFile(p7pem)).certificates).toEqual([rich.der, root.der])
  })

  it('names CSRs, keys, PKCS#12 and CRL files instead of failing', async () => {
    const key = forge.key('ec')
    const csr = forge.write('x.csr', '')
    forge.openssl('req', '-new', '-key', key, '-subj', '/CN=x', '-out', csr)
    const csrDer = forge.write('x.csr.der', '')
    forge.openssl('req', '-in', csr, '-outform', 'DER', '-out', csrDer)
    const p12 = forge.write('x.p12', '')
    forge.openssl('pkcs12', '-export', '-in', rich.pem, '-inkey', key, '-passout', 'pass:test', '-out', p12)
    const keyDer = forge.write('key.der', '')
    forge.openssl('pkey', '-in', key, '-outform', 'DER', '-out', keyDer)
    const pub = forge.write('pub.pem', '')
    forge.openssl('pkey', '-in', key, '-pubout', '-out', pub)
    const expectations: [string, string][] = [
      [csr, 'csr'],
      [csrDer, 'csr'],
      [key, 'private-key'],
      [keyDer, 'private-key'],
      [p12, 'pkcs12'],
      [pub, 'public-key'],
    ]
    for (const [path, kind] of expectations) {
      const result = await readCertificateFile(path)
      expect(InspectResult.shape.kind.parse(result.kind), path).toBe(kind)
      expect(result.certificates).toEqual([])
      expect(result.description.length).toBeGreaterThan(5)
    }
  })

  it('says what is wrong with missing, empty and corrupt files', async () => {
    await expect(readCertificateFile(`${forge.dir}/nope.pem`)).rejects.toThrow(/does not exist/)
    await expect(readCertificateFile(forge.write('empty.pem', ''))).rejects.toThrow(/is empty/)
    const corrupt = forge.write('corrupt.der', rich.der.subarray(0, rich.der.length - 9))
    await expect(readCertificateFile(corrupt)).rejects.toMatchObject({
      code: 'bad_input',
      message: expect.stringMatching(/corrupt\.der is damaged or not DER/),
    })
    // A SEQUENCE whose length field claims 11 length bytes: the decoder's own words ("length of 11 bytes at byte 0") stay inside.
    const bogus = forge.write('bogus.cer', new Uint8Array([0x30, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]))
    const error = await readCertificateFile(bogus).then(
      () => null,
      (e: unknown) => e as AppError,
    )
    expect(error?.message).toMatch(/bogus\.cer is damaged or not DER: its structure is broken\.$/)
    expect(error?.message).not.toMatch(/byte|length of/)
    expect((await readCertificateFile(forge.write('text.txt', 'hello world'))).kind).toBe('unknown')
  })
})
