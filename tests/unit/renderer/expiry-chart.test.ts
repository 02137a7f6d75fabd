/**
 * The radar's timeline: items binned per week from `now` (expired apart, past 52 weeks counted as later), stacked by
 * surface in order, the window's weeks marked, and an axis top that is a whole number of nice steps above the tallest bar.
 * Property: every dated item lands in exactly one bin, and the bins' totals add up to the items.
 */
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { binLabel, binOf, EXPIRED, LATER, linear, niceTicks, stack, timeline, WEEKS } from '../../../src/renderer/src/views/expiry/chart'

const NOW = Date.parse('2026-12-01T12:00:00.000Z')
const DAY = 86_400_000
const at = (days: number) => new Date(NOW + days * DAY).toISOString()
const SURFACES = ['client', 'origin', 'aop'] as const

describe('expiry timeline', () => {
  test('bins count from now: expired, week 0 up to 7 days, week 1 from day 7, later past 52 weeks; bad dates in none', () => {
    expect(binOf(at(-0.001), NOW)).toBe(EXPIRED)
    expect(binOf(at(0), NOW)).toBe(0)
    expect(binOf(at(6.999), NOW)).toBe(0)
    expect(binOf(at(7), NOW)).toBe(1)
    expect(binOf(at(7 * WEEKS - 0.001), NOW)).toBe(WEEKS - 1)
    expect(binOf(at(7 * WEEKS), NOW)).toBe(LATER)
    expect(binOf('not a date', NOW)).toBeNull()
  })

  test('stacks per surface, marks the window, counts later and undated apart', () => {
    const items = [
      { surface: 'client' as const, expiresAt: at(-3) },
      { surface: 'origin' as const, expiresAt: at(-400) },
      { surface: 'client' as const, expiresAt: at(1) },
      { surface: 'aop' as const, expiresAt: at(2) },
      { surface: 'aop' as const, expiresAt: at(6) },
      { surface: 'origin' as const, expiresAt: at(29) },
      { surface: 'client' as const, expiresAt: at(400) },
      { surface: 'client' as const, expiresAt: '' },
    ]
    const t = timeline(items, SURFACES, NOW, 30)
    expect(t.bins).toHaveLength(WEEKS + 1)
    expect(t.bins[0]).toMatchObject({ index: EXPIRED, total: 2, counts: { client: 1, origin: 1, aop: 0 } })
    expect(t.bins[1]).toMatchObject({ index: 0, total: 3, counts: { client: 1, origin: 0, aop: 2 } })
    expect(t.bins[5]).toMatchObject({ index: 4, total: 1, counts: { origin: 1 } })
    // Days 0–30 touch weeks 0–4 (week 4 starts on day 28); week 5 starts on day 35.
    expect(t.bins.filter((b) => b.inWindow).map((b) => b.index)).toEqual([EXPIRED, 0, 1, 2, 3, 4])
    expect(t).toMatchObject({ later: 1, undated: 1, max: 3 })
  })

  test('every dated item is in exactly one bin (or later)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ surface: fc.constantFrom(...SURFACES), days: fc.double({ min: -800, max: 800, noNaN: true }) })),
        (raw) => {
          const t = timeline(
            raw.map((r) => ({ surface: r.surface, expiresAt: at(r.days) })),
            SURFACES,
            NOW,
            30,
          )
          const drawn = t.bins.reduce((n, b) => n + b.total, 0)
          expect(drawn + t.later).toBe(raw.length)
          for (const b of t.bins) expect(SURFACES.reduce((n, s) => n + b.counts[s], 0)).toBe(b.total)
        },
      ),
    )
  })

  test('stack: segments bottom-up in the surfaces order, the top at the total', () => {
    const t = timeline(
      [
        { surface: 'aop' as const, expiresAt: at(1) },
        { surface: 'client' as const, expiresAt: at(1) },
        { surface: 'client' as const, expiresAt: at(2) },
      ],
      SURFACES,
      NOW,
      30,
    )
    const scale = linear(4, 100)
    expect(stack(t.bins[1]!, SURFACES, scale)).toEqual([
      { surface: 'client', count: 2, y0: 0, y1: 50 },
      { surface: 'aop', count: 1, y0: 50, y1: 75 },
    ])
    expect(stack(t.bins[2]!, SURFACES, scale)).toEqual([])
  })

  test('nice ticks: whole steps of 1, 2 or 5 × 10ⁿ, the top at or above the max', () => {
    expect(niceTicks(0)).toEqual({ top: 1, ticks: [0, 1] })
    expect(niceTicks(3)).toEqual({ top: 3, ticks: [0, 1, 2, 3] })
    expect(niceTicks(7)).toEqual({ top: 8, ticks: [0, 2, 4, 6, 8] })
    expect(niceTicks(37)).toEqual({ top: 40, ticks: [0, 10, 20, 30, 40] })
    expect(niceTicks(10_001)).toEqual({ top: 15_000, ticks: [0, 5000, 10_000, 15_000] })
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), (max) => {
        const { top, ticks } = niceTicks(max)
        expect(top).toBeGreaterThanOrEqual(max)
        expect(ticks.length).toBeLessThanOrEqual(6)
        expect(ticks.at(-1)).toBe(top)
        expect(Number.isInteger(ticks[1])).toBe(true)
      }),
    )
    expect(linear(0, 100)(5)).toBe(0)
    expect(linear(40, 200)(10)).toBe(50)
  })

  test('labels', () => {
    const fmt = (ms: number) => new Date(ms).toISOString().slice(0, 10)
    expect(binLabel({ index: EXPIRED, start: NOW }, fmt)).toBe('Expired')
    expect(binLabel({ index: 0, start: NOW }, fmt)).toBe('This week')
    expect(binLabel({ index: 2, start: NOW + 14 * DAY }, fmt)).toBe('Week of 2026-12-15')
  })
})
