/**
 * The official SDK works against the Sandbox (baseURL = handle.url): auto-pagination, create, retries on 429; the
 * origin leg's originTLSClientAuth.* and originCACertificates.* calls.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import Cloudflare from 'cloudflare'
import { startSandbox, type SandboxHandle } from '../../../src/main/sandbox'
import { CertFactory } from '../../support/cert-factory'
import { makeCsr } from '../../support/csr'
import { leafFor } from '../../support/probe-fixture'

let sb: SandboxHandle
let cf: Cloudflare
beforeAll(async () => {
  sb = await startSandbox({ seed: 'demo' })
  cf = new Cloudflare({ apiToken: sb.tokens.full, baseURL: sb.url, maxRetries: 1 })
})
afterAll(() => sb.close())

test('SDK lists every page, creates, verifies tokens and retries a 429 honouring Retry-After', async () => {
  const zone_id = sb.zones[0]!.id
  const all: string[] = []
  for await (const cert of cf.clientCertificates.list({ zone_id, status: 'all', per_page: 5 })) all.push(cert.id!)
  expect(all).toHaveLength(48)
  const created = await cf.clientCertificates.create({ zone_id, csr: (await makeCsr('sdk.example.com')).pem, validity_days: 365 })
  expect(created.common_name).toBe('sdk.example.com')
  expect((await cf.user.tokens.verify()).status).toBe('active')
  const gw = []
  for await (const g of cf.zeroTrust.gateway.certificates.list({ account_id: sb.account.id })) gw.push(g)
  expect(gw.filter((g) => g.in_use)).toHaveLength(1)
  sb.faults.set('429@retry-after=1')
  const before = sb.requests().length
  expect((await cf.user.tokens.verify()).status).toBe('active')
  expect(
    sb
      .requests()
      .slice(before)
      .map((r) => r.status),
  ).toEqual([429, 200])
})

test('SDK: Authenticated Origin Pulls (zone-level, settings, hostname certificates, hostnames) and Origin CA certificates', async () => {
  const zone_id = sb.zones[0]!.id
  const factory = new CertFactory()
  try {
    const leaf = leafFor(factory, factory.root('SDK AOP CA'), 'sdk-aop', 'client')
    const zoneCert = await cf.originTLSClientAuth.zoneCertificates.create({ zone_id, certificate: leaf.pem, private_key: leaf.keyPem })
    expect(zoneCert.status).toBe('pending_deployment')
    const zoneCerts = []
    for await (const c of cf.originTLSClientAuth.zoneCertificates.list({ zone_id })) zoneCerts.push(c.id)
    expect(zoneCerts).toContain(zoneCert.id)
    expect((await cf.originTLSClientAuth.settings.update({ zone_id, enabled: true })).enabled).toBe(true)
    expect((await cf.originTLSClientAuth.settings.get({ zone_id })).enabled).toBe(true)

    const hostCert = await cf.originTLSClientAuth.hostnameCertificates.create({ zone_id, certificate: leaf.pem, private_key: leaf.keyPem })
    const associated = []
    const config = [{ hostname: 'sdk.example.com', cert_id: hostCert.id!, enabled: true }]
    for await (const a of cf.originTLSClientAuth.hostnames.update({ zone_id, config })) associated.push(a.hostname)
    expect(associated).toEqual(['sdk.example.com'])
    expect(await cf.originTLSClientAuth.hostnames.get('sdk.example.com', { zone_id })).toMatchObject({
      cert_id: hostCert.id,
      enabled: true,
    })
    await expect(cf.originTLSClientAuth.hostnameCertificates.delete(hostCert.id!, { zone_id })).rejects.toThrow(/invalidate/)
    await expect(cf.originTLSClientAuth.zoneCertificates.delete(zoneCert.id!, { zone_id })).resolves.toMatchObject({
      status: 'pending_deletion',
    })

    const { csr } = factory.keyedCsr('sdk-origin')
    const hostnames = ['sdk.example.com']
    const created = await cf.originCACertificates.create({ csr, hostnames, request_type: 'origin-ecc', requested_validity: 90 })
    expect(created).toMatchObject({ hostnames, request_type: 'origin-ecc', requested_validity: 90 })
    const listed = []
    for await (const c of cf.originCACertificates.list({ zone_id })) listed.push(c.id)
    expect(listed).toEqual([created.id])
    expect((await cf.originCACertificates.get(created.id!)).certificate).toBe(created.certificate)
    expect((await cf.originCACertificates.delete(created.id!)).id).toBe(created.id)
    await expect(
      cf.originCACertificates.create({ csr, hostnames, request_type: 'origin-ecc', requested_validity: 8 as 7 }),
    ).rejects.toThrow(/requested_validity/)
  } finally {
    factory.cleanup()
  }
})
