/**
 * The radar's index over every cached listing: one row per certificate, sorted by expiry, held in typed arrays so
 * 200,000 rows build, count and page without a long task: building (and sorting: runs of a few thousand rows, then
 * merged) yields to the event loop every few thousand rows.
 * States and the chart's bars are ranges of the sorted rows (found by binary search); items are made only for the
 * page asked for.
 */
import { setImmediate as yieldTick } from 'node:timers/promises'
import {
  EXPIRY_SURFACES,
  SURFACE_FACTS,
  TIMELINE_WEEKS,
  WEEK_MS,
  type ExpiryFilter,
  type ExpiryItem,
  type ExpiryPage,
  type ExpiryState,
  type ExpirySummary,
  type ExpirySurface,
  type ExpiryWeek,
  type ExpiryWhere,
  type SurfaceCounts,
} from '../../shared/expiry-model'

const DAY_MS = 86_400_000
/** Rows between two yields to the event loop while building or counting. */
export const CHUNK_ROWS = 5000
/** Row numbers take the low 22 bits of a sort key (4 million rows); the expiry minute the bits above. */
const ROW_BITS = 2 ** 22
const MAX_MINUTE = 2 ** 30

/** One certificate of a listing, as cached. */
export interface Entry {
  id: string
  name: string
  /** ISO 8601. */
  notAfter: string
  hostnames?: string[]
}

/** One listing: where its certificates live (shared by all of them) and the certificates. */
export interface Listing {
  key: string
  surface: ExpirySurface
  where: ExpiryWhere
  entries: Entry[]
}

export interface RadarIndex {
  listings: Listing[]
  /** Sorted by expiry: the listing and entry of each row, its expiry (ms) and surface. */
  listing: Uint32Array
  entry: Uint32Array
  time: Float64Array
  surface: Uint8Array
  size: number
  /** Event-loop turns taken while building (each a chunk of CHUNK_ROWS rows at most). */
  chunks: number
}

const SURFACE_INDEX = new Map(EXPIRY_SURFACES.map((s, i) => [s, i]))

/** Builds the index in chunks; entries with an unreadable date are left out. */
export async function buildIndex(listings: Listing[], chunk = CHUNK_ROWS): Promise<RadarIndex> {
  let total = 0
  for (const l of listings) total += l.entries.length
  const keys = new Float64Array(total)
  const rowListing = new Uint32Array(total)
  const rowEntry = new Uint32Array(total)
  const rowTime = new Float64Array(total)
  let n = 0
  let chunks = 0
  let sinceYield = 0
  for (let li = 0; li < listings.length; li++) {
    const entries = listings[li]!.entries
    for (let ei = 0; ei < entries.length; ei++) {
      const t = Date.parse(entries[ei]!.notAfter)
      if (Number.isFinite(t)) {
        const minute = Math.min(MAX_MINUTE - 1, Math.max(0, Math.floor(t / 60_000)))
        keys[n] = minute * ROW_BITS + n
        rowListing[n] = li
        rowEntry[n] = ei
        rowTime[n] = t
        n++
      }
      if (++sinceYield >= chunk) {
        sinceYield = 0
        chunks++
        await yieldTick()
      }
    }
  }
  const pause = async () => {
    chunks++
    await yieldTick()
  }
  const sorted = await chunkedSort(keys.subarray(0, n), chunk, pause)
  const index: RadarIndex = {
    listings,
    listing: new Uint32Array(n),
    entry: new Uint32Array(n),
    time: new Float64Array(n),
    surface: new Uint8Array(n),
    size: n,
    chunks,
  }
  for (let i = 0; i < n; i++) {
    const row = sorted[i]! % ROW_BITS
    index.listing[i] = rowListing[row]!
    index.entry[i] = rowEntry[row]!
    index.time[i] = rowTime[row]!
    index.surface[i] = SURFACE_INDEX.get(listings[rowListing[row]!]!.surface)!
    if ((i + 1) % chunk === 0) await pause()
  }
  index.chunks = chunks
  return index
}

/**
 * Sorts numbers without a long task: runs of `chunk` sorted one at a time, then merged pairwise (bottom-up), pausing
 * every `chunk` merged values. (One sort of 200,000 doubles takes about 90 ms.)
 */
async function chunkedSort(keys: Float64Array, chunk: number, pause: () => Promise<void>): Promise<Float64Array> {
  const n = keys.length
  for (let start = 0; start < n; start += chunk) {
    keys.subarray(start, Math.min(n, start + chunk)).sort()
    await pause()
  }
  let from: Float64Array = keys
  let to: Float64Array = new Float64Array(n)
  let work = 0
  for (let width = chunk; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n)
      const hi = Math.min(lo + 2 * width, n)
      let i = lo
      let j = mid
      for (let k = lo; k < hi; k++) {
        to[k] = j >= hi || (i < mid && from[i]! <= from[j]!) ? from[i++]! : from[j++]!
        if (++work >= chunk) {
          work = 0
          await pause()
        }
      }
    }
    ;[from, to] = [to, from]
  }
  return from
}

