/**
 * The origin leg's API in the Sandbox: Authenticated Origin Pulls (zone-level and per-hostname) and Origin CA
 * certificates, driven with plain fetch; every request and response is checked against the AOP and Origin CA
 * operations of Cloudflare's OpenAPI (openapi-origin.json), and the last test proves each was exercised. Certificates
 * to upload come from openssl; openssl also referees what the Origin CA signs.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { startSandbox, type SandboxHandle } from '../../../src/main/sandbox'
import { CertFactory, type TestCert } from '../../support/cert-factory'
import { makeCsr } from '../../support/csr'
import { leafFor } from '../../support/probe-fixture'
import { client, coverage, errorCodes, testClock, type CallResult } from './helpers'
import { OpenApiValidator } from './openapi-validator'
import originSpec from '../../fixtures/cloudflare/openapi-origin.json'

const DAY = 86_400_000
const schema = new OpenApiValidator(originSpec)
const clock = testClock()
const factory = new CertFactory()
let sb: SandboxHandle
let call: ReturnType<typeof client>
let zone: string
let zoneName: string
let aopCa: TestCert
let aopLeaf: TestCert

beforeAll(async () => {
  sb = await startSandbox({ seed: 'empty', clock: clock.now, timing: { aopDeployMs: 1000 } })
  call = client(sb, schema)
  zone = sb.zones[0]!.id
  zoneName = sb.zones[0]!.name
  aopCa = factory.root('Zone AOP CA')
  aopLeaf = leafFor(factory, aopCa, 'aop-zone', 'client')
})

afterAll(async () => {
  await sb.close()
  factory.cleanup()
})

function result<T = Record<string, unknown>>(r: CallResult): T {
  return r.body.result as T
}

function openssl(args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

/** No answer ever carries a private key back. */
function noKey(r: CallResult): CallResult {
  expect(JSON.stringify(r.body)).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/)
  return r
}

describe('zone-level Authenticated Origin Pulls', () => {
  const base = (): string => `/zones/${zone}/origin_tls_client_auth`

  test('upload → pending_deployment → active; settings enable; delete through pending_deletion; the key never comes back', async () => {
    const up = noKey(await call('POST', base(), { body: { certificate: aopLeaf.pem, private_key: aopLeaf.keyPem } }))
    expect(up.status).toBe(200)
    const cert = result<Record<string, string | boolean>>(up)
    expect(cert).toMatchObject({ status: 'pending_deployment', enabled: false, certificate: aopLeaf.pem, signature: 'ECDSAWithSHA256' })
    expect(cert['issuer']).toContain('CN=Zone AOP CA')
    const notAfter = openssl(['x509', '-in', aopLeaf.certPath, '-noout', '-enddate']).split('=')[1]!.trim()
    expect(Date.parse(String(cert['expires_on']))).toBe(Date.parse(notAfter))
    const id = String(cert['id'])
    expect(id).toMatch(/^[0-9a-f]{32}$/)

    expect(result(noKey(await call('GET', `${base()}/${id}`, { token: 'readOnly' })))).toMatchObject({ status: 'pending_deployment' })
    clock.advance(1000)
    expect(result(await call('GET', `${base()}/${id}`))).toMatchObject({ status: 'active' })

    expect(result(await call('GET', `${base()}/settings`))).toEqual({ enabled: false })
    expect((await call('PUT', `${base()}/settings`, { token: 'readOnly', body: { enabled: true } })).status).toBe(403)
    expect(result(await call('PUT', `${base()}/settings`, { body: { enabled: true } }))).toEqual({ enabled: true })
    expect(result(await call('GET', `${base()}/settings`, { token: 'readOnly' }))).toEqual({ enabled: true })
    const listed = noKey(await call('GET', base()))
    expect(result<Record<string, unknown>[]>(listed)).toEqual([expect.objectContaining({ id, status: 'active', enabled: true })])

    expect((await call('DELETE', `${base()}/${id}`, { token: 'noSslWrite' })).status).toBe(403)
    expect(result(await call('DELETE', `${base()}/${id}`))).toMatchObject({ id, status: 'pending_deletion' })
    expect(errorCodes(await call('DELETE', `${base()}/${id}`))).toEqual([1406])
    clock.advance(1000)
    const gone = await call('GET', `${base()}/${id}`)
    expect(gone.status).toBe(404)
    expect(result<unknown[]>(await call('GET', base()))).toEqual([])
    const put = await call('PUT', `${base()}/settings`, { body: { enabled: 'yes' }, invalidRequest: true })
    expect(put.status).toBe(400)
    expect(result(await call('PUT', `${base()}/settings`, { body: { enabled: false } }))).toEqual({ enabled: false })
  })

  test('a bad upload gets the specific 400 and adds nothing (unparsable, wrong key, expired, missing fields)', async () => {
    const other = leafFor(factory, aopCa, 'aop-other', 'client')
    const cases: [Record<string, unknown>, number, RegExp][] = [
      [{ certificate: aopLeaf.keyPem, private_key: aopLeaf.keyPem }, 1410, /Unable to parse certificate/],
      [{ certificate: 'hello', private_key: aopLeaf.keyPem }, 1410, /Unable to parse certificate/],
      [{ certificate: aopLeaf.pem, private_key: other.keyPem }, 1415, /does not match the certificate/],
      [{ certificate: aopLeaf.pem, private_key: 'not a key' }, 1415, /Unable to parse private key/],
    ]
    for (const [body, code, message] of cases) {
      const r = noKey(await call('POST', base(), { body }))
      expect(r.status, String(message)).toBe(400)
      expect(errorCodes(r)).toEqual([code])
      expect(r.body.errors[0]!.message).toMatch(message)
    }
    const missing = await call('POST', base(), { body: { certificate: aopLeaf.pem }, invalidRequest: true })
    expect(missing.body.errors[0]!.message).toBe('"private_key" is required.')
    // The openssl leaf is valid for 30 days: 31 days on, Cloudflare refuses it as expired.
    clock.advance(31 * DAY)
    try {
      const expired = await call('POST', `${base()}/hostnames/certificates`, {
        body: { certificate: aopLeaf.pem, private_key: aopLeaf.keyPem },
      })
      expect(errorCodes(expired)).toEqual([1414])
      expect(expired.body.errors[0]!.message).toMatch(/^The certificate expired on 20\d\d-/)
    } finally {
      clock.advance(-31 * DAY)
    }
    expect(sb.snapshot().aopCertificates).toEqual([])
  })
})

