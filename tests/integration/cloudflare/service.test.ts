import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { CloudflareService } from '../../../src/main/cloudflare'
import { startSandbox, type SandboxHandle } from '../../../src/main/sandbox'
import { ActivityLog } from '../../../src/main/storage/activity'
import { makeCsr } from '../../support/csr'

let sb: SandboxHandle
let dir: string

beforeAll(async () => {
  sb = await startSandbox({ seed: 'empty', timing: { revocationMs: 60_000, reactivationMs: 60_000 } })
  dir = mkdtempSync(join(tmpdir(), 'certdesk-cf-service-'))
})
afterAll(async () => {
  await sb.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('CloudflareService', () => {
  test('builds one client per profile lazily, rebuilds on token change, records changes (never secrets)', async () => {
    const activity = new ActivityLog(join(dir, 'svc'))
    let token = sb.tokens.full
    let connects = 0
    const service = new CloudflareService({
      connect: async () => {
        connects++
        return { token, baseUrl: sb.url }
      },
      activity,
    })
    const a = await service.client('p1')
    expect(await service.client('p1')).toBe(a)
    token = sb.tokens.readOnly
    const b = await service.client('p1')
    expect(b).not.toBe(a)
    expect(connects).toBe(3)
    token = sb.tokens.full
    const zone = { zoneId: sb.zones[1]!.id, zoneName: sb.zones[1]!.name }
    const csr = await makeCsr('svc.example.net')
    const create = { profileId: 'p1', zoneId: zone.zoneId, csrPem: csr.pem, validityDays: 730 }
    const created = await service.run('clientCerts.createFromCsr', create)
    await service.run('clientCerts.bulkRevoke', { profileId: 'p1', zoneId: zone.zoneId, ids: [created.certificate.id], jobId: 'j1' })
    token = sb.tokens.readOnly
    await expect(service.run('clientCerts.createFromCsr', create)).rejects.toMatchObject({
      code: 'cf_permission',
    })
    const entries = activity.list()
    expect(entries.map((e) => `${e.action}:${e.outcome}`)).toEqual([
      'cf.clientCerts.createFromCsr:failed',
      'cf.clientCerts.revoke:ok',
      'cf.clientCerts.createFromCsr:ok',
    ])
    expect(entries[2]!.target).toBe(`svc.example.net (${created.certificate.id})`)
    expect(entries[2]).toMatchObject({ objectId: created.certificate.id, objectName: 'svc.example.net' })
    // The failure says why, in the words the user saw.
    expect(entries[0]!.reason).toBeTruthy()
    expect(entries[0]!.reason).toMatch(/token lacks .*SSL and Certificates/)
    // The bulk revoke wrote one entry per certificate, found by its id (as the drawer looks it up).
    expect(entries[1]!.target).toBe('svc.example.net')
    expect(entries[1]!.detail).toMatchObject({ id: created.certificate.id, outcome: 'done', bulk: true })
    expect(activity.list({ text: created.certificate.id }).map((e) => e.action)).toEqual([
      'cf.clientCerts.revoke',
      'cf.clientCerts.createFromCsr',
    ])
    const raw = readFileSync(activity.path, 'utf8')
    for (const secret of [sb.tokens.full, sb.tokens.readOnly, csr.pem.split('\n')[1]!]) expect(raw).not.toContain(secret)
    expect((await service.rateStats('p1')).requests).toBeGreaterThan(0)
  })
})

test('a change whose answer is lost is recorded as unknown, not as failed, with the reason', async () => {
  const activity = new ActivityLog(join(dir, 'svc-unknown'))
  const service = new CloudflareService({
    connect: async () => ({ token: sb.tokens.full, baseUrl: sb.url }),
    activity,
    attemptTimeoutMs: 2000,
  })
  const zone = { zoneId: sb.zones[1]!.id, zoneName: sb.zones[1]!.name }
  const csrPem = (await makeCsr('lost.example.net')).pem
  const created = await service.run('clientCerts.createFromCsr', { profileId: 'p1', zoneId: zone.zoneId, csrPem, validityDays: 30 })
  sb.faults.set({ serverErrors: { status: 503, count: 50 } })
  try {
    await expect(
      service.run('clientCerts.revoke', { profileId: 'p1', zoneId: zone.zoneId, id: created.certificate.id }),
    ).rejects.toMatchObject({ code: 'cf_server_error' })
  } finally {
    sb.faults.clear()
  }
  const [entry] = activity.list({ action: 'cf.clientCerts.revoke' })
  expect(entry).toMatchObject({ outcome: 'unknown', objectId: created.certificate.id, reason: expect.stringMatching(/\S/) })
}, 60_000)
