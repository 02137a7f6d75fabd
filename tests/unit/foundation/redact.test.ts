import { describe, expect, test } from 'vitest'
import { redact } from '../../../src/main/log'
import { keychainUnavailable } from '../../../src/main/secrets/keychain'

describe('log redaction', () => {
  test('removes tokens, bearer headers and private keys', () => {
    const token = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-Ab'
    const key = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----'
    const out = redact(`token=${token} Authorization: Bearer ${token} ${key} -----BEGIN ENCRYPTED PRIVATE KEY-----\nabc\n-----END ENCRYPTED PRIVATE KEY-----`)
    expect(out).not.toContain(token)
    expect(out).not.toContain('MIIEvQIBADANBg')
    expect(out).not.toContain('abc\n')
    expect(out).toContain('[redacted]')
  })

  test('redacts a key cut short (BEGIN without END) to the end, and keeps the text around complete keys', () => {
    const key = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----'
    expect(redact(`before ${key} after`)).toBe('before [private key redacted] after')
    expect(redact(`failed: -----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkK`)).toBe('failed: [private key redacted]')
    expect(redact('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----')).toBe('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----')
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
