import { execFileSync } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { certFacts, certificatesInFile, parseRootForInstall, splitPemCertificates } from '../../../src/main/truststore/certificates'
import { parseFingerprint } from '../../../src/main/certs/fingerprint'
import { resolveCertOrFingerprint } from '../../../src/main/truststore/verify'
import { CertFactory, sha1Hex, sha256Hex } from '../../support/cert-factory'

const certs = new CertFactory()
afterAll(() => certs.cleanup())

function refusal(bytes: Buffer): { reason: unknown; message: string; hint?: string } {
  try {
    parseRootForInstall(bytes)
  } catch (error) {
    expect(error).toBeInstanceOf(AppError)
    const e = error as AppError
    expect(e.code).toBe('bad_input')
    return { reason: e.details?.['reason'], message: e.message, ...(e.hint ? { hint: e.hint } : {}) }
  }
  throw new Error('expected a refusal')
}

describe('root gatekeeper', () => {
  const root = certs.root('Gate Root')

  it('accepts a CA root as PEM and as DER with fingerprints that match openssl', () => {
    const fromPem = parseRootForInstall(Buffer.from(root.pem))
    expect(fromPem.summary.sha256).toBe(sha256Hex(root.pem))
    expect(fromPem.summary.sha1).toBe(sha1Hex(root.pem))
    expect(fromPem.summary.selfSigned).toBe(true)
    expect(fromPem.summary.subject).toBe('CN=Gate Root, O=Certdesk Test')
    const der = execFileSync('openssl', ['x509', '-outform', 'DER'], { input: root.pem })
    expect(parseRootForInstall(der).summary.sha256).toBe(fromPem.summary.sha256)
    expect(new X509Certificate(fromPem.pem).fingerprint256.replace(/:/g, '')).toBe(fromPem.summary.sha256)
  })

  it('refuses a leaf (non-CA) certificate and names its issuer', () => {
    const r = refusal(Buffer.from(certs.leaf(root).pem))
    expect(r.reason).toBe('not_ca')
    expect(r.message).toMatch(/not a CA certificate/)
    expect(r.hint).toContain('CN=Gate Root')
  })

  it('refuses an expired root', async () => {
    const r = refusal(Buffer.from(await certs.expiredRoot('Old Root')))
    expect(r.reason).toBe('expired')
    expect(r.message).toMatch(/Old Root.*expired on/)
  })

  it('refuses private keys as PEM (PKCS#8 and traditional), DER, and a certificate bundled with its key', () => {
    expect(refusal(Buffer.from(root.keyPem)).reason).toBe('private_key')
    const traditional = execFileSync('openssl', ['ec', '-in', root.keyPath], { stdio: ['pipe', 'pipe', 'pipe'] })
    expect(refusal(traditional).reason).toBe('private_key')
    const der = execFileSync('openssl', ['pkcs8', '-topk8', '-nocrypt', '-in', root.keyPath, '-outform', 'DER'])
    expect(refusal(der).reason).toBe('private_key')
    expect(refusal(Buffer.from(root.pem + root.keyPem)).reason).toBe('private_key')
  })

  it('refuses a CSR as PEM and as DER', () => {
    const csr = certs.csr()
    expect(refusal(Buffer.from(csr)).reason).toBe('csr')
    const der = execFileSync('openssl', ['req', '-outform', 'DER'], { input: csr })
    expect(refusal(der).reason).toBe('csr')
  })

  it('a binary file the app wrapped as a CERTIFICATE block is refused as what it holds (DER key, DER CSR)', () => {
    const wrap = (der: Buffer) =>
      Buffer.from(`-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`)
    const key = execFileSync('openssl', ['pkcs8', '-topk8', '-nocrypt', '-in', root.keyPath, '-outform', 'DER'])
    expect(refusal(wrap(key)).reason).toBe('private_key')
    const csr = execFileSync('openssl', ['req', '-outform', 'DER'], { input: certs.csr() })
    expect(refusal(wrap(csr)).reason).toBe('csr')
    // A real certificate so wrapped is taken as it is.
    const der = execFileSync('openssl', ['x509', '-outform', 'DER'], { input: root.pem })
    expect(parseRootForInstall(wrap(der)).summary.sha256).toBe(sha256Hex(root.pem))
    // For verify, the same.
    expect(() => resolveCertOrFingerprint(wrap(key).toString(), '/', { allowFiles: false })).toThrow(
      'This file contains a private key; give the certificate alone.',
    )
    expect(() => resolveCertOrFingerprint(wrap(csr).toString(), '/', { allowFiles: false })).toThrow(
      'This is a certificate signing request (CSR); a certificate was expected.',
    )
    expect(() =>
      resolveCertOrFingerprint('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', '/', { allowFiles: false }),
    ).toThrow('No certificate could be read from this input.')
  })

  it('refuses garbage, empty input and a damaged PEM block', () => {
    expect(refusal(Buffer.from('hello, this is not a certificate')).reason).toBe('not_a_certificate')
    expect(refusal(Buffer.alloc(0)).reason).toBe('not_a_certificate')
    expect(refusal(Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')).reason).toBe('not_a_certificate')
  })

  it('refuses a bundle of several certificates', () => {
    expect(refusal(Buffer.from(root.pem + certs.root('Other').pem)).reason).toBe('multiple_certificates')
  })

  it('splits a real system bundle into exactly as many certificates as openssl sees', () => {
    const text = execFileSync('cat', ['/etc/ssl/certs/ca-certificates.crt']).toString()
    const count = execFileSync('grep', ['-c', 'BEGIN CERTIFICATE', '/etc/ssl/certs/ca-certificates.crt']).toString().trim()
    expect(splitPemCertificates(text)).toHaveLength(Number(count))
    expect(certificatesInFile(Buffer.from(text))).toHaveLength(Number(count))
  })
})

describe('fingerprint input', () => {
  const hex = 'AB003100112233445566778899AABBCCDDEEFF00112233445566778899AABBCC'
  it('normalises SHA-256 with colons, spaces, dashes and lower case', () => {
    expect(parseFingerprint(hex.toLowerCase())).toEqual({ algorithm: 'sha256', hex })
    expect(parseFingerprint(hex.match(/../g)!.join(':'))).toEqual({ algorithm: 'sha256', hex })
    expect(parseFingerprint(hex.match(/../g)!.join(' ')).hex).toBe(hex)
    expect(parseFingerprint(`SHA256 Fingerprint=${hex.match(/../g)!.join(':')}`).hex).toBe(hex)
  })

  it('pads Cloudflare Gateway bytes written without their leading zero', () => {
    const gateway = hex
      .match(/../g)!
      .map((b) => b.replace(/^0/, ''))
      .join(':')
    expect(gateway.startsWith('AB:0:31:0:11')).toBe(true)
    expect(parseFingerprint(gateway)).toEqual({ algorithm: 'sha256', hex })
  })

  it('drops the invisible U+200E the Windows certificate dialog puts before a copied thumbprint, and says so', () => {
    const thumbprint = '\u200e1a 2b 3c 4d 5e 6f 70 81 92 a3 b4 c5 d6 e7 f8 09 1a 2b 3c 4d'
    expect(parseFingerprint(thumbprint)).toEqual({
      algorithm: 'sha1',
      hex: '1A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D',
      note: expect.stringMatching(/^Removed 1 invisible character \(U\+200E\) from the fingerprint/),
    })
    expect(parseFingerprint(`\ufeff${hex}\u200b`)).toMatchObject({
      hex,
      note: expect.stringMatching(/Removed 2 invisible characters \(U\+FEFF, U\+200B\)/),
    })
    expect(parseFingerprint(hex)).not.toHaveProperty('note')
    expect(resolveCertOrFingerprint(`\u200e${hex}`, undefined, { allowFiles: false }).fingerprint.hex).toBe(hex)
  })

  it('reads Cloudflare Access MD5 and SHA-1 fingerprints', () => {
    expect(parseFingerprint('MD5 Fingerprint=1A:2B:3C:4D:5E:6F:70:81:92:A3:B4:C5:D6:E7:F8:09')).toEqual({
      algorithm: 'md5',
      hex: '1A2B3C4D5E6F708192A3B4C5D6E7F809',
    })
    expect(parseFingerprint('sha1 fingerprint: 1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d').algorithm).toBe('sha1')
  })

  it('refuses wrong lengths, non-hex and mislabelled input with bad_input', () => {
    for (const bad of ['ABC', 'XYZ0'.repeat(16), 'AB:CDE:01', 'MD5 Fingerprint=' + hex]) {
      expect(() => parseFingerprint(bad)).toThrowError(AppError)
    }
    expect(() => parseFingerprint('AB'.repeat(20) + 'CD')).toThrow(/21 bytes/)
  })
})

describe('certificate times', () => {
  it('every root in this machine bundle keeps its real dates (the same instants openssl prints)', () => {
    const ders = splitPemCertificates(readFileSync('/etc/ssl/certs/ca-certificates.crt', 'latin1'))
    expect(ders.length).toBeGreaterThan(50)
    for (const der of ders) expect(() => certFacts(der)).not.toThrow()
    for (const der of ders.slice(0, 40)) {
      const facts = certFacts(der)
      const pem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64')}\n-----END CERTIFICATE-----\n`
      const end = execFileSync('openssl', ['x509', '-noout', '-enddate'], { input: pem }).toString().trim().replace('notAfter=', '')
      expect(facts.notAfter, facts.subject).toBe(new Date(end).toISOString())
    }
  })
})
