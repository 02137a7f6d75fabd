import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as x509 from '@peculiar/x509'
import { afterAll, describe, expect, test } from 'vitest'
import { checkPrivateKey, prepareCaChain } from '../../../src/main/cloudflare/account-mtls'
import { normaliseCsr, pemBody, validateValidityDays } from '../../../src/main/cloudflare/client-certificates'
import { validateBaseUrl } from '../../../src/main/cloudflare/client'
import { fingerprintOfPem, normaliseFingerprint, sameFingerprint } from '../../../src/main/cloudflare/gateway'
import { normaliseHostname, planReplace } from '../../../src/main/cloudflare/hostnames'
import { AppError } from '../../../src/shared/errors'
import { validityDaysForYears, VALIDITY_YEARS } from '../../../src/shared/cloudflare-model'
import { opensslCsr, opensslRoot, opensslSign, ROOT_EXT } from '../../support/cert-factory'

const dir = mkdtempSync(join(tmpdir(), 'certdesk-cf-unit-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function openssl(...args: string[]): string {
  return execFileSync('openssl', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
}

describe('planReplace', () => {
  test('added, removed, kept; case and trailing dots ignored; order kept', () => {
    expect(
      planReplace(
        ['a.example.com', 'B.example.com', 'c.example.com'],
        ['d.example.com', 'b.example.com.', 'a.example.com', 'd.example.com'],
      ),
    ).toEqual({
      added: ['d.example.com'],
      removed: ['c.example.com'],
      kept: ['a.example.com', 'b.example.com'],
    })
  })
  test('empty next removes everything; empty current adds everything', () => {
    expect(planReplace(['x.example.com'], [])).toEqual({ added: [], removed: ['x.example.com'], kept: [] })
    expect(planReplace([], ['x.example.com'])).toEqual({ added: ['x.example.com'], removed: [], kept: [] })
  })
  test('hostname validation', () => {
    expect(normaliseHostname(' API.Example.com. ')).toBe('api.example.com')
    expect(normaliseHostname('*.example.com')).toBe('*.example.com')
    for (const bad of ['', 'localhost', 'a..b.com', '-a.example.com', 'a b.com', 'https://a.example.com', `${'a'.repeat(64)}.com`]) {
      expect(() => normaliseHostname(bad)).toThrow(AppError)
    }
  })
})

describe('fingerprints', () => {
  test("pads Cloudflare's unpadded bytes (the example in Cloudflare docs: Deploy custom certificate)", () => {
    const seed = 'E9:19:49:AA:DD:D8:1E:C1:20:2A:D8:22:BF:A5:F8:FC:1A:F7:10:9F:C7:5B:69:AB:0:31:91:8B:61:B4:BF:1C'
    expect(normaliseFingerprint(seed)).toBe(
      'E9:19:49:AA:DD:D8:1E:C1:20:2A:D8:22:BF:A5:F8:FC:1A:F7:10:9F:C7:5B:69:AB:00:31:91:8B:61:B4:BF:1C',
    )
    expect(sameFingerprint(seed, 'e91949aaddd81ec1202ad822bfa5f8fc1af7109fc75b69ab0031918b61b4bf1c')).toBe(true)
    expect(
      sameFingerprint(
        seed,
        'SHA256 Fingerprint=E9:19:49:AA:DD:D8:1E:C1:20:2A:D8:22:BF:A5:F8:FC:1A:F7:10:9F:C7:5B:69:AB:00:31:91:8B:61:B4:BF:1C',
      ),
    ).toBe(true)
    expect(sameFingerprint(seed, seed.replace('AB:0:31', 'AB:3:10'))).toBe(false)
    expect(sameFingerprint(seed, '\u200ee91949aaddd81ec1202ad822bfa5f8fc1af7109fc75b69ab0031918b61b4bf1c')).toBe(true)
  })
  test('rejects what is not a SHA-256 fingerprint', () => {
    expect(normaliseFingerprint('MD5 Fingerprint=1E:80:0F:7A:FD:31:55:96:DE:D5:CB:E2:F0:91:F6:91')).toBeNull()
    expect(normaliseFingerprint('zz:11')).toBeNull()
    expect(normaliseFingerprint('123:45')).toBeNull()
  })
  test('fingerprintOfPem matches openssl', () => {
    opensslRoot(join(dir, 'fp.pem'), join(dir, 'fp.key'), { subject: '/CN=fp', days: 1 })
    const out = openssl('x509', '-in', 'fp.pem', '-noout', '-fingerprint', '-sha256')
    expect(fingerprintOfPem(readFileSync(join(dir, 'fp.pem'), 'utf8'))).toBe(out.trim().split('=')[1])
  })
})

describe('CSR checks', () => {
  test('accepts an openssl CSR (CRLF too) and rejects altered, wrong-type and junk input', async () => {
    const csr = opensslCsr(join(dir, 'dev.csr'), join(dir, 'dev.key'), '/CN=device-1/O=Example')
    const normalised = await normaliseCsr(csr.replace(/\n/g, '\r\n'))
    expect(normalised.endsWith('-----END CERTIFICATE REQUEST-----\n')).toBe(true)
    expect(pemBody(normalised)).toBe(pemBody(csr))

    const key = readFileSync(join(dir, 'dev.key'), 'utf8')
    await expect(normaliseCsr(key)).rejects.toThrow(/private key/)
    openssl('req', '-x509', '-key', 'dev.key', '-out', 'dev.crt', '-subj', '/CN=x', '-days', '1')
    await expect(normaliseCsr(readFileSync(join(dir, 'dev.crt'), 'utf8'))).rejects.toThrow(/certificate, not a certificate signing request/)
    await expect(normaliseCsr('hello')).rejects.toThrow(/not PEM/)
    // Cut off before its END line: say it is truncated, not that it lacks the BEGIN line it has.
    const cut = csr.slice(0, csr.indexOf('-----END'))
    await expect(normaliseCsr(cut)).rejects.toMatchObject({
      code: 'bad_input',
      message: 'The CSR is truncated: it begins with its BEGIN line but its END line is missing.',
    })

    // Flip one byte inside the signed subject: the self-signature no longer verifies.
    const der = Buffer.from(pemBody(csr), 'base64')
    const cn = der.indexOf(Buffer.from('device-1'))
    der[cn] = 'D'.charCodeAt(0)
    const body = der.toString('base64').replace(/.{64}/g, '$&\n')
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${body}\n-----END CERTIFICATE REQUEST-----\n`
    await expect(normaliseCsr(tampered)).rejects.toThrow(/signature does not match/)
  })
  test('validity', () => {
    expect(VALIDITY_YEARS.map(validityDaysForYears)).toEqual([365, 730, 1095, 1825, 3650, 5475])
    expect(validateValidityDays(3650)).toBe(3650)
    for (const bad of [0, -1, 1.5, 10_951, Number.NaN]) expect(() => validateValidityDays(bad)).toThrow(AppError)
  })
})

describe('CA chain preparation', () => {
  test('orders a leaf-first bundle root first, checks CA:TRUE and the key', () => {
    const rootCa = opensslRoot(join(dir, 'root.pem'), join(dir, 'root.key'), { subject: '/CN=Test Root', key: 'rsa:2048', ext: ROOT_EXT })
    opensslCsr(join(dir, 'int.csr'), join(dir, 'int.key'), '/CN=Test Intermediate')
    const intExt = 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n'
    const int = opensslSign(join(dir, 'int.csr'), rootCa, join(dir, 'int.pem'), intExt)
    const root = rootCa.pem
    const chain = prepareCaChain(int + root)
    expect(chain.certificates.map((c) => c.subject)).toEqual(['CN=Test Root', 'CN=Test Intermediate'])
    expect(chain.pem.indexOf(pemBody(root).slice(0, 40))).toBeLessThan(chain.pem.indexOf(pemBody(int).slice(0, 40)))
    // openssl agrees the reordered bundle is a valid chain: root first, then the intermediate it issued.
    writeFileSync(join(dir, 'ordered.pem'), chain.pem)
    const parsed = (chain.pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map(
      (p) => new x509.X509Certificate(p),
    )
    expect(parsed[1]!.issuer).toBe(parsed[0]!.subject)

    expect(checkPrivateKey(readFileSync(join(dir, 'int.key'), 'utf8'), chain)).toContain('PRIVATE KEY')
    expect(checkPrivateKey(readFileSync(join(dir, 'root.key'), 'utf8'), chain)).toContain('PRIVATE KEY')
    expect(() => checkPrivateKey(readFileSync(join(dir, 'dev.key'), 'utf8'), chain)).toThrow(/does not belong/)
    expect(() => checkPrivateKey('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----', chain)).toThrow(/could not be read/)
  })
  test('refuses leaves, keys, junk and two chains', () => {
    opensslRoot(join(dir, 'leaf.pem'), join(dir, 'leaf.key'), { subject: '/CN=leaf', days: 1, ext: ['basicConstraints=critical,CA:FALSE'] })
    expect(() => prepareCaChain(readFileSync(join(dir, 'leaf.pem'), 'utf8'))).toThrow(/lacks basicConstraints CA:TRUE/)
    expect(() => prepareCaChain(readFileSync(join(dir, 'leaf.key'), 'utf8'))).toThrow(/private key, not a certificate/)
    expect(() => prepareCaChain('nothing here')).toThrow(/No PEM certificate/)
    expect(() => prepareCaChain('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----')).toThrow(/could not be decoded/)
    const two = readFileSync(join(dir, 'root.pem'), 'utf8') + readFileSync(join(dir, 'fp.pem'), 'utf8')
    expect(() => prepareCaChain(two, false)).toThrow(/2 root certificates/)
  })
})

describe('base URL', () => {
  test('https anywhere, http only on loopback', () => {
    expect(validateBaseUrl(undefined)).toEqual({ url: 'https://api.cloudflare.com/client/v4', isSandbox: false })
    expect(validateBaseUrl('http://127.0.0.1:8787/client/v4/')).toEqual({ url: 'http://127.0.0.1:8787/client/v4', isSandbox: true })
    expect(() => validateBaseUrl('http://api.cloudflare.com/client/v4')).toThrow(/Refusing to send an API token/)
    expect(() => validateBaseUrl('not a url')).toThrow(/not a URL/)
    expect(() => validateBaseUrl('https://u:p@example.com')).toThrow(/user name or password/)
  })
})
