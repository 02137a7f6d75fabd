/**
 * Every operation of openapi-certs.json, driven with plain fetch; each request and response is
 * validated against the schema (helpers.ts), and the last test proves every operation was covered.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startSandbox, type SandboxHandle } from '../../../src/main/sandbox'
import { makeCsr } from '../../support/csr'
import { client, coverage, errorCodes, makeCert, testClock, validator, type CallResult } from './helpers'

const clock = testClock()
let sb: SandboxHandle
let call: ReturnType<typeof client>
let zone: string
let zone2: string
let account: string
const dir = mkdtempSync(join(tmpdir(), 'certdesk-sandbox-ops-'))

beforeAll(async () => {
  sb = await startSandbox({ seed: 'demo', clock: clock.now, timing: { revocationMs: 1000, reactivationMs: 2000, gatewayDeployMs: 500 } })
  call = client(sb)
  zone = sb.zones[0]!.id
  zone2 = sb.zones[1]!.id
  account = sb.account.id
})

afterAll(async () => {
  await sb.close()
  rmSync(dir, { recursive: true, force: true })
})

function openssl(args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8' })
}

function result<T = Record<string, unknown>>(r: CallResult): T {
  return r.body.result as T
}

describe('client certificates', () => {
  test('list filters by status (all too), pages with result_info, per_page 5..50', async () => {
    const all = await call('GET', `/zones/${zone}/client_certificates`, { query: { status: 'all', per_page: 50 } })
    expect(all.status).toBe(200)
    expect(all.body.result_info).toMatchObject({ page: 1, per_page: 50, total_count: 48, count: 48 })
    for (const status of ['active', 'pending_revocation', 'pending_reactivation', 'revoked']) {
      const r = await call('GET', `/zones/${zone}/client_certificates`, { query: { status, per_page: 5, page: 2 } })
      expect(r.body.result_info).toMatchObject({ page: 2, per_page: 5, count: 5, total_count: 12, total_pages: 3 })
      expect(result<{ status: string }[]>(r).every((c) => c.status === status)).toBe(true)
    }
    const dflt = await call('GET', `/zones/${zone}/client_certificates`)
    expect(dflt.body.result_info).toMatchObject({ page: 1, per_page: 20, count: 20 })
    const past = await call('GET', `/zones/${zone}/client_certificates`, { query: { page: 99 } })
    expect(result<unknown[]>(past)).toEqual([]) // the SDK's auto-pagination stops on an empty page
    for (const query of [{ per_page: 4 }, { per_page: 51 }, { page: 0 }, { status: 'expired' }] as Record<string, string | number>[]) {
      const bad = await call('GET', `/zones/${zone}/client_certificates`, { query, invalidRequest: true })
      expect(bad.status).toBe(400)
    }
  })

  test('create signs the CSR with the zone managed CA; fields come from the real certificate (openssl referee)', async () => {
    const { pem } = await makeCsr('sensor-42.example.com', ', O=Acme, OU=Sensors, C=DE, ST=Berlin, L=Berlin')
    const r = await call('POST', `/zones/${zone}/client_certificates`, { body: { csr: pem, validity_days: 3650 } })
    expect(r.status).toBe(200)
    const cert = result<Record<string, string | number | { id: string; name: string }>>(r)
    expect(cert).toMatchObject({
      common_name: 'sensor-42.example.com',
      organization: 'Acme',
      organizational_unit: 'Sensors',
      country: 'DE',
      state: 'Berlin',
      location: 'Berlin',
      status: 'active',
      validity_days: 3650,
      csr: pem,
    })
    const certFile = join(dir, 'client.pem')
    const caFile = join(dir, 'ca.pem')
    writeFileSync(certFile, String(cert['certificate']), { mode: 0o600 })
    const managed = sb.snapshot().zones.find((z) => z.id === zone)!.managedCa
    writeFileSync(caFile, managed.certificate, { mode: 0o600 })
    expect(cert['certificate_authority']).toEqual({ id: managed.id, name: 'Cloudflare Managed CA for example.com' })
    expect(openssl(['verify', '-CAfile', caFile, '-purpose', 'sslclient', certFile])).toContain('OK')
    const fp = openssl(['x509', '-in', certFile, '-noout', '-fingerprint', '-sha256'])
      .split('=')[1]!
      .trim()
      .replaceAll(':', '')
      .toLowerCase()
    expect(cert['fingerprint_sha256']).toBe(fp)
    const serial = openssl(['x509', '-in', certFile, '-noout', '-serial']).split('=')[1]!.trim().toLowerCase()
    expect(String(cert['serial_number']).toLowerCase()).toBe(serial)
    const text = openssl(['x509', '-in', certFile, '-noout', '-text'])
    expect(text.replace(/:/g, '').toLowerCase()).toContain(String(cert['ski']))
    const days = (Date.parse(String(cert['expires_on'])) - Date.parse(String(cert['issued_on']))) / 86_400_000
    expect(days).toBe(3650)
    expect(cert['signature']).toBe('ECDSAWithSHA256')
    const got = await call('GET', `/zones/${zone}/client_certificates/${String(cert['id'])}`)
    expect(result(got)).toEqual(cert)
  })

  test('bad CSRs get 400 with a specific message', async () => {
    const good = (await makeCsr('x.example.com')).pem
    // Change the subject after signing (x.example.com -> y.example.com): still valid DER, bad signature.
    const der = Buffer.from(good.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64')
    der[der.indexOf('x.example.com')] = 'y'.charCodeAt(0)
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`
    const cases: [string, RegExp][] = [
      ['hello', /not PEM/],
      ['', /empty/],
      ['-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----', /could not be decoded/],
      [(await makeCert('c', false)).pem, /"CERTIFICATE", not a "CERTIFICATE REQUEST"/],
      [tampered, /signature is invalid/],
    ]
    for (const [csr, message] of cases) {
      const r = await call('POST', `/zones/${zone}/client_certificates`, { body: { csr, validity_days: 365 } })
      expect(r.status, String(message)).toBe(400)
      expect(errorCodes(r)).toEqual([1100])
      expect(r.body.errors[0]!.message).toMatch(message)
    }
    const noDays = await call('POST', `/zones/${zone}/client_certificates`, { body: { csr: good }, invalidRequest: true })
    expect(noDays.status).toBe(400)
  })

  test('revoke -> pending_revocation -> revoked; reactivate only while pending_revocation', async () => {
    const make = async (): Promise<string> => {
      const r = await call('POST', `/zones/${zone}/client_certificates`, {
        body: { csr: (await makeCsr('r.example.com')).pem, validity_days: 365 },
      })
      return String(result(r)['id'])
    }
    const a = await make()
    const revoked = await call('DELETE', `/zones/${zone}/client_certificates/${a}`)
    expect(result(revoked)['status']).toBe('pending_revocation')
    clock.advance(999)
    expect(result(await call('GET', `/zones/${zone}/client_certificates/${a}`))['status']).toBe('pending_revocation')
    clock.advance(2)
    expect(result(await call('GET', `/zones/${zone}/client_certificates/${a}`))['status']).toBe('revoked')
    const late = await call('PATCH', `/zones/${zone}/client_certificates/${a}`, { body: {} })
    expect(late.status).toBe(400)
    expect(late.body.errors[0]!.message).toMatch(/only a certificate pending revocation/)
    expect((await call('DELETE', `/zones/${zone}/client_certificates/${a}`)).status).toBe(400)

    for (const body of [{}, { reactivate: true }]) {
      const b = await make()
      await call('DELETE', `/zones/${zone}/client_certificates/${b}`)
      const back = await call('PATCH', `/zones/${zone}/client_certificates/${b}`, { body })
      expect(result(back)['status']).toBe('pending_reactivation')
      clock.advance(2000)
      expect(result(await call('GET', `/zones/${zone}/client_certificates/${b}`))['status']).toBe('active')
    }
    // The revoked one still lists.
    const listed = await call('GET', `/zones/${zone}/client_certificates`, { query: { status: 'revoked', per_page: 50 } })
    expect(result<{ id: string }[]>(listed).some((c) => c.id === a)).toBe(true)
  })

  test('404 for unknown certificate and zone; 403 names the missing permission; 401 for unknown/revoked tokens', async () => {
    expect((await call('GET', `/zones/${zone}/client_certificates/0123456789abcdef0123456789abcdef`)).status).toBe(404)
    const noZone = await call('GET', '/zones/ffffffffffffffffffffffffffffffff/client_certificates')
    expect([noZone.status, errorCodes(noZone)]).toEqual([404, [7003]])
    const csr = (await makeCsr('p.example.com')).pem
    for (const token of ['readOnly', 'noSslWrite'] as const) {
      const r = await call('POST', `/zones/${zone}/client_certificates`, { token, body: { csr, validity_days: 365 } })
      expect(r.status).toBe(403)
      expect(r.body.errors[0]!.message).toContain('"SSL and Certificates Write"')
      expect((await call('GET', `/zones/${zone}/client_certificates`, { token })).status).toBe(200)
    }
    const first = result<{ id: string }[]>(await call('GET', `/zones/${zone}/client_certificates`, { query: { status: 'active' } }))[0]!.id
    expect((await call('DELETE', `/zones/${zone}/client_certificates/${first}`, { token: 'readOnly' })).status).toBe(403)
    expect((await call('PATCH', `/zones/${zone}/client_certificates/${first}`, { token: 'noSslWrite', body: {} })).status).toBe(403)
    expect((await call('GET', `/zones/${zone}/client_certificates`, { token: 'revoked' })).status).toBe(401)
    expect((await call('GET', `/zones/${zone}/client_certificates`, { rawToken: 'not-a-token-at-all-000000000000000000000' })).status).toBe(
      401,
    )
    expect((await call('GET', `/zones/${zone}/client_certificates`, { token: null })).status).toBe(401)
  })

  test('an unknown account or zone is a 404 (7003) before any permission check, in every route family', async () => {
    const noZone = 'ffffffffffffffffffffffffffffffff'
    const noAccount = 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee'
    const writes = [
      `/zones/${noZone}/client_certificates`,
      `/zones/${noZone}/access/certificates`,
      `/accounts/${noAccount}/access/certificates`,
      `/accounts/${noAccount}/mtls_certificates`,
      `/accounts/${noAccount}/gateway/certificates`,
    ]
    // The read-only token may not write anywhere: a 403 here would mean the permission was checked first.
    for (const path of writes) {
      const r = await call('POST', path, { token: 'readOnly', body: {}, invalidRequest: true })
      expect([r.status, errorCodes(r)], `POST ${path}`).toEqual([404, [7003]])
    }
    const put = `/zones/${noZone}/certificate_authorities/hostname_associations`
    const r = await call('PUT', put, { token: 'readOnly', body: { hostnames: [] } })
    expect([r.status, errorCodes(r)], `PUT ${put}`).toEqual([404, [7003]])
  })

  test('quota: error 1445 once the zone is full; revoking frees a slot', async () => {
    const small = await startSandbox({ seed: 'empty', limits: { clientCertificatesPerZone: 2 }, timing: { revocationMs: 0 } })
    try {
      const c = client(small)
      const z = small.zones[0]!.id
      const ids: string[] = []
      for (let i = 0; i < 2; i++)
        ids.push(
          String(
            result(await c('POST', `/zones/${z}/client_certificates`, { body: { csr: (await makeCsr(`q${i}`)).pem, validity_days: 30 } }))[
              'id'
            ],
          ),
        )
      const full = await c('POST', `/zones/${z}/client_certificates`, { body: { csr: (await makeCsr('q3')).pem, validity_days: 30 } })
      expect([full.status, errorCodes(full)]).toEqual([400, [1445]])
      await c('DELETE', `/zones/${z}/client_certificates/${ids[0]!}`)
      await c('GET', `/zones/${z}/client_certificates`) // revocationMs 0: settled on this read
      expect(
        (await c('POST', `/zones/${z}/client_certificates`, { body: { csr: (await makeCsr('q4')).pem, validity_days: 30 } })).status,
      ).toBe(200)
    } finally {
      await small.close()
    }
  })
})

describe('hostname associations', () => {
  test('GET/PUT replace-all; [] removes all; no mtls_certificate_id = managed CA', async () => {
    const managed = await call('GET', `/zones/${zone}/certificate_authorities/hostname_associations`)
    expect(result(managed)).toEqual({ hostnames: ['api.example.com', 'devices.example.com'] })
    const put = await call('PUT', `/zones/${zone}/certificate_authorities/hostname_associations`, {
      body: { hostnames: ['shop.example.com'] },
    })
    expect(result(put)).toEqual({ hostnames: ['shop.example.com'] })
    expect(result(await call('GET', `/zones/${zone}/certificate_authorities/hostname_associations`))).toEqual({
      hostnames: ['shop.example.com'],
    })
    const byoca = sb.snapshot().mtlsCertificates.find((m) => !m.hasPrivateKey)!.id
    const onNet = await call('GET', `/zones/${zone2}/certificate_authorities/hostname_associations`, {
      query: { mtls_certificate_id: byoca },
    })
    expect(result(onNet)).toEqual({ hostnames: ['partners.example.net'] })
    await call('PUT', `/zones/${zone}/certificate_authorities/hostname_associations`, { body: { hostnames: [] } })
    expect(result(await call('GET', `/zones/${zone}/certificate_authorities/hostname_associations`))).toEqual({ hostnames: [] })
    const outside = await call('PUT', `/zones/${zone}/certificate_authorities/hostname_associations`, {
      body: { hostnames: ['evil.example.org'] },
    })
    expect([outside.status, errorCodes(outside)]).toEqual([400, [1413]])
    expect(outside.body.errors[0]!.message).toBe('Hostnames not in zone example.com: evil.example.org.')
    const unknown = await call('PUT', `/zones/${zone}/certificate_authorities/hostname_associations`, {
      body: { hostnames: [], mtls_certificate_id: '00000000-0000-4000-8000-000000000000' },
    })
    expect(unknown.status).toBe(404)
    expect(
      (await call('PUT', `/zones/${zone}/certificate_authorities/hostname_associations`, { token: 'noSslWrite', body: { hostnames: [] } }))
        .status,
    ).toBe(403)
  })
})

describe('Access mTLS certificates (account and zone)', () => {
  for (const scope of ['accounts', 'zones'] as const) {
    test(`${scope}: list, add 201, get, update, delete refused while associated, settings`, async () => {
      const id = scope === 'accounts' ? account : zone
      const base = `/${scope}/${id}/access/certificates`
      const list = await call('GET', base, { query: { page: 1, per_page: 1000 } })
      expect(list.status).toBe(200)
      expect(list.body.result_info).toMatchObject({ page: 1, per_page: 1000 })
      expect((await call('GET', base)).body.result_info).toMatchObject({ per_page: 50 })
      const root = await makeCert(`${scope} root`, true)
      const added = await call('POST', base, {
        body: { name: 'Allow QA', certificate: root.pem, associated_hostnames: ['qa.example.com'] },
      })
      expect(added.status).toBe(201)
      const cert = result<{ id: string; fingerprint: string; associated_hostnames: string[] }>(added)
      expect(cert.fingerprint).toMatch(/^MD5 Fingerprint=([0-9A-F]{2}:){15}[0-9A-F]{2}$/)
      const certFile = join(dir, `${scope}-root.pem`)
      writeFileSync(certFile, root.pem, { mode: 0o600 })
      expect(cert.fingerprint.split('=')[1]).toBe(
        openssl(['x509', '-in', certFile, '-noout', '-fingerprint', '-md5']).split('=')[1]!.trim(),
      )
      expect(result(await call('GET', `${base}/${cert.id}`))).toMatchObject({ name: 'Allow QA', associated_hostnames: ['qa.example.com'] })
      expect((await call('POST', base, { body: { name: 'again', certificate: root.pem } })).status).toBe(400)
      const refused = await call('DELETE', `${base}/${cert.id}`)
      expect(refused.status).toBe(400)
      expect(refused.body.errors[0]!.message).toMatch(/associated_hostnames/)
      const updated = await call('PUT', `${base}/${cert.id}`, { body: { associated_hostnames: [], name: 'Allow QA (off)' } })
      expect(result(updated)).toMatchObject({ name: 'Allow QA (off)', associated_hostnames: [] })
      const deleted = await call('DELETE', `${base}/${cert.id}`)
      expect(result(deleted)).toEqual({ id: cert.id })
      expect((await call('GET', `${base}/${cert.id}`)).status).toBe(404)

      const keyAsCert = await call('POST', base, { body: { name: 'oops', certificate: root.keyPem } })
      expect(keyAsCert.body.errors[0]!.message).toMatch(/Unable to parse certificate/)
      const leaf = await call('POST', base, { body: { name: 'leaf', certificate: (await makeCert('leaf', false)).pem } })
      expect(leaf.status).toBe(400)
      expect(
        (await call('POST', base, { token: 'readOnly', body: { name: 'x', certificate: root.pem } })).body.errors[0]!.message,
      ).toContain('Access: Mutual TLS Certificates Write')

      const settings = [{ hostname: 'api.example.com', china_network: false, client_certificate_forwarding: true }]
      const put = await call('PUT', `${base}/settings`, { body: { settings } })
      expect(put.status).toBe(202)
      expect(result(put)).toEqual(settings)
      expect(result(await call('GET', `${base}/settings`))).toEqual(settings)
      const foreign = await call('PUT', `${base}/settings`, {
        body: { settings: [{ hostname: 'www.other.org', china_network: false, client_certificate_forwarding: false }] },
      })
      expect([foreign.status, errorCodes(foreign)]).toEqual([400, [12036]])
    })
  }

  test('quota: error 12130', async () => {
    const small = await startSandbox({ seed: 'empty', limits: { accessCertificates: 1 } })
    try {
      const c = client(small)
      const base = `/accounts/${small.account.id}/access/certificates`
      expect((await c('POST', base, { body: { name: 'one', certificate: (await makeCert('one', true)).pem } })).status).toBe(201)
      const full = await c('POST', base, { body: { name: 'two', certificate: (await makeCert('two', true)).pem } })
      expect([full.status, errorCodes(full)]).toEqual([400, [12130]])
    } finally {
      await small.close()
    }
  })
})

describe('account mTLS certificates', () => {
  test('upload CA, list with type filter, get, associations, delete refused while in use', async () => {
    const base = `/accounts/${account}/mtls_certificates`
    const root = await makeCert('Upload Root', true)
    const up = await call('POST', base, { body: { ca: true, certificates: root.pem, name: 'upload root' } })
    expect(up.status).toBe(200)
    const cert = result<{ id: string; issuer: string; signature: string; type: string; serial_number: string }>(up)
    expect(cert.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(cert).toMatchObject({ issuer: 'CN=Upload Root', signature: 'ECDSAWithSHA256', type: 'custom' })
    const all = result<{ id: string; type: string }[]>(await call('GET', base))
    expect(all.some((c) => c.id === cert.id)).toBe(true)
    expect(all.some((c) => c.type === 'gateway_managed')).toBe(true)
    const custom = result<{ type: string }[]>(await call('GET', base, { query: { type: 'custom' } }))
    expect(custom.every((c) => c.type === 'custom')).toBe(true)
    expect(result<unknown[]>(await call('GET', base, { query: { type: 'gateway_managed,access_managed' } })).length).toBe(2)
    expect(result(await call('GET', `${base}/${cert.id}`))).toMatchObject({ id: cert.id, name: 'upload root' })
    expect(result(await call('GET', `${base}/${cert.id}/associations`))).toEqual([])

    await call('PUT', `/zones/${zone}/certificate_authorities/hostname_associations`, {
      body: { hostnames: ['byoca.example.com'], mtls_certificate_id: cert.id },
    })
    expect(result(await call('GET', `${base}/${cert.id}/associations`))).toEqual([{ service: 'hostname_associations', status: 'active' }])
    const refused = await call('DELETE', `${base}/${cert.id}`)
    expect(refused.status).toBe(400)
    expect(refused.body.errors[0]!.message).toMatch(/in use/)
    await call('PUT', `/zones/${zone}/certificate_authorities/hostname_associations`, {
      body: { hostnames: [], mtls_certificate_id: cert.id },
    })
    expect(result(await call('DELETE', `${base}/${cert.id}`))).toMatchObject({ id: cert.id })
    expect((await call('GET', `${base}/${cert.id}`)).status).toBe(404)
  })

  test('only CAs with ca:true; a key pasted as certificate is "Unable to parse certificate"; key must match', async () => {
    const base = `/accounts/${account}/mtls_certificates`
    const leaf = await makeCert('leaf.example.com', false)
    const notCa = await call('POST', base, { body: { ca: true, certificates: leaf.pem } })
    expect(notCa.status).toBe(400)
    expect(notCa.body.errors[0]!.message).toMatch(/not a CA certificate/)
    const leafOk = await call('POST', base, { body: { ca: false, certificates: leaf.pem, name: 'a leaf' } })
    expect(result(leafOk)).toMatchObject({ ca: false })
    await call('DELETE', `${base}/${String(result(leafOk)['id'])}`)
    const key = await call('POST', base, { body: { ca: true, certificates: leaf.keyPem } })
    expect(key.body.errors[0]!.message).toMatch(/^Unable to parse certificate/)
    const root = await makeCert('r', true)
    const other = await makeCert('o', true)
    const mismatch = await call('POST', base, { body: { ca: true, certificates: root.pem, private_key: other.keyPem } })
    expect(mismatch.body.errors[0]!.message).toMatch(/does not match/)
    expect((await call('POST', base, { token: 'readOnly', body: { ca: true, certificates: root.pem } })).body.errors[0]!.message).toContain(
      'Account: SSL and Certificates Write',
    )
  })

  test('quota: 5 CAs per account -> 1489', async () => {
    const small = await startSandbox({ seed: 'empty' })
    try {
      const c = client(small)
      const base = `/accounts/${small.account.id}/mtls_certificates`
      for (let i = 0; i < 5; i++)
        expect((await c('POST', base, { body: { ca: true, certificates: (await makeCert(`ca${i}`, true)).pem } })).status).toBe(200)
      const full = await c('POST', base, { body: { ca: true, certificates: (await makeCert('ca6', true)).pem } })
      expect([full.status, errorCodes(full)]).toEqual([400, [1489]])
      expect(full.body.errors[0]!.message).toMatch(/Hit maximum CA cert allocation/)
    } finally {
      await small.close()
    }
  })
})

describe('Gateway certificates and configuration', () => {
  const lifecycle =
    'create, activate 202 -> pending_deployment -> available, configuration picks it, deactivate 201, delete only when inactive'
  test(lifecycle, async () => {
    const base = `/accounts/${account}/gateway/certificates`
    const list = result<{ id: string; in_use: boolean }[]>(await call('GET', base))
    expect(list.filter((c) => c.in_use)).toHaveLength(1)
    const badDays = await call('POST', base, { body: { validity_period_days: 20000 } })
    expect(badDays.status).toBe(400)
    const created = await call('POST', base, { body: { validity_period_days: 30 } })
    expect(created.status).toBe(200)
    const cert = result<{ id: string; binding_status: string; type: string; fingerprint: string; certificate: string }>(created)
    expect(cert).toMatchObject({ binding_status: 'inactive', type: 'gateway_managed' })
    const certFile = join(dir, 'gw.pem')
    writeFileSync(certFile, cert.certificate, { mode: 0o600 })
    const fp = openssl(['x509', '-in', certFile, '-noout', '-fingerprint', '-sha256']).split('=')[1]!.trim()
    expect(
      cert.fingerprint
        .split(':')
        .map((b) => b.padStart(2, '0'))
        .join(':'),
    ).toBe(fp)
    const notReady = await call('PATCH', `/accounts/${account}/gateway/configuration`, {
      body: { settings: { certificate: { id: cert.id } } },
    })
    expect(notReady.status).toBe(400)
    const act = await call('POST', `${base}/${cert.id}/activate`, { body: {} })
    expect([act.status, result(act)['binding_status']]).toEqual([202, 'pending_deployment'])
    clock.advance(500)
    expect(result(await call('GET', `${base}/${cert.id}`))['binding_status']).toBe('available')
    const patched = await call('PATCH', `/accounts/${account}/gateway/configuration`, {
      body: { settings: { certificate: { id: cert.id, in_use: true } } },
    })
    expect(patched.status).toBe(200)
    expect(result<{ settings: Record<string, unknown> }>(patched).settings).toMatchObject({
      certificate: { id: cert.id },
      tls_decrypt: { enabled: true },
    })
    const now = result<{ id: string; in_use: boolean }[]>(await call('GET', base))
    expect(now.filter((c) => c.in_use).map((c) => c.id)).toEqual([cert.id])
    const inUse = await call('DELETE', `${base}/${cert.id}`)
    expect(inUse.status).toBe(400)
    const deact = await call('POST', `${base}/${cert.id}/deactivate`, { body: {} })
    expect([deact.status, result(deact)['binding_status']]).toEqual([201, 'pending_deletion'])
    // Gateway falls back to the Cloudflare root: still exactly one in use.
    expect(result<{ in_use: boolean }[]>(await call('GET', base)).filter((c) => c.in_use)).toHaveLength(1)
    const early = await call('DELETE', `${base}/${cert.id}`)
    expect(early.status).toBe(500)
    clock.advance(500)
    const del = await call('DELETE', `${base}/${cert.id}`)
    expect(del.status).toBe(200)
    expect((await call('GET', `${base}/${cert.id}`)).status).toBe(404)
  })

  // Cloudflare docs: Deploy custom certificate.
  test('a custom root uploaded via mtls_certificates (ca + private_key) is a Gateway certificate with the same id', async () => {
    const root = await makeCert('BYOPKI Root', true)
    const up = await call('POST', `/accounts/${account}/mtls_certificates`, {
      body: { ca: true, certificates: root.pem, private_key: root.keyPem, name: 'byopki' },
    })
    const id = String(result(up)['id'])
    const gw = await call('GET', `/accounts/${account}/gateway/certificates/${id}`)
    expect(result(gw)).toMatchObject({ id, type: 'custom', binding_status: 'inactive', in_use: false })
    expect(JSON.stringify(sb.snapshot())).not.toContain(root.keyPem.split('\n')[1]!) // the key is never stored
    await call('POST', `/accounts/${account}/gateway/certificates/${id}/activate`, { body: {} })
    expect(result(await call('GET', `/accounts/${account}/mtls_certificates/${id}/associations`))).toEqual([
      { service: 'gateway', status: 'pending_deployment' },
    ])
    expect((await call('DELETE', `/accounts/${account}/mtls_certificates/${id}`)).status).toBe(400)
  })

  test('2211 when TLS decryption is turned on with no certificate; PUT replaces all settings', async () => {
    const small = await startSandbox({ seed: 'empty' })
    try {
      const c = client(small)
      const cfg = `/accounts/${small.account.id}/gateway/configuration`
      expect(result(await c('GET', cfg))).toMatchObject({ settings: {} })
      const on = await c('PATCH', cfg, { body: { settings: { tls_decrypt: { enabled: true } } } })
      expect([on.status, errorCodes(on)]).toEqual([400, [2211]])
      const put = await c('PUT', cfg, { body: { settings: { activity_log: { enabled: true } } } })
      expect(result(put)).toMatchObject({ settings: { activity_log: { enabled: true } } })
      const patch = await c('PATCH', cfg, { body: { settings: { fips: { tls: true } } } })
      expect(result(patch)).toMatchObject({ settings: { activity_log: { enabled: true }, fips: { tls: true } } })
      const put2 = await c('PUT', cfg, { body: { settings: { fips: { tls: false } } } })
      expect(result<{ settings: Record<string, unknown> }>(put2).settings).toEqual({ fips: { tls: false } })
      // Gateway quotas: 3 new per day.
      for (let i = 0; i < 3; i++)
        expect((await c('POST', `/accounts/${small.account.id}/gateway/certificates`, { body: {} })).status).toBe(200)
      const fourth = await c('POST', `/accounts/${small.account.id}/gateway/certificates`, { body: {} })
      expect([fourth.status, errorCodes(fourth)]).toEqual([400, [2213]])
    } finally {
      await small.close()
    }
  })
})

describe('tokens, accounts, zones', () => {
  test('token verify: user tokens at /user; account-owned get 401 there but verify at /accounts/{id}', async () => {
    const user = await call('GET', '/user/tokens/verify')
    expect(result(user)).toMatchObject({ status: 'active' })
    const owned = await call('GET', '/user/tokens/verify', { token: 'accountOwned' })
    expect([owned.status, errorCodes(owned)]).toEqual([401, [1000]])
    expect(result(await call('GET', `/accounts/${account}/tokens/verify`, { token: 'accountOwned' }))).toMatchObject({ status: 'active' })
    expect((await call('GET', `/zones/${zone}/client_certificates`, { token: 'accountOwned' })).status).toBe(200)
    expect((await call('GET', '/user/tokens/verify', { token: 'revoked' })).status).toBe(401)
    expect((await call('GET', `/accounts/${account}/tokens/verify`, { token: 'revoked' })).status).toBe(401)
  })

  test('accounts and zones page and filter; account creation is tenant-only', async () => {
    const accounts = await call('GET', '/accounts', { query: { page: 1, per_page: 5, direction: 'asc' } })
    expect(result<{ id: string }[]>(accounts).map((a) => a.id)).toEqual([account])
    expect(result<unknown[]>(await call('GET', '/accounts', { query: { name: 'nope' } }))).toEqual([])
    const create = await call('POST', '/accounts', { body: { name: 'New' } })
    expect(create.status).toBe(403)
    const zones = await call('GET', '/zones', { query: { per_page: 5 } })
    expect(result<{ name: string }[]>(zones).map((z) => z.name)).toEqual(['example.com', 'example.net'])
    expect(zones.body.result_info).toMatchObject({ page: 1, per_page: 5, total_count: 2 })
    expect(result<{ name: string }[]>(await call('GET', '/zones', { query: { name: 'example.net' } })).map((z) => z.name)).toEqual([
      'example.net',
    ])
    expect(result<unknown[]>(await call('GET', '/zones', { query: { 'account.id': account, status: 'active' } }))).toHaveLength(2)
    expect(result<unknown[]>(await call('GET', '/zones', { query: { status: 'pending' } }))).toHaveLength(0)
    expect((await call('GET', '/zones', { query: { per_page: 100 }, invalidRequest: true })).status).toBe(400)
    const added = await call('POST', '/zones', { body: { name: 'example.dev', account: { id: account } } })
    expect(result(added)).toMatchObject({ name: 'example.dev', status: 'pending' })
    expect((await call('POST', '/zones', { body: { name: 'example.dev', account: { id: account } } })).status).toBe(400)
    expect((await call('POST', '/zones', { token: 'readOnly', body: { name: 'x.dev', account: { id: account } } })).status).toBe(403)
  })

  test('unknown routes and methods answer in the envelope', async () => {
    const res = await fetch(`${sb.url}/nothing/here`, { headers: { authorization: `Bearer ${sb.tokens.full}` } })
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ success: false, errors: [{ code: 7000 }] })
    const bad = await fetch(`${sb.url}/zones/${zone}/client_certificates`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${sb.tokens.full}` },
    })
    expect(bad.status).toBe(405)
    const junk = await fetch(`${sb.url}/zones/${zone}/client_certificates`, {
      method: 'POST',
      body: '{not json',
      headers: { authorization: `Bearer ${sb.tokens.full}` },
    })
    expect(junk.status).toBe(400)
  })
})

test('every operation of the OpenAPI schema was exercised (success and failure)', () => {
  const missing = validator.list().filter((op) => !coverage.has(op.operationId))
  expect(missing.map((op) => `${op.method} ${op.template}`)).toEqual([])
  const noSuccess = validator
    .list()
    .filter((op) => ![...(coverage.get(op.operationId) ?? [])].some((s) => s < 300) && op.operationId !== 'account-creation')
  expect(noSuccess.map((op) => `${op.method} ${op.template}`)).toEqual([])
})
