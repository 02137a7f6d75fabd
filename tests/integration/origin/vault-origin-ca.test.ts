/**
 * An Origin CA certificate for a vault key, end to end through the app's own path: the KeyService sends only the
 * key's CSR (every request body the app sends is recorded and none holds a private key), links the signed
 * certificate to the key, and a real origin (Node https, not Certdesk) serving that certificate with the vault's
 * key is accepted by the Sandbox edge in Full (strict) mode; a certificate for another hostname gets 526.
 */
import { X509Certificate } from 'node:crypto'
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { afterAll, describe, expect, test } from 'vitest'
import { edgeRequest } from '../sandbox/edge-helpers'
import { sandboxProfileApp } from '../../support/services'

const sent: string[] = []
const recordingFetch: typeof fetch = async (input, init) => {
  if (typeof init?.body === 'string') sent.push(init.body)
  return fetch(input, init)
}
const app = sandboxProfileApp('certdesk-vault-origin-ca-', { fetch: recordingFetch })
const closers: Array<() => void> = []
afterAll(() => closers.forEach((close) => close()))

async function originServing(cert: string, key: string): Promise<string> {
  const server = createServer({ cert, key }, (_req, res) => res.end('origin ok'))
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  closers.push(() => {
    server.closeAllConnections()
    server.close()
  })
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`
}

describe('Origin CA for a vault key', () => {
  test('only the CSR is sent; the certificate is linked to the key; the edge accepts the origin in Full (strict)', async () => {
    const { keys, vault } = app.services
    const zone = app.profile.zones.find((z) => z.name === 'example.com')!
    const host = 'origin.example.com'
    const { key } = await keys.newCsr({ keyType: 'ec-p256', subject: { cn: host }, sans: [`DNS:${host}`] })
    sent.length = 0
    const { certificate, key: linked } = await keys.createOriginCaForKey({
      profileId: app.profile.id,
      zoneId: zone.id,
      keyId: key.id,
      hostnames: [host],
      validityDays: 90,
    })
    expect(sent.length).toBeGreaterThan(0)
    expect(sent.filter((body) => /PRIVATE KEY/.test(body))).toEqual([])
    expect(sent.some((body) => body.includes('BEGIN CERTIFICATE REQUEST'))).toBe(true)
    const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256
    expect(fingerprint(linked.certificate!.pem)).toBe(fingerprint(certificate.certificate!))
    expect(new X509Certificate(certificate.certificate!).checkPrivateKey(await keyObject(await vault.exportPkcs8(key.id)))).toBe(true)

    const edge = (await app.services.sandbox.handle()).edge!
    edge.setOrigin(host, await originServing(certificate.certificate!, await vault.exportPkcs8(key.id)))
    const reply = await edgeRequest(edge, { servername: host })
    expect(reply.status).toBe(200)
    expect(reply.body).toBe('origin ok')

    // The same certificate for a hostname it does not name: Full (strict) refuses it (526).
    const other = 'www.example.com'
    edge.setOrigin(other, await originServing(certificate.certificate!, await vault.exportPkcs8(key.id)))
    expect((await edgeRequest(edge, { servername: other })).status).toBe(526)

    // The Origin CA root the certificate chains to (originCa:root): openssl verifies the certificate against it.
    const root = await app.call<{ source: string; roots: Array<{ name: string; pem: string; sha256: string }> }>('originCa:root', {
      profileId: app.profile.id,
    })
    expect(root).toMatchObject({ source: 'sandbox', roots: [{ name: 'Origin CA' }] })
    expect(new X509Certificate(certificate.certificate!).checkIssued(new X509Certificate(root.roots[0]!.pem))).toBe(true)
  })
})

describe('Cloudflare’s published Origin CA roots', () => {
  const answer = (body: string, status = 200): typeof fetch => (async () => new Response(body, { status })) as typeof fetch

  test('a file that is not the Origin CA root is refused with what it is; a download that fails says so', async () => {
    const { fetchCloudflareOriginCaRoots } = await import('../../../src/main/cloudflare/origin-ca-root')
    const edge = (await app.services.sandbox.handle()).edge!
    // A real self-signed CA, but not Cloudflare's Origin CA: refused, naming its subject.
    await expect(fetchCloudflareOriginCaRoots(answer(edge.originPullCaPem))).rejects.toThrow(
      /is not the Origin CA root \(subject CN=Sandbox Origin Pull CA/,
    )
    await expect(fetchCloudflareOriginCaRoots(answer('<html>moved</html>'))).rejects.toThrow(/did not hold one certificate \(0 found\)/)
    await expect(fetchCloudflareOriginCaRoots(answer('gone', 404))).rejects.toMatchObject({ code: 'cf_unreachable' })
  })
})

async function keyObject(pem: string) {
  const { createPrivateKey } = await import('node:crypto')
  return createPrivateKey(pem)
}
