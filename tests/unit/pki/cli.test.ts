/**
 * `certdesk key|csr|ca|p12` through runCli, refereed by openssl: a whole private PKI from the command
 * line, encrypted keys, 0600 modes, no silent overwrite, exit code 2 with a reason on bad input.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { afterAll, describe, expect, test } from 'vitest'
import { runCli } from '../../../src/cli/run'
import { openssl, tempDir } from '../../support/tools'

const dir = tempDir('certdesk-pki-cli-')
afterAll(() => dir.remove())

const ENV = { KEY_PW: 'key pass ✓', P12_PW: 'p12-pass', EMPTY: '' }

async function cli(...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: ENV, cwd: dir.path }, '0.0.0-test')
  return { code, out: out.join(''), err: err.join('') }
}

const mode = (name: string) => statSync(dir.file(name)).mode & 0o777

describe('certdesk pki commands', () => {
  test('ca new → key new → csr new → ca sign → p12 export, all accepted by openssl', async () => {
    const ca = await cli(
      'ca',
      'new',
      '--cn',
      'CLI Root',
      '--o',
      'Certdesk',
      '--type',
      'ec-p256',
      '--days',
      '365',
      '--path-len',
      '0',
      '--permit-dns',
      'example.com',
      '--out-cert',
      'ca.pem',
      '--out-key',
      'ca-key.pem',
      '--json',
    )
    expect(ca.code, ca.err).toBe(0)
    expect(JSON.parse(ca.out)).toMatchObject({ keyType: 'ec-p256', encrypted: false })
    expect(mode('ca-key.pem')).toBe(0o600)
    const ext = await openssl(['x509', '-in', dir.file('ca.pem'), '-noout', '-ext', 'basicConstraints,keyUsage,nameConstraints'])
    expect(ext.stdout).toMatch(/Basic Constraints: critical\s+CA:TRUE, pathlen:0/)
    expect(ext.stdout).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/)
    expect(ext.stdout).toMatch(/Name Constraints: critical/)

    const key = await cli('key', 'new', '--type', 'rsa-2048', '--out', 'client.key', '--encrypt', '--password-env', 'KEY_PW')
    expect(key.code, key.err).toBe(0)
    expect(key.out).toContain('encrypted rsa-2048')
    expect(mode('client.key')).toBe(0o600)
    expect(readFileSync(dir.file('client.key'), 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/)
    const asn1 = await openssl(['asn1parse', '-in', dir.file('client.key')])
    expect(asn1.stdout).toMatch(/PBES2[\s\S]*PBKDF2[\s\S]*hmacWithSHA256[\s\S]*aes-256-cbc/)
    expect((await openssl(['pkey', '-in', dir.file('client.key'), '-passin', 'env:KEY_PW', '-noout', '-check'], ENV)).code).toBe(0)

    const csr = await cli(
      'csr',
      'new',
      '--key',
      'client.key',
      '--key-password-env',
      'KEY_PW',
      '--cn',
      'device-42',
      '--o',
      'Certdesk',
      '--c',
      'de',
      '--san',
      'DNS:device-42.example.com',
      '--san',
      'email:ops@example.com',
      '--out',
      'client.csr',
      '--json',
    )
    expect(csr.code, csr.err).toBe(0)
    expect(JSON.parse(csr.out).subject).toEqual({ cn: 'device-42', o: 'Certdesk', c: 'DE' })
    const verify = await openssl(['req', '-verify', '-noout', '-in', dir.file('client.csr')])
    expect(verify.code, verify.stderr).toBe(0)

    const sign = await cli(
      'ca',
      'sign',
      '--ca',
      'ca.pem',
      '--ca-key',
      'ca-key.pem',
      '--csr',
      'client.csr',
      '--profile',
      'client',
      '--days',
      '90',
      '--out',
      'client.pem',
      '--json',
    )
    expect(sign.code, sign.err).toBe(0)
    expect(JSON.parse(sign.out)).toMatchObject({ profile: 'client', serialNumber: expect.stringMatching(/^[0-9a-f]+$/) })
    const chain = await openssl(['verify', '-x509_strict', '-purpose', 'sslclient', '-CAfile', dir.file('ca.pem'), dir.file('client.pem')])
    expect(chain.code, chain.stdout + chain.stderr).toBe(0)

    for (const legacy of [false, true]) {
      const name = legacy ? 'legacy.p12' : 'client.p12'
      const p12 = await cli(
        'p12',
        'export',
        '--cert',
        'client.pem',
        '--key',
        'client.key',
        '--key-password-env',
        'KEY_PW',
        '--chain',
        'ca.pem',
        '--password-env',
        'P12_PW',
        '--out',
        name,
        ...(legacy ? ['--legacy'] : []),
      )
      expect(p12.code, p12.err).toBe(0)
      expect(mode(name)).toBe(0o600)
      const info = await openssl(['pkcs12', '-info', '-nokeys', '-in', dir.file(name), '-passin', 'env:P12_PW'], ENV)
      expect(info.code, info.stderr).toBe(0)
      expect(info.stderr).toMatch(legacy ? /MAC: sha1/ : /MAC: sha256/)
      expect(info.stdout.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(2)
    }
  })

  test('a repeated --san is taken as given: a comma inside a URI does not split it into two names', async () => {
    expect((await cli('key', 'new', '--type', 'ec-p256', '--out', 'san.key')).code).toBe(0)
    const uri = 'URI:https://device.example.com/?tags=a,b'
    const csr = await cli(
      'csr',
      'new',
      '--key',
      'san.key',
      '--cn',
      'device',
      '--san',
      uri,
      '--san',
      'DNS:device.example.com',
      '--out',
      'san.csr',
    )
    expect(csr.code, csr.err).toBe(0)
    const text = await openssl(['req', '-in', dir.file('san.csr'), '-noout', '-text'])
    expect(text.stdout).toContain('URI:https://device.example.com/?tags=a,b')
    expect(text.stdout).toContain('DNS:device.example.com')
  })

  test('an existing output is never overwritten without --force', async () => {
    writeFileSync(dir.file('precious.key'), 'do not lose me')
    const res = await cli('key', 'new', '--type', 'ec-p256', '--out', 'precious.key')
    expect(res.code).toBe(2)
    expect(res.err).toContain('precious.key already exists; Certdesk does not overwrite it.')
    expect(readFileSync(dir.file('precious.key'), 'utf8')).toBe('do not lose me')
    const forced = await cli('key', 'new', '--type', 'ec-p384', '--out', 'precious.key', '--force')
    expect(forced.code, forced.err).toBe(0)
    expect((await openssl(['pkey', '-in', dir.file('precious.key'), '-noout', '-text'])).stdout).toMatch(/P-384/)
  })

  test.each([
    [['key', 'new', '--type', 'rsa-1024', '--out', 'x.key'], 'unknown key type "rsa-1024"'],
    [['key', 'new', '--type', 'ec-p256', '--out', 'x.key', '--encrypt'], '--encrypt needs --password-env VAR'],
    [
      ['key', 'new', '--type', 'ec-p256', '--out', 'x.key', '--encrypt', '--password-env', 'EMPTY'],
      'names EMPTY, but that environment variable is empty or not set',
    ],
    [['csr', 'new', '--key', 'missing.key', '--cn', 'x', '--out', 'x.csr'], 'missing.key does not exist.'],
    [['csr', 'new', '--key', 'ca.pem', '--cn', 'x', '--out', 'x.csr'], 'This is a certificate; a private key was expected.'],
    [['csr', 'new', '--key', 'ca-key.pem', '--cn', 'x', '--c', 'USA', '--out', 'x.csr'], 'Country (C) must be a two-letter ISO 3166 code'],
    [['csr', 'new', '--key', 'client.key', '--key-password-env', 'P12_PW', '--cn', 'x', '--out', 'x.csr'], 'Wrong password'],
    [
      [
        'ca',
        'sign',
        '--ca',
        'ca.pem',
        '--ca-key',
        'ca-key.pem',
        '--csr',
        'client.csr',
        '--profile',
        'root',
        '--days',
        '1',
        '--out',
        'x.pem',
      ],
      'unknown profile "root"',
    ],
    [
      [
        'ca',
        'sign',
        '--ca',
        'client.pem',
        '--ca-key',
        'client.key',
        '--ca-password-env',
        'KEY_PW',
        '--csr',
        'client.csr',
        '--profile',
        'client',
        '--days',
        '1',
        '--out',
        'x.pem',
      ],
      'is not a CA certificate',
    ],
    [
      [
        'ca',
        'sign',
        '--ca',
        'ca.pem',
        '--ca-key',
        'ca-key.pem',
        '--csr',
        'client.csr',
        '--profile',
        'server',
        '--days',
        'ten',
        '--out',
        'x.pem',
      ],
      '--days must be a whole number',
    ],
    [
      ['p12', 'export', '--cert', 'client.pem', '--key', 'ca-key.pem', '--password-env', 'P12_PW', '--out', 'x.p12'],
      'does not match the certificate',
    ],
    [
      ['p12', 'export', '--cert', 'client.pem', '--key', 'client.key', '--key-password-env', 'KEY_PW', '--out', 'x.p12'],
      '--password-env VAR is required',
    ],
  ])('exit 2 with a specific reason: %j', async (argv, message) => {
    const res = await cli(...argv)
    expect(res.code, res.out + res.err).toBe(2)
    expect(res.err).toContain(message)
  })
})