/** The first row expiring at or after `t` (rows before it expire earlier). */
function lowerBound(index: RadarIndex, t: number): number {
  let lo = 0
  let hi = index.size
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (index.time[mid]! < t) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** The judgement's time marks: expired before `now`, expiring before `windowEnd`. */
export interface Clocking {
  now: number
  windowDays: number
}

export function stateOf(t: number, { now, windowDays }: Clocking): ExpiryState {
  return t <= now ? 'expired' : t <= now + windowDays * DAY_MS ? 'expiring' : 'ok'
}

/** Rows [start, end) of a state. */
function stateRange(index: RadarIndex, state: ExpiryState, c: Clocking): [number, number] {
  const expiredEnd = lowerBound(index, c.now + 1)
  const expiringEnd = lowerBound(index, c.now + c.windowDays * DAY_MS + 1)
  if (state === 'expired') return [0, expiredEnd]
  if (state === 'expiring') return [expiredEnd, expiringEnd]
  return [expiringEnd, index.size]
}

/** Rows [start, end) of a bar of the chart. */
function bucketRange(index: RadarIndex, bucket: NonNullable<ExpiryFilter['bucket']>, c: Clocking): [number, number] {
  const expiredEnd = lowerBound(index, c.now + 1)
  if (bucket === 'expired') return [0, expiredEnd]
  const lastEnd = lowerBound(index, c.now + TIMELINE_WEEKS * WEEK_MS + 1)
  if (bucket === 'later') return [lastEnd, index.size]
  const start = bucket === 0 ? expiredEnd : lowerBound(index, c.now + bucket * WEEK_MS + 1)
  return [start, lowerBound(index, c.now + (bucket + 1) * WEEK_MS + 1)]
}

const add = (counts: SurfaceCounts, surface: ExpirySurface) => (counts[surface] = (counts[surface] ?? 0) + 1)

/** Counts per week, per surface and per state; walks the rows in chunks. */
export async function summarize(
  index: RadarIndex,
  c: Clocking,
): Promise<Omit<ExpirySummary, 'sources' | 'refreshing' | 'now' | 'windowDays'>> {
  const expired: SurfaceCounts = {}
  const later: SurfaceCounts = {}
  const weeks: ExpiryWeek[] = Array.from({ length: TIMELINE_WEEKS }, (_, i) => ({
    index: i,
    start: new Date(c.now + i * WEEK_MS).toISOString(),
    end: new Date(c.now + (i + 1) * WEEK_MS).toISOString(),
    total: 0,
    expiring: 0,
    bySurface: {},
  }))
  const perSurface = EXPIRY_SURFACES.map(() => ({ all: 0, expired: 0, expiring: 0 }))
  const totals = { all: index.size, expired: 0, expiring: 0, ok: 0 }
  const windowEnd = c.now + c.windowDays * DAY_MS
  for (let i = 0; i < index.size; i++) {
    const t = index.time[i]!
    const s = index.surface[i]!
    const surface = EXPIRY_SURFACES[s]!
    const counts = perSurface[s]!
    counts.all++
    if (t <= c.now) {
      totals.expired++
      counts.expired++
      add(expired, surface)
    } else {
      const inWindow = t <= windowEnd
      if (inWindow) {
        totals.expiring++
        counts.expiring++
      } else totals.ok++
      const week = Math.ceil((t - c.now) / WEEK_MS) - 1
      if (week >= TIMELINE_WEEKS) add(later, surface)
      else {
        const bar = weeks[week]!
        bar.total++
        if (inWindow) bar.expiring++
        add(bar.bySurface, surface)
      }
    }
    if ((i + 1) % (CHUNK_ROWS * 4) === 0) await yieldTick()
  }
  const surfaces = EXPIRY_SURFACES.map((surface, i) => ({ surface, label: SURFACE_FACTS[surface].label, ...perSurface[i]! })).filter(
    (s) => s.all > 0,
  )
  return { totals, surfaces, expired, weeks, later }
}

/** The item of row `i`, in full. */
export function itemAt(index: RadarIndex, i: number, c: Clocking): ExpiryItem {
  const listing = index.listings[index.listing[i]!]!
  const entry = listing.entries[index.entry[i]!]!
  const t = index.time[i]!
  const facts = SURFACE_FACTS[listing.surface]
  const where = entry.hostnames?.length ? { ...listing.where, hostnames: entry.hostnames } : listing.where
  return {
    key: `${listing.key}:${entry.id}`,
    surface: listing.surface,
    id: entry.id,
    name: entry.name,
    where,
    notAfter: new Date(t).toISOString(),
    state: stateOf(t, c),
    daysLeft: Math.floor((t - c.now) / DAY_MS),
    breaks: facts.breaks,
    renew: facts.renew,
    source: listing.key,
  }
}

/** One page of the rows matching the filter, soonest expiry first, with the count of all that match. */
export function query(index: RadarIndex, filter: ExpiryFilter & { offset: number; limit: number }, c: Clocking): ExpiryPage {
  let [lo, hi] = [0, index.size]
  const narrow = ([a, b]: [number, number]) => ([lo, hi] = [Math.max(lo, a), Math.min(hi, b)])
  if (filter.bucket !== undefined) narrow(bucketRange(index, filter.bucket, c))
  if (filter.state) narrow(stateRange(index, filter.state, c))
  const surface = filter.surface === undefined ? -1 : SURFACE_INDEX.get(filter.surface)!
  const text = filter.text?.trim().toLowerCase()
  const matches = (i: number): boolean => {
    if (surface >= 0 && index.surface[i] !== surface) return false
    const listing = index.listings[index.listing[i]!]!
    if (filter.profileId && listing.where.profileId !== filter.profileId) return false
    if (!text) return true
    const entry = listing.entries[index.entry[i]!]!
    return [entry.name, entry.id, listing.where.text].some((s) => s.toLowerCase().includes(text))
  }
  const items: ExpiryItem[] = []
  let total = 0
  for (let i = lo; i < hi; i++) {
    if (!matches(i)) continue
    if (total >= filter.offset && items.length < filter.limit) items.push(itemAt(index, i, c))
    total++
  }
  return { items, total, offset: filter.offset }
}

/** The rows expired or expiring (what the notifier and the sidebar count look at). */
export function dueRows(index: RadarIndex, c: Clocking): [number, number] {
  return [0, lowerBound(index, c.now + c.windowDays * DAY_MS + 1)]
}
