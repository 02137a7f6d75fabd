/** State survives restarts (atomic JSON file), pending timers survive too, reset returns to the seed, corrupt files are moved aside. */
import { afterAll, describe, expect, test } from 'vitest'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AppError } from '../../../src/shared/errors'
import { startSandbox } from '../../../src/main/sandbox'
import { SandboxHost } from '../../../src/main/profiles/connections'
import { CertFactory } from '../../support/cert-factory'
import { makeCsr } from '../../support/csr'
import { leafFor } from '../../support/probe-fixture'
import originSpec from '../../fixtures/cloudflare/openapi-origin.json'
import { client, testClock } from './helpers'
import { OpenApiValidator } from './openapi-validator'

const dir = mkdtempSync(join(tmpdir(), 'certdesk-sandbox-state-'))
const originSchema = new OpenApiValidator(originSpec)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('persists across restart, including a pending revocation that settles later', async () => {
  const clock = testClock()
  const stateFile = join(dir, 'state.json')
  const timing = { revocationMs: 5000 }
  let sb = await startSandbox({ seed: 'empty', stateFile, clock: clock.now, timing })
  const tokens = sb.tokens
  let call = client(sb)
  const list = `/zones/${sb.zones[0]!.id}/client_certificates`
  const created = await call('POST', list, { body: { csr: (await makeCsr('kept.example.com')).pem, validity_days: 90 } })
  const id = (created.body.result as { id: string }).id
  await call('DELETE', `${list}/${id}`)
  await sb.close()
  expect(statSync(stateFile).mode & 0o777).toBe(0o600)

  sb = await startSandbox({ seed: 'empty', stateFile, clock: clock.now, timing })
  call = client(sb)
  expect(sb.tokens).toEqual(tokens)
  expect((await call('GET', `${list}/${id}`)).body.result).toMatchObject({ id, status: 'pending_revocation' })
  clock.advance(5000)
  expect((await call('GET', `${list}/${id}`)).body.result).toMatchObject({ status: 'revoked' })

  await sb.reset()
  expect((await call('GET', `${list}/${id}`)).status).toBe(404)
  // A reset returns to the seed but keeps this Sandbox's tokens: a saved profile keeps working.
  expect(sb.tokens).toEqual(tokens)
  await sb.close()
  sb = await startSandbox({ seed: 'empty', stateFile })
  expect((await client(sb)('GET', list)).body.result).toEqual([])
  await sb.close()
})

test('the demo seed has every status, Access roots, account CAs and Gateway certificates', async () => {
  const sb = await startSandbox({ seed: 'demo' })
  try {
    const state = sb.snapshot()
    for (const status of ['active', 'pending_revocation', 'pending_reactivation', 'revoked']) {
      expect(state.clientCertificates.filter((c) => c.status === status).length).toBeGreaterThanOrEqual(24)
    }
    expect(state.accessCertificates.length).toBeGreaterThanOrEqual(2)
    expect(state.mtlsCertificates.filter((m) => m.ca).length).toBe(2)
    expect(state.gatewayCertificates.map((g) => g.type).sort()).toEqual(['custom', 'gateway_managed', 'gateway_managed'])
  } finally {
    await sb.close()
  }
})

test('a corrupt state file is reported and moved aside, never overwritten', async () => {
  const stateFile = join(dir, 'corrupt.json')
  writeFileSync(stateFile, '{"version": 99}')
  await expect(startSandbox({ stateFile })).rejects.toThrow(AppError)
  expect(readdirSync(dir).some((f) => f.startsWith('corrupt.json.corrupt-'))).toBe(true)
  const sb = await startSandbox({ seed: 'empty', stateFile })
  await sb.close()
})

describe('tokens are this install’s own', () => {
  test('two installs get different random tokens, kept in their 0600 state file; one’s token is refused by the other', async () => {
    const dirs = [mkdtempSync(join(dir, 'install-a-')), mkdtempSync(join(dir, 'install-b-'))]
    const hosts = dirs.map((d) => new SandboxHost(d))
    try {
      const [a, b] = await Promise.all(hosts.map((h) => h.handle()))
      for (const label of ['full', 'readOnly', 'noSslWrite', 'accountOwned', 'revoked', 'expired'] as const) {
        expect(a!.tokens[label]).toMatch(/^sandbox_\w+_[A-Za-z0-9_-]+$/)
        expect(a!.tokens[label]).toHaveLength(40)
        expect(a!.tokens[label], label).not.toBe(b!.tokens[label])
      }
      const verify = (url: string, token: string) => fetch(`${url}/user/tokens/verify`, { headers: { authorization: `Bearer ${token}` } })
      expect((await verify(a!.url, a!.tokens.full)).status).toBe(200)
      expect((await verify(b!.url, a!.tokens.full)).status).toBe(401)
      // The seeded expired token still says so.
      const expired = await verify(a!.url, a!.tokens.expired)
      expect(((await expired.json()) as { result: { status: string } }).result.status).toBe('expired')
      for (const [i, d] of dirs.entries()) {
        const file = join(d, 'sandbox-state.json')
        expect(statSync(file).mode & 0o777).toBe(0o600)
        expect(readFileSync(file, 'utf8')).toContain((await hosts[i]!.handle()).tokens.full)
      }
    } finally {
      await Promise.all(hosts.map((h) => h.close()))
    }
  })

  test('a state saved with the old fixed tokens gets tokens of its own', async () => {
    const stateFile = join(dir, 'legacy.json')
    let sb = await startSandbox({ seed: 'empty', stateFile })
    await sb.close()
    const legacy = (label: string) => {
      const prefix = `sandbox_${label}_`
      return (
        prefix +
        createHash('sha256')
          .update(`certdesk-sandbox-token:${label}`)
          .digest('base64url')
          .slice(0, 40 - prefix.length)
      )
    }
    const doc = JSON.parse(readFileSync(stateFile, 'utf8')) as { tokens: Array<{ label: string; value: string }> }
    for (const t of doc.tokens) t.value = legacy(t.label)
    writeFileSync(stateFile, JSON.stringify(doc))
    sb = await startSandbox({ seed: 'empty', stateFile })
    try {
      expect(sb.tokens.full).not.toBe(legacy('full'))
      expect((await fetch(`${sb.url}/user/tokens/verify`, { headers: { authorization: `Bearer ${legacy('full')}` } })).status).toBe(401)
      expect(readFileSync(stateFile, 'utf8')).not.toContain(legacy('full'))
    } finally {
      await sb.close()
    }
  })
})

