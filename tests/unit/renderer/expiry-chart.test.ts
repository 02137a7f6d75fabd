/**
 * The radar's timeline in the renderer: main's summary as bars (the expired one first, then the 52 weeks, each keeping
 * the bucket its click lists), stacked bottom-up in the surfaces' order, on an axis whose top is a whole number of nice
 * steps at or above the tallest bar.
 */
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { barsOf, barText, bucketLabel, linear, niceTicks, stack, surfaceLabel } from '../../../src/renderer/src/views/expiry/chart'

const NOW = '2026-12-01T12:00:00.000Z'
const DAY = 86_400_000
const week = (index: number, bySurface: Record<string, number>, expiring = 0) => {
  const start = Date.parse(NOW) + index * 7 * DAY
  const total = Object.values(bySurface).reduce((n, c) => n + c, 0)
  return { index, start: new Date(start).toISOString(), end: new Date(start + 7 * DAY).toISOString(), total, expiring, bySurface }
}

describe('expiry chart', () => {
  test('bars: expired first (all of it urgent), then each week with its bucket, start and the part within the window', () => {
    const bars = barsOf({
      now: NOW,
      expired: { clientCert: 2, localCa: 1 },
      weeks: [week(0, { aopCert: 1 }, 1), week(1, {}), week(4, { originCaCert: 3 }, 2)],
    })
    expect(bars.map((b) => b.bucket)).toEqual(['expired', 0, 1, 4])
    expect(bars[0]).toEqual({ bucket: 'expired', start: Date.parse(NOW), total: 3, urgent: 3, counts: { clientCert: 2, localCa: 1 } })
    expect(bars[3]).toEqual({ bucket: 4, start: Date.parse(NOW) + 28 * DAY, total: 3, urgent: 2, counts: { originCaCert: 3 } })
  })

  test('stack: segments bottom-up in the surfaces order (not the counts order), empty ones left out, the top at the total', () => {
    const scale = linear(4, 100)
    const order = ['clientCert', 'gatewayRoot', 'aopCert', 'localCa', 'installedRoot'] as const
    expect(stack({ aopCert: 1, clientCert: 2, gatewayRoot: 0 }, order, scale)).toEqual([
      { surface: 'clientCert', count: 2, y0: 0, y1: 50 },
      { surface: 'aopCert', count: 1, y0: 50, y1: 75 },
    ])
    expect(stack({}, order, scale)).toEqual([])
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('clientCert', 'aopCert', 'localCa', 'installedRoot'), fc.nat(1000)), (counts) => {
        const total = Object.values(counts).reduce((n, c) => n + c, 0)
        const segments = stack(counts, order, linear(total, 200))
        // Contiguous from the baseline to the top.
        segments.forEach((s, i) => expect(s.y0).toBe(i === 0 ? 0 : segments[i - 1]!.y1))
        if (total > 0) expect(segments.at(-1)!.y1).toBeCloseTo(200)
      }),
    )
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

  test('labels and bar text', () => {
    const fmt = (ms: number) => new Date(ms).toISOString().slice(0, 10)
    const start = Date.parse(NOW)
    expect(bucketLabel('expired', start, fmt)).toBe('Expired')
    expect(bucketLabel('later', start, fmt)).toBe('Later than 52 weeks')
    expect(bucketLabel(0, start, fmt)).toBe('This week')
    expect(bucketLabel(2, start + 14 * DAY, fmt)).toBe('Week of 2026-12-15')
    const labels = [
      { surface: 'clientCert' as const, label: 'Client certificate' },
      { surface: 'aopCert' as const, label: 'AOP certificate' },
      { surface: 'localCa' as const, label: 'Local CA' },
    ]
    expect(barText(1, { aopCert: 1 }, labels)).toBe('1 item (AOP certificate: 1)')
    expect(barText(3, { localCa: 1, clientCert: 2 }, labels)).toBe('3 items (Client certificate: 2, Local CA: 1)')
    expect(barText(0, {}, labels)).toBe('0 items')
    expect(surfaceLabel({ surfaces: [{ surface: 'localCa', label: 'Local CA', all: 1, expired: 0, expiring: 0 }] }, 'localCa')).toBe(
      'Local CA',
    )
    expect(surfaceLabel(null, 'aopCert')).toBe('aopCert')
  })
})
