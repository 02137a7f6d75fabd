/** CSRs: OpenSSL verifies every one, fields and SANs land as typed, and bad fields get specific errors. */
import fc from 'fast-check'
import { afterAll, describe, expect, test } from 'vitest'
import { ipBytes } from '../../../src/main/pki/der-writer'
import { createCsr, csrSans, csrSubject, parseSan, readCsr, validateSubject } from '../../../src/main/pki/csr'
import { generateKey, KEY_TYPES, shutdownKeyPool } from '../../../src/main/pki/keys'
import { openssl, tempDir } from '../../support/tools'

const dir = tempDir()
afterAll(async () => {
  dir.remove()
  await shutdownKeyPool()
})

describe('createCsr', () => {
  test.each(KEY_TYPES.filter((t) => t !== 'rsa-4096'))('%s: openssl req -verify accepts it', async (type) => {
    const keys = await generateKey(type)
    const { pem } = await createCsr({
      keys,
      subject: { cn: `device-${type}`, o: 'Example Inc', c: 'us' },
      sans: ['DNS:device.example.com'],
    })
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n[A-Za-z0-9+/=\n]+\n-----END CERTIFICATE REQUEST-----\n$/)
    expect(pem).not.toContain('\r')
    const file = dir.file(`${type}.csr`, pem)
    const res = await openssl(['req', '-verify', '-noout', '-in', file])
    expect(res.code, res.stderr).toBe(0)
    expect(res.stderr + res.stdout).toMatch(/verify OK|Certificate request self-signature verify OK/)
    const sig = await openssl(['req', '-in', file, '-noout', '-text'])
    expect(sig.stdout).toMatch(
      type.startsWith('rsa') ? /sha256WithRSAEncryption/ : type === 'ec-p384' ? /ecdsa-with-SHA384/ : /ecdsa-with-SHA256/,
    )
  })

  test('every subject field and SAN type, as openssl reads them', async () => {
    const keys = await generateKey('ec-p256')
    const subject = {
      cn: 'Zoë, "the" + #1 \\ device',
      o: 'Example Inc.',
      ou: 'Fleet/IoT',
      c: 'DE',
      st: 'Berlin',
      l: 'Berlin-Mitte',
      email: 'ops@example.com',
    }
    const { pem } = await createCsr({
      keys,
      subject,
      sans: [
        'DNS:*.fleet.example.com',
        'dns:api.example.com',
        'IP:10.0.0.7',
        'IP:2001:db8::1',
        'URI:spiffe://example.org/device/7',
        'email:ops@example.com',
      ],
    })
    const file = dir.file('full.csr', pem)
    const res = await openssl(['req', '-in', file, '-noout', '-text', '-nameopt', 'RFC2253,-esc_msb'])
    expect(res.code, res.stderr).toBe(0)
    expect(res.stdout).toContain('CN=Zoë\\, \\"the\\" \\+ #1 \\\\ device')
    expect(res.stdout).toContain('OU=Fleet/IoT,O=Example Inc.,L=Berlin-Mitte,ST=Berlin,C=DE')
    expect(res.stdout).toContain('emailAddress=ops@example.com')
    expect(res.stdout).toContain(
      'DNS:*.fleet.example.com, DNS:api.example.com, IP Address:10.0.0.7, IP Address:2001:DB8:0:0:0:0:0:1, URI:spiffe://example.org/device/7, email:ops@example.com',
    )
    // Read back through our own parser: signature verified, fields and SANs intact.
    const csr = await readCsr(pem)
    expect(csrSubject(csr)).toEqual(subject)
    expect(csrSans(csr).map((s) => s.type)).toEqual(['dns', 'dns', 'ip', 'ip', 'uri', 'email'])
  })

  test('readCsr refuses a CSR whose content was altered after signing', async () => {
    const keys = await generateKey('ec-p256')
    const { der } = await createCsr({ keys, subject: { cn: 'original-name' } })
    const altered = Buffer.from(der)
    const at = altered.indexOf(Buffer.from('original-name'))
    altered.write('Original-name', at)
    await expect(readCsr(new Uint8Array(altered))).rejects.toMatchObject({
      code: 'bad_input',
      message: expect.stringContaining('signature does not verify'),
    })
    await expect(readCsr('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n')).rejects.toMatchObject({
      message: 'This is a private key; a certificate signing request (CSR) was expected.',
    })
  })
})

