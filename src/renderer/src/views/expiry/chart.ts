/**
 * The radar's timeline as numbers: items binned per week for the next 52 weeks (plus one bin for what has already expired),
 * stacked by surface, and the linear scale that turns counts into bar heights. Plain functions so the binning is tested
 * on its own and the list filters with the very same rule the chart counts with.
 *
 * Weeks count from `now`, not from a calendar Monday: week i holds what expires in [now + 7i days, now + 7(i + 1) days),
 * so "within 30 days" and "week 0" start at the same instant and a bar's count is exactly the rows its click shows.
 */
const DAY = 86_400_000
const WEEK = 7 * DAY
/** 52 weeks: the next 12 months. What expires later is counted apart ("later"), never drawn. */
export const WEEKS = 52

/** The bin of what has already expired; weeks are 0…WEEKS − 1; LATER is past the chart. */
export const EXPIRED = -1
export const LATER = WEEKS

export interface Dated<S extends string = string> {
  surface: S
  /** ISO 8601; an item without a valid date is in no bin. */
  expiresAt: string
}

/** The bin an expiry falls in (EXPIRED, a week, or LATER), or null for a date that does not parse. */
export function binOf(expiresAt: string, now: number): number | null {
  const t = Date.parse(expiresAt)
  if (!Number.isFinite(t)) return null
  if (t < now) return EXPIRED
  return Math.min(LATER, Math.floor((t - now) / WEEK))
}

export interface Bin<S extends string> {
  /** EXPIRED or the week's index. */
  index: number
  /** The week's first instant (ms); for the expired bin, `now`. */
  start: number
  total: number
  /** Counts per surface, in the surfaces' order. */
  counts: Record<S, number>
  /** The bin touches the expiring window (it starts before now + windowDays). */
  inWindow: boolean
}

export interface Timeline<S extends string> {
  bins: Array<Bin<S>>
  /** Items past the 52 weeks, and items without a date: counted, not drawn. */
  later: number
  undated: number
  /** The tallest bin's total. */
  max: number
}

/** Counts per surface for the expired bin and each of the 52 weeks, one pass over the items. */
export function timeline<S extends string>(
  items: ReadonlyArray<Dated<S>>,
  surfaces: readonly S[],
  now: number,
  windowDays: number,
): Timeline<S> {
  const zero = () => Object.fromEntries(surfaces.map((s) => [s, 0])) as Record<S, number>
  const windowEnd = now + windowDays * DAY
  const bins: Array<Bin<S>> = [{ index: EXPIRED, start: now, total: 0, counts: zero(), inWindow: true }]
  for (let i = 0; i < WEEKS; i++) {
    const start = now + i * WEEK
    bins.push({ index: i, start, total: 0, counts: zero(), inWindow: start < windowEnd })
  }
  let later = 0
  let undated = 0
  for (const item of items) {
    const bin = binOf(item.expiresAt, now)
    if (bin === null) undated++
    else if (bin === LATER) later++
    else {
      const b = bins[bin + 1]!
      b.total++
      b.counts[item.surface] = (b.counts[item.surface] ?? 0) + 1
    }
  }
  return { bins, later, undated, max: bins.reduce((m, b) => Math.max(m, b.total), 0) }
}

/**
 * A "nice" top for the axis and its ticks: 1, 2 or 5 times a power of ten per step, at most `count` steps, the top a
 * whole number of steps at or above `max` (as d3-scale's nice() does, for counts: steps are whole numbers).
 */
export function niceTicks(max: number, count = 4): { top: number; ticks: number[] } {
  if (!(max > 0)) return { top: 1, ticks: [0, 1] }
  const raw = max / count
  const power = 10 ** Math.floor(Math.log10(raw))
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power)
  const top = Math.ceil(max / step) * step
  const ticks: number[] = []
  for (let t = 0; t <= top; t += step) ticks.push(t)
  return { top, ticks }
}

/** A linear map from [0, top] to [0, height] pixels. */
export const linear =
  (top: number, height: number) =>
  (value: number): number =>
    top > 0 ? (value / top) * height : 0

export interface Segment<S extends string> {
  surface: S
  count: number
  /** From the baseline, in pixels: the segment spans [y0, y1). */
  y0: number
  y1: number
}

/** A bin's stacked segments bottom-up in the surfaces' order, empty surfaces left out. */
export function stack<S extends string>(bin: Bin<S>, surfaces: readonly S[], scale: (v: number) => number): Array<Segment<S>> {
  const out: Array<Segment<S>> = []
  let below = 0
  for (const surface of surfaces) {
    const count = bin.counts[surface]
    if (!count) continue
    out.push({ surface, count, y0: scale(below), y1: scale(below + count) })
    below += count
  }
  return out
}

/** The week a bin covers in words: "Expired", "This week", "Week of 7 Dec". */
export function binLabel(bin: { index: number; start: number }, format: (ms: number) => string): string {
  if (bin.index === EXPIRED) return 'Expired'
  if (bin.index === 0) return 'This week'
  return `Week of ${format(bin.start)}`
}
