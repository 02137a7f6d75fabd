/**
 * The expiry radar's engine: plans the sources (every profile's zones and accounts, the vault, this machine's roots),
 * refreshes the stale ones (a few at a time, within the token's shared rate budget, cancellable), keeps each listing
 * cached, builds the index from the cache and answers the summary, pages of items and the sidebar's count.
 * A source that fails (a revoked token, 429, a timeout) keeps its last listing and shows the error: the radar is
 * never emptied by a failure.
 */
import { AppError } from '../../shared/errors'
import type { ExpiryCount, ExpiryFilter, ExpiryPage, ExpirySource, ExpirySummary } from '../../shared/expiry-model'
import type { ErrorMessage, Profile } from '../../shared/model'
import type { CloudflareService, LongOperation } from '../cloudflare'
import { pool } from '../concurrency'
import type { KeyVault } from '../secrets/vault'
import type { Notice } from '../services'
import type { TrustService } from '../truststore'
import { ListingCache } from './cache'
import { trustSource, vaultSources } from './local'
import { ExpiryNotifier } from './notifier'
import { countRequests } from './requests'
import { buildIndex, dueRows, query, summarize, type Clocking, type RadarIndex } from './radar'
import { cloudflareSources, type Source } from './sources'

/** A listing older than this is refreshed by the next refresh (default 6 hours). */
export const DEFAULT_MAX_AGE_MS = 6 * 3600_000
/** Sources fetched at once; the token's rate limiter paces their requests. */
export const DEFAULT_CONCURRENCY = 4
/** The longest a listing may take, waits for the rate limit included (a zone of 10,000 client certificates: 200 pages). */
export const DEFAULT_SOURCE_TIMEOUT_MS = 15 * 60_000
/** How often the app looks for items entering the window (default hourly). */
export const DEFAULT_CHECK_MS = 3600_000

export interface ExpiryServiceOptions {
  userDataDir: string
  cloudflare: CloudflareService
  profiles: () => Profile[]
  vault?: KeyVault
  trust?: () => TrustService
  windowDays: () => number
  now?: () => number
  notify?: (notice: Notice) => void
  maxAgeMs?: number
  concurrency?: number
  sourceTimeoutMs?: number
}

function errorMessage(error: unknown): ErrorMessage {
  if (error instanceof AppError) return { message: error.message, ...(error.hint ? { hint: error.hint } : {}) }
  return { message: 'The listing could not be read (see the app log).' }
}

export class ExpiryService {
  private readonly cache: ListingCache
  private readonly notifier: ExpiryNotifier
  private readonly refreshing = new Set<string>()
  private built: { index: RadarIndex; version: number } | undefined
  private building: Promise<RadarIndex> | undefined
  private version = 0
  private timer: NodeJS.Timeout | undefined
  readonly now: () => number

  constructor(private readonly options: ExpiryServiceOptions) {
    this.cache = new ListingCache(options.userDataDir)
    this.notifier = new ExpiryNotifier(options.userDataDir, options.notify)
    this.now = options.now ?? Date.now
  }

  /** Every source the radar reads, in a stable order. */
  sources(): Source[] {
    const { cloudflare, vault, trust } = this.options
    return [
      ...this.options.profiles().flatMap((p) => cloudflareSources(cloudflare, p)),
      ...(vault ? vaultSources(vault) : []),
      ...(trust ? [trustSource(trust)] : []),
    ]
  }

  private clocking(): Clocking {
    return { now: this.now(), windowDays: this.options.windowDays() }
  }

  private stale(source: Source): boolean {
    const cached = this.cache.get(source.key)
    return !cached?.fetchedAt || Boolean(cached.error) || this.now() - cached.fetchedAt > (this.options.maxAgeMs ?? DEFAULT_MAX_AGE_MS)
  }

  /** The index over the cached listings of today's sources, rebuilt (in chunks) after a listing changed. */
  async index(): Promise<RadarIndex> {
    await this.cache.load()
    const version = this.version
    if (this.built?.version === version) return this.built.index
    if (!this.building) {
      const listings = this.sources().map((s) => ({
        key: s.key,
        surface: s.surface,
        where: s.where,
        entries: this.cache.get(s.key)?.entries ?? [],
      }))
      this.building = buildIndex(listings).finally(() => (this.building = undefined))
      this.built = { index: await this.building, version }
      return this.built.index
    }
    await this.building
    return this.index()
  }