describe('per-hostname Authenticated Origin Pulls', () => {
  const base = (): string => `/zones/${zone}/origin_tls_client_auth/hostnames`

  test('10 hostname certificates per zone: the 11th is refused and nothing is added', async () => {
    const ids: string[] = []
    for (let i = 0; i < 10; i++) {
      const leaf = leafFor(factory, aopCa, `host-cert-${i}`, 'client')
      const r = noKey(await call('POST', `${base()}/certificates`, { body: { certificate: leaf.pem, private_key: leaf.keyPem } }))
      expect(result(r)).toMatchObject({ status: 'pending_deployment', serial_number: expect.any(String) })
      ids.push(String(result(r)['id']))
    }
    const eleventh = leafFor(factory, aopCa, 'host-cert-10', 'client')
    const refused = await call('POST', `${base()}/certificates`, { body: { certificate: eleventh.pem, private_key: eleventh.keyPem } })
    expect(refused.status).toBe(400)
    expect(errorCodes(refused)).toEqual([1416])
    expect(refused.body.errors[0]!.message).toMatch(/10 hostname certificates/)
    expect(result<{ id: string }[]>(await call('GET', `${base()}/certificates`)).map((c) => c.id)).toEqual(ids)
    clock.advance(1000)
    expect(result(await call('GET', `${base()}/certificates/${ids[0]}`, { token: 'readOnly' }))).toMatchObject({ status: 'active' })
    // A slot frees once one is deleted.
    expect(result(await call('DELETE', `${base()}/certificates/${ids[9]}`))).toMatchObject({ status: 'pending_deletion' })
    clock.advance(1000)
    expect((await call('GET', `${base()}/certificates/${ids[9]}`)).status).toBe(404)
    const again = await call('POST', `${base()}/certificates`, { body: { certificate: eleventh.pem, private_key: eleventh.keyPem } })
    expect(again.status).toBe(200)
  })

  test('100 hostnames per certificate: the 101st is refused and nothing changes; enabled:null removes; delete needs none left', async () => {
    const leaf = leafFor(factory, aopCa, 'host-many', 'client')
    const certs = result<{ id: string }[]>(await call('GET', `${base()}/certificates`))
    for (const c of certs.slice(1)) await call('DELETE', `${base()}/certificates/${c.id}`)
    const up = await call('POST', `${base()}/certificates`, { body: { certificate: leaf.pem, private_key: leaf.keyPem } })
    const certId = String(result(up)['id'])
    clock.advance(1000)
    const hosts = Array.from({ length: 101 }, (_, i) => `h${i}.${zoneName}`)
    const put = await call('PUT', base(), {
      body: { config: hosts.slice(0, 100).map((hostname) => ({ hostname, cert_id: certId, enabled: true })) },
    })
    expect(put.status).toBe(200)
    expect(result<unknown[]>(put)).toHaveLength(100)
    const before = sb.snapshot().aopHostnames
    const refused = await call('PUT', base(), { body: { config: [{ hostname: hosts[100], cert_id: certId, enabled: true }] } })
    expect(refused.status).toBe(400)
    expect(errorCodes(refused)).toEqual([1417])
    expect(refused.body.errors[0]!.message).toMatch(/101 hostnames; at most 100/)
    expect(sb.snapshot().aopHostnames).toEqual(before)
    expect((await call('GET', `${base()}/${hosts[100]}`)).status).toBe(404)

    const status = noKey(await call('GET', `${base()}/${hosts[0]}`, { token: 'readOnly' }))
    expect(result(status)).toMatchObject({ hostname: hosts[0], cert_id: certId, enabled: true, cert_status: 'active', status: 'active' })
    expect(result(status)['expires_on']).toBe(result(up)['expires_on'])

    const outside = await call('PUT', base(), { body: { config: [{ hostname: 'api.example.org', cert_id: certId, enabled: true }] } })
    expect(errorCodes(outside)).toEqual([1413])
    const unknownCert = await call('PUT', base(), { body: { config: [{ hostname: hosts[0], cert_id: 'f'.repeat(32), enabled: true }] } })
    expect(unknownCert.status).toBe(404)
    expect(sb.snapshot().aopHostnames).toEqual(before)
    expect((await call('PUT', base(), { token: 'readOnly', body: { config: [] } })).status).toBe(403)

    const inUse = await call('DELETE', `${base()}/certificates/${certId}`)
    expect(errorCodes(inUse)).toEqual([1412])
    expect(inUse.body.errors[0]!.message).toMatch(/invalidate those associations first/)
    const disabled = await call('PUT', base(), { body: { config: [{ hostname: hosts[0], cert_id: certId, enabled: false }] } })
    expect(result(disabled)).toEqual([expect.objectContaining({ hostname: hosts[0], enabled: false })])
    const cleared = await call('PUT', base(), { body: { config: hosts.slice(0, 100).map((hostname) => ({ hostname, enabled: null })) } })
    expect(result<{ enabled: null }[]>(cleared).every((a) => a.enabled === null)).toBe(true)
    expect((await call('GET', `${base()}/${hosts[0]}`)).status).toBe(404)
    expect(result(await call('DELETE', `${base()}/certificates/${certId}`))).toMatchObject({ status: 'pending_deletion' })
  })
})

