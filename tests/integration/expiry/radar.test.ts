/**
 * The expiry radar on the app's own Sandbox profile, its clock at a fixed date: certificates seeded on every surface
 * (Cloudflare's through the official SDK, the vault, a throwaway machine's trust store) come back through the
 * `expiry:*` channels exactly; refreshes read only stale listings; notifications fire once per item per day as the
 * clock moves; a failing token (revoked, or answered 429) leaves every other source's items in place.
 */
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { ExpiryPage, ExpirySummary, ExpiryCount } from '../../../src/shared/expiry-model'
import type { Profile } from '../../../src/shared/model'
import { createHandlers } from '../../../src/main/handlers'
import { createServices, type Notice, type Services } from '../../../src/main/services'
import { CloudflareService } from '../../../src/main/cloudflare'
import { countingFetch, ExpiryService } from '../../../src/main/expiry'
import type { SandboxHandle } from '../../../src/main/sandbox'
import { ipcCaller, memorySecrets } from '../../support/services'
import { makeDebianTree, throwawayMachine } from '../../support/debian-tree'
import { SEED_AT, seedCloudflare, seedInstalledRoot, seedVault, type Seeded } from '../../support/expiry-seed'

const DAY = 86_400_000
const dirs: string[] = []
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  dirs.push(dir)
  return dir
}
const tree = makeDebianTree(2)
const notices: Notice[] = []
let services: Services
let call: ReturnType<typeof ipcCaller>
let sb: SandboxHandle
let due: Seeded[]

beforeAll(async () => {
  const root = await seedInstalledRoot(tree.anchors, SEED_AT)
  const trust = await throwawayMachine(tree.root, tempDir('certdesk-radar-home-'))
  services = createServices({
    userDataDir: tempDir('certdesk-radar-'),
    appVersion: 'test',
    secrets: memorySecrets(),
    trust,
    sandbox: { seed: 'empty', now: SEED_AT },
    // The radar judges on the Sandbox's clock (the test moves it).
    now: () => sb.clock.now(),
    dialogs: { saveFile: async () => null, notify: (notice) => void notices.push(notice) },
  })
  call = ipcCaller(createHandlers(services))
  await call<Profile>('profiles:add', { kind: 'sandbox', name: 'Sandbox' })
  sb = await services.sandbox.handle()
  const installed: Seeded = {
    surface: 'installedRoot',
    id: createHash('sha256').update(Buffer.from(root.made.cert.rawData)).digest('hex').toUpperCase(),
    days: root.days,
  }
  due = [...(await seedCloudflare(sb, SEED_AT)), ...(await seedVault(services.vault, SEED_AT)), installed]
}, 120_000)

