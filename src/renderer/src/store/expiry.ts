/**
 * The expiry radar: main's summary (timeline, per surface, per source) and the list a page at a time for one filter
 * (a bar of the chart, a surface, a state, text). The list is sparse: pages are asked for as the rows come into view,
 * so 200,000 items never cross to this window at once. Every filter change or refresh starts a new generation and an
 * answer for an older one is dropped. The sidebar's count comes from its own small channel.
 */
import type { ClientCertificateSummary } from '../../../shared/cloudflare-model'
import type { ExpiryCount, ExpiryFilter, ExpiryItem, ExpirySummary } from '../../../shared/expiry-model'
import type { Failure, Result } from '../../../shared/errors'
import type { SliceCreator } from '.'
import type { ZoneScope } from './scope'
import { attempt, toFailure } from '../api'

/** Rows per `expiry:items` call: a few screens of rows, far under the channel's 500. */
export const EXPIRY_PAGE = 200
/** Pages kept (the nearest to the last one read): scrolling through 200,000 rows does not keep them all. */
export const EXPIRY_PAGES_KEPT = 24

/** The pages to keep after `index` was read: at most `kept`, the nearest to it. */
export function keepNearest<T>(pages: Record<number, T>, index: number, kept = EXPIRY_PAGES_KEPT): Record<number, T> {
  const keys = Object.keys(pages).map(Number)
  if (keys.length <= kept) return pages
  const nearest = keys.sort((a, b) => Math.abs(a - index) - Math.abs(b - index)).slice(0, kept)
  return Object.fromEntries(nearest.map((k) => [k, pages[k]!]))
}

export interface ExpiryList {
  filter: ExpiryFilter
  /** Items matching the filter; null until the first page answered. */
  total: number | null
  /** Loaded pages by index (rows [index × EXPIRY_PAGE, …)). */
  pages: Record<number, ExpiryItem[]>
  generation: number
  error: Failure | null
}

export interface ExpirySlice {
  expirySummary: ExpirySummary | null
  expirySummaryError: Failure | null
  expiryList: ExpiryList
  /** The sidebar's badge; null until read. */
  expiryCount: ExpiryCount | null
  /** The job of the refresh in flight, if any. */
  expiryRefreshJob: string | null
  /** The summary and the first page of the list, from main's cache. */
  loadExpiry(): Promise<void>
  /** Refreshes the stale sources (every source with `force`); the summary, list and count are read again after. */
  refreshExpiry(force?: boolean): Promise<Result<ExpirySummary>>
  /** Lists with another filter (a bar, a surface, a state, text) from the first page. */
  filterExpiry(filter: ExpiryFilter): Promise<void>
  /** The same with a part of the filter changed (an undefined or empty part removed). */
  patchExpiryFilter(patch: Partial<ExpiryFilter>): Promise<void>
  /** Loads page `index` of the list unless it is loaded or on its way. */
  loadExpiryPage(index: number): Promise<void>
  loadExpiryCount(): Promise<void>
  /** The client certificate a row names, as Cloudflare has it now (to revoke it once its successor is in use). */
  readClientCert(zone: ZoneScope, id: string): Promise<Result<ClientCertificateSummary>>
}

const emptyList = (filter: ExpiryFilter = {}, generation = 0): ExpiryList => ({ filter, total: null, pages: {}, generation, error: null })

/** The row at `index` once its page is loaded. */
export const expiryRow = (list: ExpiryList, index: number): ExpiryItem | undefined =>
  list.pages[Math.floor(index / EXPIRY_PAGE)]?.[index % EXPIRY_PAGE]

export const createExpirySlice: SliceCreator<ExpirySlice> = (set, get, api) => {
  /** Pages asked for and not answered yet, as `generation:index`. */
  const inFlight = new Set<string>()
  const list = () => get().expiryList
  const putList = (change: Partial<ExpiryList>) => set({ expiryList: { ...list(), ...change } })

  const loadPage = async (index: number) => {
    const { generation, filter, pages } = list()
    const ticket = `${generation}:${index}`
    if (pages[index] || inFlight.has(ticket)) return
    inFlight.add(ticket)
    try {
      const page = await api.expiry.items({ ...filter, offset: index * EXPIRY_PAGE, limit: EXPIRY_PAGE })
      if (list().generation === generation)
        putList({ total: page.total, pages: keepNearest({ ...list().pages, [index]: page.items }, index), error: null })
    } catch (error) {
      if (list().generation === generation) putList({ error: toFailure(error) })
    } finally {
      inFlight.delete(ticket)
    }
  }
  /** A new generation for `filter` (rows dropped only when the filter changed: a refresh keeps them on screen). */
  const restart = (filter: ExpiryFilter) => {
    const current = list()
    const same = JSON.stringify(current.filter) === JSON.stringify(filter)
    set({ expiryList: same ? { ...current, generation: current.generation + 1, pages: {} } : emptyList(filter, current.generation + 1) })
    return loadPage(0)
  }
  const loadSummary = async () => {
    const result = await attempt(() => api.expiry.summary())
    if (result.ok) set({ expirySummary: result.value, expirySummaryError: null })
    else set({ expirySummaryError: result.error })
  }

  return {
    expirySummary: null,
    expirySummaryError: null,
    expiryList: emptyList(),
    expiryCount: null,
    expiryRefreshJob: null,
    loadExpiry: async () => {
      await Promise.all([loadSummary(), restart(list().filter)])
    },
    refreshExpiry: async (force = false) => {
      const jobId = get().startJob(force ? 'Refreshing every source' : 'Refreshing the stale sources')
      set({ expiryRefreshJob: jobId })
      // The summary says per source what is refreshing and what has finished: read while the refresh runs.
      const watch = setInterval(() => void loadSummary(), 1000)
      const result = await attempt(() => api.expiry.refresh({ force, jobId }))
      clearInterval(watch)
      get().endJob(jobId)
      set({ expiryRefreshJob: null })
      if (result.ok) set({ expirySummary: result.value, expirySummaryError: null })
      get().report(result)
      await Promise.all([restart(list().filter), get().loadExpiryCount()])
      return result
    },
    filterExpiry: (filter) => restart(filter),
    patchExpiryFilter: (patch) => {
      const next: ExpiryFilter = { ...list().filter, ...patch }
      for (const k of Object.keys(next) as Array<keyof ExpiryFilter>) if (next[k] === undefined || next[k] === '') delete next[k]
      return restart(next)
    },
    loadExpiryPage: loadPage,
    loadExpiryCount: async () => {
      const result = await attempt(() => api.expiry.count())
      if (result.ok) set({ expiryCount: result.value })
    },
    readClientCert: (zone, id) => attempt(() => api.clientCerts.get({ ...zone, id })),
  }
}
