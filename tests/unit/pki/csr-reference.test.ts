/**
 * The DER-assembled CSR is byte-identical to @peculiar/x509's for the same subject, SANs and key
 * (property-based), and OpenSSL verifies what it signs for every key type.
 */
import * as asn1js from 'asn1js'
import * as fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createCsr, csrSans, csrSubject, readCsr, validateSan } from '../../../src/main/pki/csr'
import { createCsrDer, encodeCsrInfo } from '../../../src/main/pki/csr-der'
import { generateKey, KEY_TYPES, shutdownKeyPool, type KeyPair } from '../../../src/main/pki/keys'
import type { CsrSubject, SanEntry } from '../../../src/shared/pki-model'
import { openssl, tempDir } from './helpers'

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
  fc.ipV6().map((value) => ({ type: 'ip' as const, value })),
  fc.webUrl().map((value) => ({ type: 'uri' as const, value })),
  fc.emailAddress().map((value) => ({ type: 'email' as const, value })),
)

function valid(sans: SanEntry[]): SanEntry[] {
  return sans.flatMap((s) => {
    try {
      return [validateSan(s)]
    } catch {
      return []
    }
  })
}

describe('createCsrDer', () => {
  let keys: KeyPair
  let spki: Uint8Array
  beforeAll(async () => {
    keys = await generateKey('ec-p256')
    spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey))
  })

  test('the signed part is byte-identical to @peculiar/x509 for any subject and SANs', async () => {
    await fc.assert(
      fc.asyncProperty(subjectArb, fc.array(sanArb, { maxLength: 5 }), async (subject, rawSans) => {
        const sans = valid(rawSans)
        const reference = await createCsr({ keys, subject, sans })
        return tbsOf(reference.der) === Buffer.from(encodeCsrInfo(subject, sans, spki)).toString('hex')
      }),
      { numRuns: 150 },
    )
  })

  test.each(KEY_TYPES.filter((t) => t !== 'rsa-4096'))('%s: openssl req -verify accepts it and reads the fields back', async (type) => {
    const pair = await generateKey(type)
    const subject = { cn: `fast-${type}`, o: 'Example Inc', c: 'DE', email: 'ops@example.com' }
    const sans = ['DNS:fast.example.com', 'IP:10.1.2.3', 'IP:2001:db8::7', 'IP:::ffff:192.0.2.1', 'URI:spiffe://example.org/x', 'email:ops@example.com']
    const { pem, der } = await createCsrDer({ keys: pair, subject, sans })
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n[A-Za-z0-9+/=\n]+\n-----END CERTIFICATE REQUEST-----\n$/)
    const file = dir.file(`fast-${type}.csr`, pem)
    const res = await openssl(['req', '-verify', '-noout', '-text', '-in', file])
    expect(res.code, res.stderr).toBe(0)
    expect(res.stdout).toContain('IP Address:2001:DB8:0:0:0:0:0:7, IP Address:0:0:0:0:0:FFFF:C000:201')
    const parsed = await readCsr(der)
    expect(csrSubject(parsed)).toEqual(subject)
    expect(csrSans(parsed)).toHaveLength(6)
    // Same bytes as the library would sign.
    expect(tbsOf(der)).toBe(tbsOf((await createCsr({ keys: pair, subject, sans })).der))
  })

  test('validation is the same as createCsr', async () => {
    await expect(createCsrDer({ keys, subject: { cn: ' ' } })).rejects.toMatchObject({ code: 'bad_input', message: 'Common name (CN) is required.' })
    await expect(createCsrDer({ keys, subject: { cn: 'x' }, sans: ['IP:300.1.1.1'] })).rejects.toMatchObject({ code: 'bad_input' })
  })
})
