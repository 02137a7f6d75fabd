/**
 * The origin leg's local checks, before anything is sent: an AOP upload is one client certificate with its own key,
 * not a CA, not expired; an Origin CA request names hostnames of its zone and a request type that fits the CSR's key.
 * Certificates are made by openssl (the Forge), keys compared by Node's X509Certificate.checkPrivateKey.
 */
import { readFileSync } from 'node:fs'
import { afterAll, describe, expect, test } from 'vitest'
import { checkAopPair } from '../../../src/main/cloudflare/origin-pulls'
import { originCaDate, originCaHostnames, requestTypeOf } from '../../../src/main/cloudflare/origin-ca'
import { CA_EXT, CLIENT_EXT, Forge } from '../../support/forge'
import { makeCsr } from '../../support/csr'

const forge = new Forge()
afterAll(() => forge.cleanup())

const ca = forge.issue({ name: 'AOP CA', ext: CA_EXT })
const client = forge.issue({ name: 'aop-client', issuer: ca, ext: CLIENT_EXT, key: 'ec2' })
const pem = (issued: { pem: string }) => readFileSync(issued.pem, 'utf8')
const keyOf = (path: string) => readFileSync(path, 'utf8')

describe('an AOP certificate and key', () => {
  test('a client certificate with its own key passes', () => {
    const cert = checkAopPair({ certificatePem: pem(client), privateKeyPem: keyOf(forge.key('ec2')) })
    expect(cert.subject).toContain('CN=aop-client')
  })

  test('a key that is not the certificate’s is refused before anything is sent', () => {
    expect(() => checkAopPair({ certificatePem: pem(client), privateKeyPem: keyOf(forge.key('ec')) })).toThrow(
      /does not belong to the AOP certificate/,
    )
  })

  test('a CA certificate, a chain, an expired certificate and an unreadable key each say why', () => {
    expect(() => checkAopPair({ certificatePem: pem(ca), privateKeyPem: keyOf(forge.key('ec')) })).toThrow(/CA certificate/)
    expect(() => checkAopPair({ certificatePem: pem(client) + pem(ca), privateKeyPem: keyOf(forge.key('ec2')) })).toThrow(
      /one certificate; the file holds 2/,
    )
    const later = new Date(Date.now() + 400 * 86_400_000)
    expect(() => checkAopPair({ certificatePem: pem(client), privateKeyPem: keyOf(forge.key('ec2')) }, later)).toThrow(/expired on/)
    expect(() => checkAopPair({ certificatePem: pem(client), privateKeyPem: 'not a key' })).toThrow(/could not be read/)
  })
})

describe('an Origin CA request', () => {
  test('hostnames must be the zone’s: its name, names below it, or their wildcards', () => {
    expect(originCaHostnames(['Example.com', '*.example.com', 'a.b.example.com.'], 'example.com')).toEqual([
      'example.com',
      '*.example.com',
      'a.b.example.com',
    ])
    expect(() => originCaHostnames(['example.com', 'evil-example.com', 'example.org'], 'example.com')).toThrow(
      /evil-example.com, example.org are not in zone example.com/,
    )
  })

  test('its expiry in Go’s date form reads as ISO 8601; an ISO date stays; anything else is kept as sent', () => {
    expect(originCaDate('2034-11-25 20:25:00 +0000 UTC')).toBe('2034-11-25T20:25:00.000Z')
    expect(originCaDate('2026-12-01 09:00:00 +0200 CEST')).toBe('2026-12-01T07:00:00.000Z')
    expect(originCaDate('2027-01-01T00:00:00Z')).toBe('2027-01-01T00:00:00.000Z')
    expect(originCaDate('soon')).toBe('soon')
  })

  test('the request type follows the CSR’s key', async () => {
    expect(requestTypeOf((await makeCsr('origin.example.com')).pem)).toBe('origin-ecc')
    const rsaCsr = forge.openssl('req', '-new', '-key', forge.key('rsa2048'), '-subj', '/CN=origin.example.com')
    expect(requestTypeOf(rsaCsr)).toBe('origin-rsa')
  })
})
