/**
 * The radar's timeline as numbers: main's summary (already binned per week from `now`, what has expired apart) as bars
 * stacked by surface, and the linear scale (d3-scale) that turns counts into heights. Plain functions, tested on their own. Main
 * bins (the items never all cross to this window); a bar's bucket is the filter `expiry:items` lists it with, so a
 * bar's count is exactly the rows its click shows.
 */
import { scaleLinear } from 'd3-scale'
import type { ExpiryBucket, ExpirySummary, ExpirySurface, SurfaceCounts } from '../../../../shared/expiry-model'

export interface Bar {
  bucket: ExpiryBucket
  /** The week's first instant (ms); for the expired bar, the radar's `now`. */
  start: number
  total: number
  /** Of which expired or within the expiring window (the highlighted part). */
  urgent: number
  counts: SurfaceCounts
}

const sum = (counts: SurfaceCounts): number => Object.values(counts).reduce<number>((n, c) => n + (c ?? 0), 0)

/** The expired bar, then the 52 weeks; the items after them are only counted (`later`). */
export function barsOf(summary: Pick<ExpirySummary, 'now' | 'expired' | 'weeks'>): Bar[] {
  const expired = sum(summary.expired)
  return [
    { bucket: 'expired', start: Date.parse(summary.now), total: expired, urgent: expired, counts: summary.expired },
    ...summary.weeks.map((w) => ({ bucket: w.index, start: Date.parse(w.start), total: w.total, urgent: w.expiring, counts: w.bySurface })),
  ]
}

/**
 * A "nice" top for the axis and its ticks (d3-scale's nice() and ticks(): steps of 1, 2 or 5 × 10ⁿ, about `count`
 * of them), for counts: the steps are whole numbers, so a small maximum asks for fewer, never for halves.
 */
export function niceTicks(max: number, count = 3): { top: number; ticks: number[] } {
  if (!(max > 0)) return { top: 1, ticks: [0, 1] }
  const scale = scaleLinear().domain([0, max]).nice(Math.min(count, max))
  const top = scale.domain()[1]!
  return { top, ticks: scale.ticks(Math.min(count, top)) }
}

/** A linear map from [0, top] to [0, height] pixels (0 for an empty axis). */
export function linear(top: number, height: number): (value: number) => number {
  const scale = scaleLinear().domain([0, top]).range([0, height])
  return (value) => (top > 0 ? scale(value) : 0)
}

export interface Segment {
  surface: ExpirySurface
  count: number
  /** From the baseline, in pixels: the segment spans [y0, y1). */
  y0: number
  y1: number
}

/** A bar's stacked segments bottom-up in the surfaces' order (main's, as the summary lists them), empty ones left out. */
export function stack(counts: SurfaceCounts, order: readonly ExpirySurface[], scale: (v: number) => number): Segment[] {
  const out: Segment[] = []
  let below = 0
  for (const surface of order) {
    const count = counts[surface]
    if (!count) continue
    out.push({ surface, count, y0: scale(below), y1: scale(below + count) })
    below += count
  }
  return out
}

/** The bar's time in words: "Expired", "This week", "Week of 7 Dec", "Later". */
export function bucketLabel(bucket: ExpiryBucket, start: number, format: (ms: number) => string): string {
  if (bucket === 'expired') return 'Expired'
  if (bucket === 'later') return 'Later than 52 weeks'
  if (bucket === 0) return 'This week'
  return `Week of ${format(start)}`
}

/** "3 items (Client certificate: 2, AOP certificate: 1)" — what a bar's tooltip and accessible name say. */
export function barText(total: number, counts: SurfaceCounts, labels: ReadonlyArray<{ surface: ExpirySurface; label: string }>): string {
  const noun = `${total} item${total === 1 ? '' : 's'}`
  const parts = labels.filter((l) => counts[l.surface]).map((l) => `${l.label}: ${counts[l.surface]}`)
  return parts.length ? `${noun} (${parts.join(', ')})` : noun
}

/** A surface's name as main gives it in the summary ("Client certificate"). */
export const surfaceLabel = (summary: Pick<ExpirySummary, 'surfaces'> | null, surface: ExpirySurface): string =>
  summary?.surfaces.find((s) => s.surface === surface)?.label ?? surface