afterAll(async () => {
  await services?.close()
  tree.cleanup()
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

const items = (request: Record<string, unknown>) => call<ExpiryPage>('expiry:items', { limit: 500, ...request })
const key = (s: { surface: string; id: string }) => `${s.surface} ${s.id}`

describe('expiry radar on the Sandbox clock', () => {
  test('a refresh lists exactly the seeded items due within 30 days, on every surface; the bars match the list', async () => {
    const summary = await call<ExpirySummary>('expiry:refresh', { force: true })
    expect(summary.sources.filter((s) => s.error)).toEqual([])
    const expiring = await items({ state: 'expiring' })
    expect(expiring.items.map(key).sort()).toEqual(due.map(key).sort())
    expect(new Set(expiring.items.map((i) => i.surface)).size).toBe(9)
    for (const seeded of due) {
      const item = expiring.items.find((i) => i.id === seeded.id)!
      expect(Math.abs(Date.parse(item.notAfter) - (SEED_AT + seeded.days * DAY))).toBeLessThan(5 * 60_000)
      expect(item.breaks).not.toBe('')
    }
    expect(await items({ state: 'expired' })).toMatchObject({ total: 0 })
    expect(summary.totals).toMatchObject({ expired: 0, expiring: due.length })
    expect(await call<ExpiryCount>('expiry:count', undefined)).toEqual({ expired: 0, expiring: due.length })
    for (const week of summary.weeks) expect((await items({ bucket: week.index })).total).toBe(week.total)
    // Where the items live, in words.
    const client = expiring.items.find((i) => i.surface === 'clientCert')!
    expect(client.where.text).toBe(`Sandbox · zone ${sb.zones[0]!.name}`)
    expect(client.renew.kind).toBe('reissueClientCert')
  })

  test('a second refresh reads nothing until a listing is older than 6 hours', async () => {
    const before = sb.requests().length
    const summary = await call<ExpirySummary>('expiry:refresh', {})
    expect(sb.requests().length).toBe(before)
    expect(summary.sources.every((s) => !s.stale)).toBe(true)
    sb.clock.advance(6 * 3600_000 + 60_000)
    const stale = await call<ExpirySummary>('expiry:summary', undefined)
    expect(stale.sources.filter((s) => s.profileId).every((s) => s.stale)).toBe(true)
    const refreshed = await call<ExpirySummary>('expiry:refresh', {})
    // Each listing's requests are counted as sent: together, what the Sandbox received.
    const requests = refreshed.sources.reduce((n, s) => n + s.requests, 0)
    expect(sb.requests().length - before).toBe(requests)
  })

  test('notifications: once when items become due, once more when one expires, never twice a day', async () => {
    // The first refresh told once: ten at once are folded into one notice.
    const first = [...notices]
    expect(first).toHaveLength(1)
    expect(first[0]!.title).toBe(`${due.length} certificates need renewing`)
    expect(await services.expiry.checkNotifications()).toEqual([])
    sb.clock.advance(3600_000)
    expect(await services.expiry.checkNotifications()).toEqual([])
    // The vault's leaf expires on day 3; the Gateway root on day 5.
    sb.clock.advance(3 * DAY)
    const expired = await services.expiry.checkNotifications()
    expect(expired.map((n) => n.title)).toEqual(['radar-leaf.internal has expired'])
    expect(await services.expiry.checkNotifications()).toEqual([])
    sb.clock.advance(2 * DAY)
    expect((await services.expiry.checkNotifications()).map((n) => n.title)).toEqual([expect.stringMatching(/Gateway root.* has expired/)])
    expect(notices.map((n) => n.title)).toEqual([...first, ...expired].map((n) => n.title).concat([notices.at(-1)!.title]))
  })

  test('the later window and an earlier clock: nothing due', async () => {
    services.settings.set({ expiringSoonDays: 1 })
    const summary = await call<ExpirySummary>('expiry:summary', undefined)
    expect(summary.windowDays).toBe(1)
    sb.clock.set(SEED_AT - 60 * DAY)
    expect(await call<ExpiryCount>('expiry:count', undefined)).toEqual({ expired: 0, expiring: 0 })
    services.settings.set({ expiringSoonDays: 30 })
    sb.clock.set(SEED_AT)
  })
})

describe('a failing token leaves the other sources', () => {
  test('revoked token: its sources show the error; the other profile’s items stay', async () => {
    const profiles = new Map<string, { token: string; name: string }>([
      ['00000000-0000-4000-8000-00000000000a', { token: sb.tokens.full, name: 'Good' }],
      ['00000000-0000-4000-8000-00000000000b', { token: sb.tokens.revoked, name: 'Revoked' }],
    ])
    const zones = sb.zones
    const accounts = [sb.account]
    const cloudflare = new CloudflareService({
      connect: async (id) => ({ token: profiles.get(id)!.token, baseUrl: sb.url, zones, accounts }),
      activity: { record: () => undefined },
      fetch: countingFetch(),
    })
    const asProfile = ([id, p]: [string, { name: string }]) =>
      ({ id, name: p.name, kind: 'cloudflare', createdAt: new Date().toISOString(), zones, accounts, missingPermissions: [] }) as Profile
    const expiry = new ExpiryService({
      userDataDir: tempDir('certdesk-radar-revoked-'),
      cloudflare,
      profiles: () => [...profiles].map(asProfile),
      windowDays: () => 30,
      now: () => sb.clock.now(),
    })
    const summary = await expiry.refresh()
    const [good, revoked] = [...profiles.keys()].map((id) => summary.sources.filter((s) => s.profileId === id))
    expect(revoked!.length).toBeGreaterThan(0)
    expect(revoked!.every((s) => s.stale && s.error?.message && s.items === 0)).toBe(true)
    expect(revoked![0]!.error!.message).toMatch(/token/i)
    expect(good!.every((s) => !s.error && !s.stale)).toBe(true)
    const cloudflareDue = due.filter((d) => !['localCa', 'issuedCert', 'installedRoot'].includes(d.surface))
    expect((await expiry.items({ state: 'expiring', offset: 0, limit: 500 })).items.map(key).sort()).toEqual(cloudflareDue.map(key).sort())
  })

  test('429 on one token after a good refresh: its listings are kept, marked stale with the error', async () => {
    let throttle = false
    const tokens = { a: sb.tokens.full, b: sb.tokens.accountOwned }
    const cloudflare = new CloudflareService({
      connect: async (id) => ({ token: id.endsWith('a') ? tokens.a : tokens.b, baseUrl: sb.url, zones: sb.zones, accounts: [sb.account] }),
      activity: { record: () => undefined },
      // Cloudflare answering 429 to token b with a Retry-After longer than the app waits.
      fetch: countingFetch(async (input, init) => {
        const auth = new Headers(init?.headers).get('authorization') ?? ''
        if (throttle && auth.endsWith(tokens.b))
          return new Response(
            JSON.stringify({ success: false, errors: [{ code: 971, message: 'Please wait and consider throttling your request speed' }] }),
            {
              status: 429,
              headers: { 'content-type': 'application/json', 'retry-after': '3600' },
            },
          )
        return fetch(input, init)
      }),
    })
    const profile = (id: string, name: string) =>
      ({
        id,
        name,
        kind: 'cloudflare',
        createdAt: new Date().toISOString(),
        zones: sb.zones,
        accounts: [sb.account],
        missingPermissions: [],
      }) as Profile
    const expiry = new ExpiryService({
      userDataDir: tempDir('certdesk-radar-429-'),
      // Token b's other listings wait on its paused budget until they give up.
      sourceTimeoutMs: 3000,
      cloudflare,
      profiles: () => [profile('00000000-0000-4000-8000-00000000000a', 'A'), profile('00000000-0000-4000-8000-00000000000b', 'B')],
      windowDays: () => 30,
      now: () => sb.clock.now(),
    })
    const first = await expiry.refresh()
    expect(first.sources.filter((s) => s.error || !s.requests)).toEqual([])
    const before = (await expiry.items({ state: 'expiring', offset: 0, limit: 500 })).total
    throttle = true
    const second = await expiry.refresh({ force: true })
    const b = second.sources.filter((s) => s.profileId?.endsWith('b'))
    expect(b.filter((s) => !s.stale || !/rate.limit/i.test(s.error?.message ?? ''))).toEqual([])
    expect(second.sources.filter((s) => s.profileId?.endsWith('a')).every((s) => !s.error)).toBe(true)
    // Nothing was emptied: B's items are still listed, from its last good listing.
    expect((await expiry.items({ state: 'expiring', offset: 0, limit: 500 })).total).toBe(before)
    expect(b.reduce((n, s) => n + s.items, 0)).toBe(
      first.sources.filter((s) => s.profileId?.endsWith('b')).reduce((n, s) => n + s.items, 0),
    )
  })
})
