import { describe, expect, test } from 'vitest'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { redact, registerSecret } from '../../../src/main/log'
import { ProfileConnections, SandboxHost } from '../../../src/main/profiles/connections'
import { ProfileStore } from '../../../src/main/storage/profiles'
import { ProfileAddRequest, TOKEN_MAX_LENGTH, TOKEN_MIN_LENGTH } from '../../../src/shared/model'
import { keychainUnavailable } from '../../../src/main/secrets/keychain'

describe('log redaction', () => {
  test('removes tokens, bearer headers and private keys', () => {
    const token = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-Ab'
    const key = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----'
    const out = redact(
      `token=${token} Authorization: Bearer ${token} ${key} -----BEGIN ENCRYPTED PRIVATE KEY-----\nabc\n-----END ENCRYPTED PRIVATE KEY-----`,
    )
    expect(out).not.toContain(token)
    expect(out).not.toContain('MIIEvQIBADANBg')
    expect(out).not.toContain('abc\n')
    expect(out).toContain('[redacted]')
  })

  test('a token of any length the profile schema accepts is redacted when it looks like a token', () => {
    for (const length of [TOKEN_MIN_LENGTH, 32, 39, 41, 64, 120, TOKEN_MAX_LENGTH]) {
      const token = Array.from({ length }, (_, i) => 'aB3_-xY9'[i % 8]).join('')
      expect(ProfileAddRequest.safeParse({ kind: 'cloudflare', name: 'n', token }).success, `${length} accepted`).toBe(true)
      const out = redact(`verify failed for token ${token} (status 401)`)
      expect(out, `${length}`).not.toContain(token)
      expect(out).toBe('verify failed for token [token redacted] (status 401)')
    }
  })

  test('a secret the app has loaded is redacted exactly, even when it does not look like a token', () => {
    const token = 'abcdefghijklmnopqrstuvwxyz-plain-lowercase'
    expect(redact(`calling with ${token}`)).toContain(token)
    registerSecret(token)
    expect(redact(`calling with ${token}; again:${token}.`)).toBe('calling with [token redacted]; again:[token redacted].')
  })

  test('the profile service registers every token it reads or receives', async () => {
    const token = 'lowercase-only-token-from-the-keychain'
    const secrets = { get: async () => token, set: async () => undefined, delete: async () => false }
    const dir = mkdtempSync(join(tmpdir(), 'certdesk-redact-'))
    const store = new ProfileStore(dir, () => undefined)
    store.add({
      id: '6c6a3d5e-0b1f-4c8e-9f2a-6b1d2c3e4f5a',
      name: 'Prod',
      kind: 'cloudflare',
      createdAt: new Date().toISOString(),
      accounts: [],
      zones: [],
      missingPermissions: [],
    })
    const connections = new ProfileConnections(store, secrets, new SandboxHost(dir))
    expect(redact(`x ${token}`)).toContain(token)
    await connections.connect('6c6a3d5e-0b1f-4c8e-9f2a-6b1d2c3e4f5a')
    expect(redact(`x ${token}`)).toBe('x [token redacted]')
  })

  test('ids, fingerprints and UUIDs stay readable', () => {
    const text =
      'zone 023e105f4ecef8ad9ca31a8372d0c353 cert 6c6a3d5e-0b1f-4c8e-9f2a-6b1d2c3e4f5a sha256 ' +
      'AB'.repeat(32) +
      ' a-very-long-lowercase-word-list'
    expect(redact(text)).toBe(text)
  })

  test('redacts a key cut short (BEGIN without END) to the end, and keeps the text around complete keys', () => {
    const key = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----'
    expect(redact(`before ${key} after`)).toBe('before [private key redacted] after')
    expect(redact(`failed: -----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkK`)).toBe('failed: [private key redacted]')
    expect(redact('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----')).toBe(
      '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
    )
  })

  test('keeps ordinary text', () => {
    expect(redact('Revoked certificate 5f3e for zone example.com')).toBe('Revoked certificate 5f3e for zone example.com')
  })
})

describe('keychain errors', () => {
  test('name the fix for each platform', () => {
    expect(keychainUnavailable(new Error('Cannot autolaunch D-Bus'), 'linux').hint).toMatch(/gnome-keyring|KWallet/)
    expect(keychainUnavailable(new Error('x'), 'darwin').hint).toMatch(/Keychain Access/)
    expect(keychainUnavailable(new Error('x'), 'win32').hint).toMatch(/Credential Manager/)
    expect(keychainUnavailable(new Error('x'), 'linux').code).toBe('keychain_unavailable')
  })
})
