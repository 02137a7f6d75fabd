/**
 * The radar's index: states and chart bars as ranges of rows sorted by expiry, pages made on demand, and 200,000
 * cached rows assembled in chunks (the event loop is never held long).
 */
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { WEEK_MS, type ExpirySurface } from '../../../src/shared/expiry-model'
import type { Profile } from '../../../src/shared/model'
import { CloudflareService } from '../../../src/main/cloudflare'
import { buildIndex, ExpiryService, query, summarize, type Listing } from '../../../src/main/expiry'
import { ListingCache } from '../../../src/main/expiry/cache'

const DAY = 86_400_000
const NOW = Date.parse('2030-03-01T00:00:00Z')
const c = { now: NOW, windowDays: 30 }

const listing = (key: string, surface: ExpirySurface, days: number[]): Listing => ({
  key,
  surface,
  where: { text: key },
  entries: days.map((d, i) => ({ id: `${key}-${i}`, name: `${key} #${i}`, notAfter: new Date(NOW + d * DAY).toISOString() })),
})

describe('radar index', () => {
  test('states, weeks and pages follow the expiry dates', async () => {
    const index = await buildIndex([
      listing('a', 'clientCert', [-3, 1, 6, 8, 29, 31, 400]),
      listing('b', 'gatewayRoot', [2, 30, -1]),
      { ...listing('c', 'localCa', []), entries: [{ id: 'x', name: 'x', notAfter: 'not a date' }] },
    ])
    // The unreadable date is left out.
    expect(index.size).toBe(10)
    const summary = await summarize(index, c)
    expect(summary.totals).toEqual({ all: 10, expired: 2, expiring: 6, ok: 2 })
    expect(summary.expired).toEqual({ clientCert: 1, gatewayRoot: 1 })
    expect(summary.weeks[0]).toMatchObject({ total: 3, expiring: 3, bySurface: { clientCert: 2, gatewayRoot: 1 } })
    expect(summary.weeks[1]).toMatchObject({ total: 1, bySurface: { clientCert: 1 } })
    expect(summary.later).toEqual({ clientCert: 1 })
    // Every bar's count is the number of items listed for it.
    for (const week of summary.weeks) expect(query(index, { bucket: week.index, offset: 0, limit: 500 }, c).total).toBe(week.total)
    expect(query(index, { bucket: 'expired', offset: 0, limit: 500 }, c).items.map((i) => i.name)).toEqual(['a #0', 'b #2'])
    const expiring = query(index, { state: 'expiring', offset: 0, limit: 500 }, c)
    expect(expiring.items.map((i) => i.daysLeft)).toEqual([1, 2, 6, 8, 29, 30])
    expect(expiring.items[0]).toMatchObject({
      key: 'a:a-1',
      surface: 'clientCert',
      state: 'expiring',
      renew: { kind: 'reissueClientCert' },
    })
    const page = query(index, { state: 'expiring', surface: 'clientCert', offset: 1, limit: 2 }, c)
    expect(page).toMatchObject({ total: 4, offset: 1 })
    expect(page.items.map((i) => i.daysLeft)).toEqual([6, 8])
    expect(query(index, { text: 'B #', offset: 0, limit: 10 }, c).total).toBe(3)
  })

  test('200,000 cached certificates (20 zones x 10,000) load and assemble in chunks: no long task', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'certdesk-radar-'))
    const zones = Array.from({ length: 20 }, (_, i) => ({ id: `zone${String(i).padStart(28, '0')}`, name: `z${i}.example` }))
    const profile = { id: randomUUID(), name: 'Big', kind: 'cloudflare', zones, accounts: [] } as unknown as Profile
    const cloudflare = new CloudflareService({
      connect: () => Promise.reject(new Error('no request is made: the radar is built from the cache')),
      activity: { record: () => undefined },
    })
    const cache = new ListingCache(dir)
    for (const [z, zone] of zones.entries()) {
      const days = Array.from({ length: 10_000 }, (_, i) => ((i * 7919 + z * 31) % 800) - 30)
      const { entries } = listing(zone.name, 'clientCert', days)
      cache.put({ key: `clientCert:${profile.id}:zone:${zone.id}`, fetchedAt: NOW, requests: 200, entries })
    }
    const cpu = () => {
      const used = process.threadCpuUsage()
      return (used.user + used.system) / 1000
    }
    for (let run = 0; run < 2; run++) {
      const service = new ExpiryService({ userDataDir: dir, cloudflare, profiles: () => [profile], windowDays: () => 30, now: () => NOW })
      // The CPU time this thread spends between two turns of the event loop: the longest is the longest task.
      const stretches: number[] = []
      let last = cpu()
      let running = true
      const turn = () => {
        const now = cpu()
        stretches.push(now - last)
        last = now
        if (running) setImmediate(turn)
      }
      setImmediate(turn)
      const started = performance.now()
      const summary = await service.summary()
      const wall = performance.now() - started
      running = false
      const longest = Math.max(...stretches)
      console.log(
        `radar from cache, 200,000 certificates (run ${run + 1}): ${wall.toFixed(0)} ms, ` +
          `${stretches.length} turns of the event loop, longest task ${longest.toFixed(1)} ms of CPU`,
      )
      expect(summary.totals.all).toBe(200_000)
      const zoneLists = summary.sources.filter((s) => s.surface === 'clientCert')
      expect(zoneLists).toHaveLength(20)
      expect(zoneLists.filter((s) => s.items !== 10_000 || s.requests !== 200 || s.stale)).toEqual([])
      expect(stretches.length).toBeGreaterThan(200_000 / 5000)
      expect(longest).toBeLessThan(50)
      const inWeeks = summary.weeks.reduce((n, w) => n + w.total, 0)
      const count = (o: Record<string, number | undefined>) => Object.values(o).reduce<number>((n, v) => n + (v ?? 0), 0)
      expect(inWeeks + count(summary.expired) + count(summary.later)).toBe(200_000)
      // A page of a bar is made from its range only.
      const t0 = performance.now()
      const bar = await service.items({ bucket: 3, offset: 0, limit: 100 })
      expect(performance.now() - t0).toBeLessThan(50)
      expect(bar.total).toBe(summary.weeks[3]!.total)
      expect(bar.items.every((i) => Date.parse(i.notAfter) > NOW + 3 * WEEK_MS)).toBe(true)
    }
    rmSync(dir, { recursive: true, force: true })
  })
})