test('the origin leg persists: AOP certificates (pending timer too), settings, associations, Origin CA certificates and CAs', async () => {
  const clock = testClock()
  const stateFile = join(dir, 'origin.json')
  const options = { seed: 'empty', stateFile, clock: clock.now, timing: { aopDeployMs: 5000 }, edge: true } as const
  const factory = new CertFactory()
  let sb = await startSandbox(options)
  try {
    let call = client(sb, originSchema)
    const zone = `/zones/${sb.zones[0]!.id}/origin_tls_client_auth`
    const leaf = leafFor(factory, factory.root('Kept AOP CA'), 'kept-aop', 'client')
    const zoneCert = await call('POST', zone, { body: { certificate: leaf.pem, private_key: leaf.keyPem } })
    const zoneId = (zoneCert.body.result as { id: string }).id
    await call('PUT', `${zone}/settings`, { body: { enabled: true } })
    const hostCert = await call('POST', `${zone}/hostnames/certificates`, { body: { certificate: leaf.pem, private_key: leaf.keyPem } })
    const hostId = (hostCert.body.result as { id: string }).id
    await call('PUT', `${zone}/hostnames`, { body: { config: [{ hostname: 'kept.example.com', cert_id: hostId, enabled: true }] } })
    const body = { csr: factory.keyedCsr('kept').csr, hostnames: ['kept.example.com'], request_type: 'origin-ecc', requested_validity: 30 }
    const origin = (await call('POST', '/certificates', { body })).body.result as { id: string }
    const pems = { originCa: sb.edge!.originCaPem, originPullCa: sb.edge!.originPullCaPem }
    expect(sb.edge!.originCaPath).toBe(join(dir, 'origin-origin-ca.pem'))
    expect(readFileSync(join(dir, 'origin-origin-pull-ca.pem'), 'utf8')).toBe(pems.originPullCa)
    await sb.close()

    sb = await startSandbox(options)
    call = client(sb, originSchema)
    expect({ originCa: sb.edge!.originCaPem, originPullCa: sb.edge!.originPullCaPem }).toEqual(pems)
    expect((await call('GET', `${zone}/${zoneId}`)).body.result).toMatchObject({ status: 'pending_deployment', enabled: true })
    clock.advance(5000)
    expect((await call('GET', `${zone}/${zoneId}`)).body.result).toMatchObject({ status: 'active' })
    expect((await call('GET', `${zone}/hostnames/kept.example.com`)).body.result).toMatchObject({ cert_id: hostId, enabled: true })
    expect((await call('GET', `/certificates/${origin.id}`)).status).toBe(200)

    // A reset empties the lists but keeps the CAs (origins that trust their PEM files keep working).
    await sb.reset()
    expect((await call('GET', zone)).body.result).toEqual([])
    expect((await call('GET', `${zone}/settings`)).body.result).toEqual({ enabled: false })
    expect((await call('GET', '/certificates', { query: { zone_id: sb.zones[0]!.id } })).body.result).toEqual([])
    expect(sb.snapshot().originCa!.certificate).toBe(pems.originCa)
    expect(sb.snapshot().globalAop!.ca.certificate).toBe(pems.originPullCa)
    await sb.close()

    // A state saved before the origin leg existed loads; its lists start empty.
    const old = JSON.parse(readFileSync(stateFile, 'utf8')) as Record<string, unknown>
    for (const key of ['aopCertificates', 'aopHostnames', 'aopEnabledZones', 'originCaCertificates', 'originCa', 'globalAop'])
      delete old[key]
    writeFileSync(stateFile, JSON.stringify(old))
    sb = await startSandbox({ seed: 'empty', stateFile })
    call = client(sb, originSchema)
    expect((await call('GET', `${zone}/hostnames/certificates`)).body.result).toEqual([])
    expect((await call('GET', '/certificates', { query: { zone_id: sb.zones[0]!.id } })).body.result).toEqual([])
  } finally {
    await sb.close()
    factory.cleanup()
  }
})
