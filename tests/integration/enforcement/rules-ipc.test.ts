/**
 * The `rules:*` channels through dispatch (as IPC runs them), against the app's own Sandbox profile: an absent entry
 * point reads as no rules (an unknown zone does not), the doctor reads the zone's associations and rules, and
 * `rules:enforce` asks main's own dialog with the rule before and after — a "no" writes nothing and is recorded, a
 * plan made from an older version is refused with `conflict` and nothing written.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createHandlers } from '../../../src/main/handlers'
import { createServices, type ConfirmRequest } from '../../../src/main/services'
import type { ResponseOf } from '../../../src/shared/contract'
import type { Profile } from '../../../src/shared/model'
import { ipcCaller, memorySecrets } from '../../support/services'

const asked: ConfirmRequest[] = []
let answer = true
const services = createServices({
  userDataDir: mkdtempSync(join(tmpdir(), 'certdesk-rules-ipc-')),
  appVersion: 'test',
  secrets: memorySecrets(),
  dialogs: {
    saveFile: async () => null,
    confirm: async (request) => {
      asked.push(request)
      return answer
    },
  },
})
const handlers = createHandlers(services)

const call = ipcCaller(handlers)

let profile: Profile
let zone: { profileId: string; zoneId: string }

beforeAll(async () => {
  profile = await call<Profile>('profiles:add', { kind: 'sandbox', name: 'Sandbox' })
  zone = { profileId: profile.id, zoneId: profile.zones.find((z) => z.name === 'example.com')!.id }
})
afterAll(() => services.close())

type Ruleset = ResponseOf<'rules:get'>

describe('rules over IPC (Sandbox profile)', () => {
  test('no entry point yet: an empty rule list at version 0; an unknown zone is not found, not empty', async () => {
    expect(await call<Ruleset>('rules:get', zone)).toEqual({ version: '0', rules: [], exists: false })
    await expect(call('rules:get', { profileId: profile.id, zoneId: 'f'.repeat(32) })).rejects.toMatchObject({ code: 'not_found' })
  })

  test('the doctor reads the associations and finds every associated hostname not enforced', async () => {
    const associated = await call<string[]>('hostnames:get', zone)
    expect(associated.length).toBeGreaterThan(0)
    const report = await call<ResponseOf<'rules:doctor'>>('rules:doctor', zone)
    expect(report.zone).toBe('example.com')
    expect(report.findings.map((f) => [f.kind, f.hostname])).toEqual(associated.map((h) => ['not_enforced', h]))
  })

  test('enforce asks in main with the rule before/after; "no" writes nothing and is recorded as cancelled', async () => {
    const request = { ...zone, hostnames: ['api.example.com'] }
    const plan = await call<ResponseOf<'rules:planEnforce'>>('rules:planEnforce', request)
    expect(plan).toMatchObject({ version: '0', after: { action: 'block' } })
    expect(plan.before).toBeUndefined()
    answer = false
    await expect(call('rules:enforce', { ...request, version: plan.version })).rejects.toMatchObject({ code: 'cancelled' })
    expect(asked.at(-1)).toMatchObject({ title: 'Enforce mTLS' })
    expect(asked.at(-1)!.detail).toContain(`After: ${plan.after.expression}`)
    expect((await call<Ruleset>('rules:get', zone)).exists).toBe(false)
    const log = services.activity.list({})
    expect(log.find((e) => e.action === 'cf.rules.enforce')).toMatchObject({ outcome: 'cancelled' })
  })

  test('"yes" writes the plan; a plan made from the older version is then refused and nothing is written', async () => {
    answer = true
    const api = { ...zone, hostnames: ['api.example.com'] }
    const stale = await call<ResponseOf<'rules:planEnforce'>>('rules:planEnforce', { ...zone, hostnames: ['devices.example.com'] })
    const written = await call<Ruleset>('rules:enforce', { ...api, version: '0' })
    expect(written.version).toBe('1')
    expect(written.rules).toHaveLength(1)
    const report = await call<ResponseOf<'rules:doctor'>>('rules:doctor', zone)
    expect(report.hostnames.find((h) => h.hostname === 'api.example.com')).toMatchObject({
      blocksMissing: true,
      blocksUnverified: true,
      blocksRevoked: true,
      blocksValid: false,
    })

    const questions = asked.length
    await expect(call('rules:enforce', { ...zone, hostnames: ['devices.example.com'], version: stale.version })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('changed since the plan was made (version 0, now 1)'),
    })
    expect(asked).toHaveLength(questions)
    expect(await call<Ruleset>('rules:get', zone)).toEqual(written)
  })
})