describe('subject and SAN validation', () => {
  const cases: [string, Parameters<typeof validateSubject>[0], string][] = [
    ['missing CN', { cn: '  ' }, 'Common name (CN) is required.'],
    ['CN too long', { cn: 'x'.repeat(65) }, 'Common name (CN) is 65 characters; RFC 5280 allows at most 64.'],
    ['O too long', { cn: 'a', o: 'o'.repeat(65) }, 'Organization (O) is 65 characters; RFC 5280 allows at most 64.'],
    ['OU too long', { cn: 'a', ou: 'u'.repeat(70) }, 'Organizational unit (OU) is 70 characters; RFC 5280 allows at most 64.'],
    ['L too long', { cn: 'a', l: 'l'.repeat(129) }, 'Locality (L) is 129 characters; RFC 5280 allows at most 128.'],
    ['ST too long', { cn: 'a', st: 's'.repeat(129) }, 'State or province (ST) is 129 characters; RFC 5280 allows at most 128.'],
    [
      'email too long',
      { cn: 'a', email: `${'e'.repeat(250)}@example.com` },
      'Email address is 262 characters; RFC 5280 allows at most 255.',
    ],
    ['country of three letters', { cn: 'a', c: 'USA' }, 'Country (C) must be a two-letter ISO 3166 code such as US or DE, not "USA".'],
    ['bad email', { cn: 'a', email: 'not-an-address' }, 'Email address "not-an-address" is not an address like name@example.com.'],
    ['line break in CN', { cn: 'a\nb' }, 'Common name (CN) contains a control character (line break, tab or similar).'],
  ]
  test.each(cases)('%s', (_name, subject, message) => {
    expect(() => validateSubject(subject)).toThrow(expect.objectContaining({ code: 'bad_input', message, hint: expect.any(String) }))
  })

  test('64 characters (not bytes) is accepted: multibyte names are not penalised', () => {
    expect(validateSubject({ cn: 'ü'.repeat(64) }).cn).toHaveLength(64)
  })

  test.each([
    ['DNS:exa mple.com', 'contains whitespace'],
    ['DNS:-bad.example.com', 'is not a valid DNS name'],
    ['DNS:a.*.example.com', 'is not a valid DNS name'],
    ['IP:10.0.0.256', 'is not an IPv4 or IPv6 address'],
    ['URI:no-scheme', 'is not an absolute URI'],
    ['email:nobody', 'is not an email address'],
    ['DNS:', 'is empty'],
  ])('SAN %s', (text, message) => {
    expect(() => parseSan(text)).toThrow(expect.objectContaining({ code: 'bad_input', message: expect.stringContaining(message) }))
  })

  test('a bare name is a DNS SAN, lower-cased', () => {
    expect(parseSan('API.Example.com')).toEqual({ type: 'dns', value: 'api.example.com' })
  })
})

describe('the DER writer behind createCsr', () => {
  test('property: any valid subject and SAN set round-trips through @peculiar/x509 with a verifying signature', async () => {
    const keys = await generateKey('ec-p256')
    const text = (max: number) =>
      fc
        .string({ unit: 'grapheme', minLength: 1, maxLength: max })
        // eslint-disable-next-line no-control-regex -- control characters are exactly what is filtered out
        .filter((s) => s.trim() !== '' && !/[\u0000-\u001f\u007f]/.test(s) && [...s.trim()].length <= max)
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/)
    const san = fc.oneof(
      fc.array(label, { minLength: 2, maxLength: 4 }).map((l) => `DNS:${l.join('.')}`),
      fc.ipV4().map((ip) => `IP:${ip}`),
      fc.ipV6().map((ip) => `IP:${ip}`),
    )
    await fc.assert(
      fc.asyncProperty(
        text(64),
        fc.option(text(64), { nil: undefined }),
        fc.option(text(128), { nil: undefined }),
        fc.array(san, { maxLength: 6 }),
        async (cn, o, l, sans) => {
          const subject = { cn, ...(o ? { o } : {}), ...(l ? { l } : {}) }
          const { pem } = await createCsr({ keys, subject, sans })
          const csr = await readCsr(pem)
          const back = csrSubject(csr)
          expect(back.cn).toBe(cn.trim())
          if (o) expect(back.o).toBe(o.trim())
          if (l) expect(back.l).toBe(l.trim())
          expect(csrSans(csr)).toHaveLength(sans.length)
        },
      ),
      { numRuns: 150 },
    )
  })

  test('IPv6 forms encode to the right 16 bytes', () => {
    expect(ipBytes('::1').toString('hex')).toBe('00000000000000000000000000000001')
    expect(ipBytes('2001:db8::8:800:200c:417a').toString('hex')).toBe('20010db8000000000008080020 0c417a'.replace(' ', ''))
    expect(ipBytes('::ffff:10.0.0.1').toString('hex')).toBe('00000000000000000000ffff0a000001')
    expect(ipBytes('fe80::').toString('hex')).toBe('fe800000000000000000000000000000')
    expect(ipBytes('192.168.0.1').toString('hex')).toBe('c0a80001')
  })
})
