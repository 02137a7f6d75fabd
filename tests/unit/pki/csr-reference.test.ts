/**
 * createCsr writes PKCS#10 DER by hand (for speed); @peculiar/x509's generator is the independent
 * reference: for any subject, SANs and key the signed part must be byte-identical, and OpenSSL
 * must verify and read back what createCsr signs for every key type.
 */
import * as asn1js from 'asn1js'
import * as fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as x509 from '@peculiar/x509'
import { createRootCa, signCsr } from '../../../src/main/pki/ca'
import { createCsr, csrSans, csrSubject, parseSan, readCsr, sanExtension, subjectName, validateSan } from '../../../src/main/pki/csr'
import { generateKey, KEY_TYPES, shutdownKeyPool, signingAlgorithm, type KeyPair } from '../../../src/main/pki/keys'
import type { CsrSubject, SanEntry } from '../../../src/shared/pki-model'
import { openssl, tempDir } from '../../support/tools'

const dir = tempDir()
afterAll(async () => {
  dir.remove()
  await shutdownKeyPool()
})

function tbsOf(der: Uint8Array): string {
  const parsed = asn1js.fromBER(der.slice().buffer)
  const info = (parsed.result as asn1js.Sequence).valueBlock.value[0]!
  return Buffer.from(info.valueBeforeDecodeView).toString('hex')
}

const word = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 .,'"+\\#=/()-]{0,30}[A-Za-z0-9.]$/)
const unicode = fc.constantFrom('Zoë', 'München', '東京都', 'Ελλάδα', 'Łódź ✓', 'a')
const field = fc.oneof(word, unicode)
const subjectArb: fc.Arbitrary<CsrSubject> = fc.record(
  { cn: field, o: field, ou: field, st: field, l: field, c: fc.constantFrom('US', 'DE', 'jp'), email: fc.emailAddress() },
  { requiredKeys: ['cn'] },
)
const sanArb: fc.Arbitrary<SanEntry> = fc.oneof(
  fc.domain().map((value) => ({ type: 'dns' as const, value })),
  fc.ipV4().map((value) => ({ type: 'ip' as const, value })),
  // IPv6 with a dotted IPv4 tail is left out of the comparison: @peculiar/x509 mis-encodes it
  // (::ffff:192.0.2.1 -> …ffff:0192); createCsr's encoding is checked against OpenSSL below instead.
  fc
    .ipV6()
    .filter((v) => !v.includes('.'))
    .map((value) => ({ type: 'ip' as const, value })),
  fc.webUrl().map((value) => ({ type: 'uri' as const, value })),
  fc.emailAddress().map((value) => ({ type: 'email' as const, value })),
)

/** The signed part as @peculiar/x509's own generator encodes it. */
async function reference(keys: KeyPair, subject: CsrSubject, sans: SanEntry[]): Promise<string> {
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: subjectName(subject),
    keys,
    signingAlgorithm: signingAlgorithm(keys.type),
    extensions: sans.length ? [sanExtension(sans)] : [],
  })
  return tbsOf(new Uint8Array(csr.rawData))
}

function valid(sans: SanEntry[]): SanEntry[] {
  return sans.flatMap((s) => {
    try {
      return [validateSan(s)]
    } catch {
      return []
    }
  })
}

describe('createCsr against @peculiar/x509', () => {
  let keys: KeyPair
  beforeAll(async () => {
    keys = await generateKey('ec-p256')
  })

  test('the signed part is byte-identical to @peculiar/x509 for any subject and SANs', async () => {
    await fc.assert(
      fc.asyncProperty(subjectArb, fc.array(sanArb, { maxLength: 5 }), async (subject, rawSans) => {
        const sans = valid(rawSans)
        return tbsOf((await createCsr({ keys, subject, sans })).der) === (await reference(keys, subject, sans))
      }),
      { numRuns: 150 },
    )
  })

  test.each(KEY_TYPES.filter((t) => t !== 'rsa-4096'))('%s: openssl req -verify accepts it and reads the fields back', async (type) => {
    const pair = await generateKey(type)
    const subject = { cn: `fast-${type}`, o: 'Example Inc', c: 'DE', email: 'ops@example.com' }
    const sans = [
      'DNS:fast.example.com',
      'IP:10.1.2.3',
      'IP:2001:db8::7',
      'IP:::ffff:192.0.2.1',
      'URI:spiffe://example.org/x',
      'email:ops@example.com',
    ]
    const { pem, der } = await createCsr({ keys: pair, subject, sans })
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n[A-Za-z0-9+/=\n]+\n-----END CERTIFICATE REQUEST-----\n$/)
    const file = dir.file(`fast-${type}.csr`, pem)
    const res = await openssl(['req', '-verify', '-noout', '-text', '-in', file])
    expect(res.code, res.stderr).toBe(0)
    expect(res.stdout).toContain('IP Address:2001:DB8:0:0:0:0:0:7, IP Address:0:0:0:0:0:FFFF:C000:201')
    const parsed = await readCsr(der)
    expect(csrSubject(parsed)).toEqual(subject)
    expect(csrSans(parsed)).toHaveLength(6)
    // Same bytes as the library would sign (without the IPv4-mapped address it mis-encodes).
    const comparable = sans.filter((s) => !s.includes('.0.2.1'))
    expect(tbsOf((await createCsr({ keys: pair, subject, sans: comparable })).der)).toBe(
      await reference(
        pair,
        subject,
        comparable.map((s) => parseSan(s)),
      ),
    )
    // Signing keeps the SANs intact, the IPv4-mapped IPv6 address included.
    const root = await createRootCa({ cn: 'Reference Root', keyType: 'ec-p256', days: 2 })
    const cert = await signCsr({ caCertPem: root.certificatePem, caKey: root.privateKey, csrPem: pem, profile: 'server', days: 1 })
    const text = await openssl(['x509', '-noout', '-ext', 'subjectAltName', '-in', dir.file(`fast-${type}.crt`, cert.certificatePem)])
    expect(text.stdout).toContain(
      'DNS:fast.example.com, IP Address:10.1.2.3, IP Address:2001:DB8:0:0:0:0:0:7, IP Address:0:0:0:0:0:FFFF:C000:201, URI:spiffe://example.org/x, email:ops@example.com',
    )
  })
})