describe('Origin CA certificates', () => {
  test('create signs the CSR for the zone hostnames (openssl referee); list, get, revoke', async () => {
    const { pem } = await makeCsr(`origin.${zoneName}`)
    const hostnames = [zoneName, `*.${zoneName}`]
    const r = noKey(
      await call('POST', '/certificates', { body: { csr: pem, hostnames, request_type: 'origin-ecc', requested_validity: 7 } }),
    )
    expect(r.status).toBe(200)
    const cert = result<Record<string, unknown>>(r)
    expect(cert).toMatchObject({ csr: pem, hostnames, request_type: 'origin-ecc', requested_validity: 7 })
    expect(String(cert['id'])).toMatch(/^\d{1,32}$/)
    expect(String(cert['expires_on'])).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC$/)
    const certFile = factory.write('origin.pem', String(cert['certificate']))
    const caFile = factory.write('origin-ca.pem', sb.snapshot().originCa!.certificate)
    expect(openssl(['verify', '-CAfile', caFile, '-purpose', 'sslserver', certFile])).toContain('OK')
    const text = openssl(['x509', '-in', certFile, '-noout', '-text', '-serial', '-enddate'])
    expect(text).toContain(`DNS:${zoneName}, DNS:*.${zoneName}`)
    expect(BigInt(`0x${/serial=([0-9A-F]+)/.exec(text)![1]}`).toString()).toBe(cert['id'])
    const notAfter = Date.parse(/notAfter=(.*)/.exec(text)![1]!)
    expect(notAfter - clock.now()).toBeGreaterThan(7 * DAY - 2000)
    expect(notAfter - clock.now()).toBeLessThanOrEqual(7 * DAY)
    expect(Date.parse(String(cert['expires_on']).replace(' +0000 UTC', 'Z').replace(' ', 'T'))).toBe(notAfter)

    const listed = await call('GET', '/certificates', { query: { zone_id: zone }, token: 'readOnly' })
    expect(result<{ id: string }[]>(listed).map((c) => c.id)).toEqual([cert['id']])
    expect(listed.body.result_info).toMatchObject({ page: 1, per_page: 20, count: 1, total_count: 1 })
    expect(result(await call('GET', `/certificates/${String(cert['id'])}`))).toEqual(cert)
    expect((await call('DELETE', `/certificates/${String(cert['id'])}`, { token: 'readOnly' })).status).toBe(403)
    const revoked = await call('DELETE', `/certificates/${String(cert['id'])}`)
    expect(result(revoked)).toEqual({ id: cert['id'], revoked_at: new Date(clock.now()).toISOString() })
    expect((await call('GET', `/certificates/${String(cert['id'])}`)).status).toBe(404)
    expect(result<unknown[]>(await call('GET', '/certificates', { query: { zone_id: zone } }))).toEqual([])
  })

  test('an RSA CSR for origin-rsa is signed; the wrong request_type, validity, hostname or a private key is refused, nothing made', async () => {
    const dir = factory.dir
    openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${dir}/rsa.key`, '-out', `${dir}/rsa.csr`, '-subj', '/CN=rsa'])
    const rsaCsr = readFileSync(`${dir}/rsa.csr`, 'utf8')
    const ecCsr = (await makeCsr('ec')).pem
    const body = (extra: Record<string, unknown>): Record<string, unknown> => ({
      csr: ecCsr,
      hostnames: [`www.${zoneName}`],
      request_type: 'origin-ecc',
      requested_validity: 90,
      ...extra,
    })
    const refused: [Record<string, unknown>, number, RegExp, boolean?][] = [
      [body({ requested_validity: 8 }), 1201, /must be one of 7, 30, 90, 365, 730, 1095, 5475 days, got 8/, true],
      [body({ request_type: 'origin-rsa' }), 1202, /needs an RSA key, but the CSR holds an EC key: send request_type origin-ecc/],
      [body({ csr: rsaCsr }), 1202, /needs an EC key, but the CSR holds an RSA key/],
      [body({ hostnames: ['www.example.org'] }), 1010, /Failed to validate requested hostname www.example.org/],
      [body({ hostnames: [`www.${zoneName}`, 'www.example.net'] }), 1010, /must belong to one zone/],
      [body({ hostnames: [`a.*.${zoneName}`] }), 1010, /only as a "\*\." prefix/],
      [body({ csr: `${ecCsr}\n${readFileSync(`${dir}/rsa.key`, 'utf8')}` }), 1203, /must never leave your machine/],
      [body({ private_key: readFileSync(`${dir}/rsa.key`, 'utf8') }), 1203, /carries a private key/, true],
      [body({ csr: 'hello' }), 1100, /not PEM/],
    ]
    for (const [request, code, message, invalidRequest] of refused) {
      const r = await call('POST', '/certificates', { body: request, ...(invalidRequest ? { invalidRequest } : {}) })
      expect(r.status, String(message)).toBe(400)
      expect(errorCodes(r), String(message)).toEqual([code])
      expect(r.body.errors[0]!.message).toMatch(message)
    }
    expect((await call('POST', '/certificates', { body: body({}), token: 'readOnly' })).status).toBe(403)
    expect(sb.snapshot().originCaCertificates).toHaveLength(1) // the revoked one of the previous test only

    const rsa = await call('POST', '/certificates', { body: body({ csr: rsaCsr, request_type: 'origin-rsa', requested_validity: 5475 }) })
    expect(result(rsa)).toMatchObject({ request_type: 'origin-rsa', requested_validity: 5475, hostnames: [`www.${zoneName}`] })
    expect((await call('GET', '/certificates', { query: { zone_id: 'f'.repeat(32) } })).status).toBe(404)
    expect((await call('GET', '/certificates', { query: { zone_id: zone, per_page: 51 }, invalidRequest: true })).status).toBe(400)
  })
})

test('reads of an unknown zone are 404 (before the permission check), an unknown token 401', async () => {
  const unknown = `/zones/${'f'.repeat(32)}/origin_tls_client_auth`
  for (const path of [unknown, `${unknown}/settings`, `${unknown}/hostnames/certificates`]) {
    const r = await call('GET', path, { token: 'readOnly' })
    expect(r.status, path).toBe(404)
    expect(errorCodes(r)).toEqual([7003])
  }
  expect((await call('GET', `/zones/${zone}/origin_tls_client_auth`, { token: 'revoked' })).status).toBe(401)
})

test('every AOP and Origin CA operation of the OpenAPI schema was exercised (success and failure)', () => {
  const ops = schema.list()
  expect(ops).toHaveLength(16)
  expect(ops.filter((op) => ![...(coverage.get(op.operationId) ?? [])].some((s) => s < 300)).map((op) => op.template)).toEqual([])
  expect(ops.filter((op) => ![...(coverage.get(op.operationId) ?? [])].some((s) => s >= 400)).map((op) => op.template)).toEqual([])
})
