/**
 * The enforcement slice: a zone's doctor report and rules shown only for the zone asked last, Enforce writing the
 * plan's version and reading the zone again, and Test access sending a vault key's id (never key material).
 */
import { describe, expect, test } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { deferred, fakeStore, settle } from './support'

const zoneA = { profileId: 'p1', zoneId: 'zone-a' }
const zoneB = { profileId: 'p1', zoneId: 'zone-b' }
const report = (zoneId: string, hostname: string) => ({
  enforced: false,
  cas: [],
  notes: [],
  zones: [
    {
      zoneId,
      zone: zoneId,
      hostnames: [{ hostname, blocksMissing: false, blocksUnverified: false, blocksRevoked: false, blocksValid: false }],
      findings: [],
    },
  ],
})
const ruleset = (version: string) => ({ version, rules: [], exists: version !== '0' })

describe('enforcement slice', () => {
  test("a slower answer for the zone shown before is dropped: the view is the last zone's", async () => {
    const answers = new Map<string, ReturnType<typeof deferred<unknown>>>()
    const { store } = fakeStore({
      'rules:doctorProfile': (request: { zoneIds: string[] }) => {
        const answer = deferred<unknown>()
        answers.set(request.zoneIds[0]!, answer)
        return answer.promise
      },
      'rules:get': () => ruleset('3'),
    })
    const first = store.getState().loadEnforcement(zoneA)
    const second = store.getState().loadEnforcement(zoneB)
    await settle()
    answers.get('zone-b')!.resolve(report('zone-b', 'b.example.com'))
    await second
    answers.get('zone-a')!.resolve(report('zone-a', 'a.example.com'))
    await first
    const view = store.getState().enforcement
    expect(view.scope).toBe('p1/zone/zone-b')
    expect(view.report?.hostnames.map((h) => h.hostname)).toEqual(['b.example.com'])
    expect(view.rules?.version).toBe('3')
    expect(view.loading).toBe(false)
  })

  test('Enforce sends the version planned from, then reads the zone again; a refused write is toasted, not reloaded', async () => {
    let version = '1'
    const { store, calls } = fakeStore({
      'rules:doctorProfile': () => report('zone-a', 'api.example.com'),
      'rules:get': () => ruleset(version),
      'rules:enforce': (request: { version: string }) => {
        if (request.version !== version) throw new AppError('conflict', 'The custom rules changed since the plan was made.')
        version = String(Number(version) + 1)
        return ruleset(version)
      },
    })
    await store.getState().loadEnforcement(zoneA)
    const target = { hostnames: ['api.example.com'], ruleId: 'r1' }
    const written = await store.getState().enforce(zoneA, target, '1')
    expect(written.ok).toBe(true)
    expect(calls.find((c) => c.channel === 'rules:enforce')?.request).toEqual({
      ...zoneA,
      hostnames: ['api.example.com'],
      ruleId: 'r1',
      version: '1',
    })
    await settle()
    await settle()
    expect(store.getState().enforcement.rules?.version).toBe('2')
    const reads = calls.filter((c) => c.channel === 'rules:get').length

    const stale = await store.getState().enforce(zoneA, target, '1')
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict' } })
    expect(store.getState().toasts.at(-1)).toMatchObject({ kind: 'error', message: 'The custom rules changed since the plan was made.' })
    expect(calls.filter((c) => c.channel === 'rules:get').length).toBe(reads)
  })

  test('Test access names the vault key by id, or asks for the request without a certificate', async () => {
    const { store, calls } = fakeStore({
      'rules:probe': () => ({ url: 'x', connectedTo: null, attempts: [], expect: null, pass: null, verdict: 'v' }),
    })
    await store.getState().testAccess({ profileId: 'p1', url: 'https://api.example.com/', keyId: 'a'.repeat(32) })
    await store.getState().testAccess({ profileId: 'p1', url: 'https://api.example.com/', noCert: true })
    expect(calls.map((c) => c.request)).toEqual([
      { profileId: 'p1', url: 'https://api.example.com/', keyId: 'a'.repeat(32) },
      { profileId: 'p1', url: 'https://api.example.com/', noCert: true },
    ])
  })
})