  async summary(): Promise<ExpirySummary> {
    const index = await this.index()
    const c = this.clocking()
    const counts = await summarize(index, c)
    return {
      now: new Date(c.now).toISOString(),
      windowDays: c.windowDays,
      ...counts,
      sources: this.sources().map((s) => this.describe(s)),
      refreshing: this.refreshing.size > 0,
    }
  }

  private describe(source: Source): ExpirySource {
    const cached = this.cache.get(source.key)
    return {
      key: source.key,
      surface: source.surface,
      label: source.label,
      ...(source.profileId ? { profileId: source.profileId } : {}),
      ...(cached?.fetchedAt ? { fetchedAt: new Date(cached.fetchedAt).toISOString() } : {}),
      stale: this.stale(source),
      refreshing: this.refreshing.has(source.key),
      ...(cached?.error ? { error: cached.error } : {}),
      requests: cached?.requests ?? 0,
      items: cached?.entries.length ?? 0,
    }
  }

  async items(filter: ExpiryFilter & { offset: number; limit: number }): Promise<ExpiryPage> {
    return query(await this.index(), filter, this.clocking())
  }

  async count(): Promise<ExpiryCount> {
    const index = await this.index()
    const c = this.clocking()
    const [, end] = dueRows(index, c)
    let expired = 0
    while (expired < end && index.time[expired]! <= c.now) expired++
    return { expired, expiring: end - expired }
  }

  /**
   * Fetch the stale sources (every source with `force`), at most `concurrency` at a time. A source that fails keeps
   * its listing and records the error; cancelling stops taking new sources (the finished ones are kept).
   */
  async refresh(options: { force?: boolean } = {}, operation: LongOperation = {}): Promise<ExpirySummary> {
    await this.cache.load()
    const due = this.sources().filter((s) => (options.force || this.stale(s)) && !this.refreshing.has(s.key))
    let done = 0
    operation.onProgress?.({ done, total: due.length, message: `${due.length} listings to read` })
    const { cancelled } = await pool(due, this.options.concurrency ?? DEFAULT_CONCURRENCY, operation.signal, async (source) => {
      this.refreshing.add(source.key)
      const before = this.cache.get(source.key)
      // A listing that waits too long (a token paused by a 429, an unanswered request) gives up, keeping the last one.
      const timeout = AbortSignal.timeout(this.options.sourceTimeoutMs ?? DEFAULT_SOURCE_TIMEOUT_MS)
      const signal = operation.signal ? AbortSignal.any([operation.signal, timeout]) : timeout
      const tally = { requests: 0 }
      try {
        const entries = await countRequests(tally, () => source.fetch(signal))
        this.cache.put({ key: source.key, fetchedAt: this.now(), requests: tally.requests, entries })
      } catch (error) {
        // Cancelled by the user: the listing stays as it was.
        if (operation.signal?.aborted) return
        this.cache.put({
          key: source.key,
          requests: tally.requests,
          entries: before?.entries ?? [],
          error: timeout.aborted ? tooLong(this.options.sourceTimeoutMs ?? DEFAULT_SOURCE_TIMEOUT_MS) : errorMessage(error),
          ...fetched(before),
        })
      } finally {
        this.refreshing.delete(source.key)
        this.version++
        operation.onProgress?.({ done: ++done, total: due.length, message: source.label })
      }
    })
    if (cancelled || operation.signal?.aborted)
      throw new AppError('cancelled', 'The expiry refresh was cancelled; the listings read so far are kept.')
    await this.checkNotifications()
    return this.summary()
  }

  /** Tell the user about items that entered the window or expired (at most once per item per day). */
  async checkNotifications(): Promise<Notice[]> {
    return this.notifier.check(await this.index(), this.clocking())
  }

  /**
   * The app, at start-up: tell what the cached listings already say, then refresh the stale listings (which tells what
   * changed), now and every `intervalMs`; a check never overlaps the last one, and the timer never keeps the process up.
   */
  start(intervalMs = DEFAULT_CHECK_MS, onError: (error: unknown) => void = () => {}): void {
    this.stop()
    let running: Promise<unknown> | undefined
    const check = () => {
      running ??= this.checkNotifications()
        .then(() => this.refresh())
        .catch(onError)
        .finally(() => (running = undefined))
    }
    check()
    this.timer = setInterval(check, intervalMs)
    this.timer.unref()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
  }
}

const tooLong = (ms: number): ErrorMessage => ({
  message: `Reading this listing took longer than ${Math.round(ms / 1000)} s (waiting for Cloudflare's rate limit or an answer).`,
  hint: 'The last listing is shown; refresh again later.',
})

const fetched = (before: { fetchedAt?: number } | undefined) => (before?.fetchedAt ? { fetchedAt: before.fetchedAt } : {})
