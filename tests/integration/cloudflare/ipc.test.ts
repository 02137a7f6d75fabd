/**
 * The Cloudflare channels end to end through dispatch (as IPC and the browser bridge run them),
 * against the app's own Sandbox profile: validation, progress events, a cancellable job.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { dispatch, type CallContext } from '../../../src/main/dispatch'
import { createHandlers } from '../../../src/main/handlers'
import { createServices } from '../../../src/main/services'
import type { Progress, Profile } from '../../../src/shared/model'
import { Time } from '@peculiar/asn1-x509'
import { CA_EXT, CLIENT_EXT, Forge } from '../../support/forge'
import type {
  AccessCertificateSummary,
  ClientCertificateSummary,
  BulkResult,
  BulkRevokeResult,
  GatewayCertificateSummary,
} from '../../../src/shared/cloudflare-model'
import { memorySecrets } from '../../support/services'

describe('Cloudflare over IPC (Sandbox profile)', () => {
  const services = createServices({
    userDataDir: mkdtempSync(join(tmpdir(), 'certdesk-cf-ipc-')),
    appVersion: 'test',
    secrets: memorySecrets(),
    sandbox: { timing: { revocationMs: 200, reactivationMs: 200, gatewayDeployMs: 200 } },
  })
  const handlers = createHandlers(services)
  const events: Progress[] = []
  const context: CallContext = { emit: (_event, payload) => events.push(payload) }
  const call = async <T>(channel: string, request?: unknown): Promise<T> => {
    const result = await dispatch(handlers, channel, request, context)
    if (!result.ok) throw Object.assign(new Error(result.error.message), result.error)
    return result.value as T
  }
  let profile: Profile

  beforeAll(async () => {
    profile = await call<Profile>('profiles:add', { kind: 'sandbox', name: 'Sandbox' })
  })
  afterAll(() => services.close())

  test('the Sandbox profile was verified: its account and zones were discovered', () => {
    expect(profile.accounts).toHaveLength(1)
    expect(profile.zones.length).toBeGreaterThanOrEqual(2)
    expect(profile.missingPermissions).toEqual([])
  })

  test('lists a zone with progress events, then revokes and reactivates one certificate', async () => {
    const zoneId = profile.zones[0]!.id
    const all = await call<ClientCertificateSummary[]>('clientCerts:list', {
      profileId: profile.id,
      zoneId,
      status: 'all',
      jobId: 'list-1',
    })
    expect(all.length).toBeGreaterThan(20)
    const mine = events.filter((e) => e.jobId === 'list-1')
    expect(mine.length).toBeGreaterThan(0)
    expect(mine.at(-1)!.done).toBe(all.length)

    const active = all.find((c) => c.status === 'active')!
    const revoked = await call<ClientCertificateSummary>('clientCerts:revoke', { profileId: profile.id, zoneId, id: active.id })
    expect(revoked.status).toBe('pending_revocation')
    const back = await call<ClientCertificateSummary>('clientCerts:reactivate', { profileId: profile.id, zoneId, id: active.id })
    expect(back.status).toBe('pending_reactivation')
    expect(services.activity.list({ action: 'cf.' }).length).toBeGreaterThanOrEqual(2)
  })

  test('bulk revoke reports progress and the Sandbox really holds the new states', async () => {
    const zoneId = profile.zones[1]!.id
    const active = (await call<ClientCertificateSummary[]>('clientCerts:list', { profileId: profile.id, zoneId, status: 'active' })).slice(
      0,
      5,
    )
    const result = await call<BulkResult>('clientCerts:bulkRevoke', {
      profileId: profile.id,
      zoneId,
      ids: active.map((c) => c.id),
      jobId: 'bulk-1',
    })
    expect(result.succeeded.sort()).toEqual(active.map((c) => c.id).sort())
    expect(result.failed).toEqual([])
    const after = await call<ClientCertificateSummary[]>('clientCerts:list', { profileId: profile.id, zoneId, status: 'all' })
    for (const c of active) expect(['pending_revocation', 'revoked']).toContain(after.find((a) => a.id === c.id)!.status)
    expect(events.some((e) => e.jobId === 'bulk-1' && e.total === 5)).toBe(true)
  })

  test('a Gateway certificate can be created, activated with a watched job, and put in use', async () => {
    const accountId = profile.accounts[0]!.id
    const created = await call<GatewayCertificateSummary>('gateway:create', { profileId: profile.id, accountId, validityDays: 365 })
    const active = await call<GatewayCertificateSummary>('gateway:activate', {
      profileId: profile.id,
      accountId,
      id: created.id,
      wait: true,
      jobId: 'gw-1',
    })
    expect(active.bindingStatus).toBe('available')
    await call('gateway:useForInspection', { profileId: profile.id, accountId, id: created.id })
    expect(await call<{ certificateId: string | null }>('gateway:inspectionCertificate', { profileId: profile.id, accountId })).toEqual({
      certificateId: created.id,
    })
  })

  test('a bulk job can be cancelled from another call; what was not reached stays active', async () => {
    const zoneId = profile.zones[0]!.id
    // More than the job's concurrency (8): the last ones are surely not reached when the cancel comes,
    // however quickly the first 8 leave (requests the Sandbox received are carried out).
    const active = (await call<ClientCertificateSummary[]>('clientCerts:list', { profileId: profile.id, zoneId, status: 'active' })).slice(
      0,
      12,
    )
    expect(active).toHaveLength(12)
    const sandbox = await services.sandbox.handle()
    sandbox.faults.set({ latencyMs: 150 })
    let result: BulkRevokeResult
    try {
      const running = call<BulkRevokeResult>('clientCerts:bulkRevoke', {
        profileId: profile.id,
        zoneId,
        ids: active.map((c) => c.id),
        jobId: 'bulk-cancel',
      })
      await new Promise((r) => setTimeout(r, 100))
      expect(await call('jobs:cancel', { jobId: 'bulk-cancel' })).toEqual({ cancelled: true })
      result = await running
      expect(result.cancelled).toBe(true)
      expect(result.succeeded.length).toBeLessThan(active.length)
    } finally {
      sandbox.faults.clear()
    }
    const after = await call<ClientCertificateSummary[]>('clientCerts:list', { profileId: profile.id, zoneId, status: 'all' })
    const untouched = active.filter((c) => after.find((a) => a.id === c.id)!.status === 'active')
    expect(untouched.length).toBeGreaterThan(0)
    // The result tells each certificate's real outcome: the aborted requests Cloudflare carried out count as done.
    expect(result.items.filter((i) => i.outcome === 'done').length).toBe(active.length - untouched.length)
    expect(
      result.items
        .filter((i) => i.outcome === 'not_sent')
        .map((i) => i.id)
        .sort(),
    ).toEqual(untouched.map((c) => c.id).sort())
    // The audit trail says the same per certificate: revoked as succeeded, never sent as cancelled with why.
    for (const cert of active) {
      const [entry] = services.activity.list({ text: cert.id }).filter((e) => e.action === 'cf.clientCerts.revoke')
      const wasUntouched = untouched.some((u) => u.id === cert.id)
      expect(entry, cert.id).toMatchObject({ objectId: cert.id, outcome: wasUntouched ? 'cancelled' : 'ok' })
      if (wasUntouched) expect(entry!.reason).toMatch(/Cancelled before it was sent/)
    }
    expect(await call('jobs:cancel', { jobId: 'bulk-cancel' })).toEqual({ cancelled: false })
  })

  test('an Access root passes the root-ca gate in main before any request: expired roots and leaves are refused in words', async () => {
    const forge = new Forge()
    const ca = forge.issue({ name: 'Gate Root', ext: CA_EXT })
    // Expired in 2021: re-signed with the root's own key, so only its dates are wrong.
    const expired = forge.edit(ca, 'expired', ca.key, (cert) => {
      cert.tbsCertificate.validity.notBefore = new Time(new Date('2020-01-01T00:00:00Z'))
      cert.tbsCertificate.validity.notAfter = new Time(new Date('2021-01-01T00:00:00Z'))
    })
    const leaf = forge.issue({ name: 'device-1', ext: CLIENT_EXT, issuer: ca })
    const pems = { 'expired.pem': expired.pem, 'leaf.pem': leaf.pem, 'ca.pem': ca.pem }
    const scope = { kind: 'account', accountId: profile.accounts[0]!.id }
    const roots = () => call<AccessCertificateSummary[]>('access:list', { profileId: profile.id, scope })
    const before = (await roots()).length
    const activityBefore = (await call<unknown[]>('activity:list', {})).length
    for (const [file, expected] of [
      ['expired.pem', /^Not added: "Old root" cannot be an Access root \(certificate has expired\)\.$/],
      ['leaf.pem', /^Not added: "Old root" cannot be an Access root \(.*(not a CA|CA).*\)\.$/i],
    ] as const) {
      const result = await dispatch(
        handlers,
        'access:add',
        { profileId: profile.id, scope, name: 'Old root', certificatePem: readFileSync(pems[file], 'utf8') },
        context,
      )
      expect(result.ok, file).toBe(false)
      const error = (result as { error: { code: string; message: string; hint?: string; details?: { findings?: unknown[] } } }).error
      expect(error.code).toBe('bad_input')
      expect(error.message).toMatch(expected)
      expect(error.message).not.toContain(profile.accounts[0]!.id)
      expect(error.details?.findings?.length).toBeGreaterThan(0)
      expect(error.hint).toBeTruthy()
    }
    // Nothing reached Cloudflare: no root added, no Cloudflare change recorded.
    expect((await roots()).length).toBe(before)
    expect((await call<unknown[]>('activity:list', {})).length).toBe(activityBefore)
    // A good root still goes through.
    const added = await call<AccessCertificateSummary>('access:add', {
      profileId: profile.id,
      scope,
      name: 'Gate root',
      certificatePem: readFileSync(pems['ca.pem'], 'utf8'),
    })
    expect(added.name).toBe('Gate root')
  })

  test("a job waiting on Cloudflare's rate limit says so in its progress, then finishes", async () => {
    const zoneId = profile.zones[0]!.id
    const sandbox = await services.sandbox.handle()
    // The user's budget is spent (the block shortened to 2 s): the first request meets the block.
    sandbox.faults.set('budget=20/1s@block=2s')
    for (let i = 0; i < 20; i++)
      await fetch(`${sandbox.url}/user/tokens/verify`, { headers: { authorization: `Bearer ${sandbox.tokens.readOnly}` } })
    try {
      const started = Date.now()
      const all = await call<ClientCertificateSummary[]>('clientCerts:list', {
        profileId: profile.id,
        zoneId,
        status: 'all',
        jobId: 'list-wait',
      })
      expect(Date.now() - started).toBeGreaterThanOrEqual(1500)
      expect(all.length).toBeGreaterThan(0)
      const mine = events.filter((e) => e.jobId === 'list-wait')
      expect(mine.map((e) => e.message)).toContain("waiting for Cloudflare's rate limit, 2 s")
      expect(mine.at(-1)!.done).toBe(all.length)
    } finally {
      sandbox.faults.clear()
    }
  })

  test('requests are validated before anything reaches Cloudflare', async () => {
    const bad = await dispatch(handlers, 'clientCerts:revoke', { profileId: profile.id, zoneId: '', id: 'x' }, context)
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation' } })
    const keyInjection = await dispatch(
      handlers,
      'mtls:upload',
      { profileId: profile.id, accountId: 'a', chainPem: 'x', privateKeyPem: 'k' },
      context,
    )
    expect(keyInjection).toMatchObject({ ok: false, error: { code: 'validation' } })
  })
})
