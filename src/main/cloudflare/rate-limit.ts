/**
 * One rate budget per Cloudflare user, shared by every operation and — through a ledger file in the
 * user-data folder (rate-ledger.ts) — by the app and every CLI process, so a bulk job of a thousand
 * requests slows down instead of failing, and four scripts on one token do not quadruple the rate.
 *
 * Cloudflare counts 1200 requests per 5 minutes per user (dashboard and every token together) and
 * blocks *all* calls for 5 minutes once that is exceeded, so by default only 80 % of it is used.
 *
 * Three mechanisms:
 *  - proactive pacing: a sliding window of send times (in the ledger) never lets more than the
 *    share of the budget go out in any window;
 *  - the server's word: `Ratelimit-Policy` ("burst";q=1200;w=300) replaces the assumed budget and
 *    `Ratelimit` ("default";r=<left>;t=<s>) pauses everyone when the server counts more requests
 *    (other tools, the dashboard) than our share allows;
 *  - reactive backoff: a 429 pauses *every* request on the budget, in every process, until
 *    Retry-After (or, without it, a jittered exponential backoff); 5xx and dropped connections on
 *    idempotent requests are repeated after a per-request jittered backoff.
 *
 * A wait of a second or more is announced (`onWaiting`, and the listener of the calling job set
 * with withRateWaitListener) so the CLI and the app can say why nothing moves.
 *
 * The SDK's own retries are switched off (client.ts): they are per request, know nothing of the
 * other requests on the token, and would repeat a non-idempotent create blindly.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { DEFAULT_RATE_SHARE, MIN_RATE_SHARE } from '../../shared/constants'

export interface Clock {
  now(): number
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortReason(signal))
        return
      }
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        },
        Math.max(0, ms),
      )
      const onAbort = () => {
        clearTimeout(timer)
        reject(abortReason(signal!))
      }
      signal?.addEventListener('abort', onAbort, { once: true })
    }),
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError')
}

export interface RateBudget {
  requests: number
  windowMs: number
}

/** Cloudflare's documented global limit (per user). */
export const CLOUDFLARE_BUDGET: RateBudget = { requests: 1200, windowMs: 300_000 }

export { DEFAULT_RATE_SHARE, MIN_RATE_SHARE }

/** Waits shorter than this are ordinary pacing and are not announced. */
const ANNOUNCE_MIN_MS = 1000
/** A wait that is still going is announced again at most this often. */
const ANNOUNCE_EVERY_MS = 5000

/**
 * Where the send times and the shared pause of one budget live: in memory (this process) or in a
 * locked file in the user-data folder (every process of this user, rate-ledger.ts).
 */
export interface RateLedger {
  /**
   * Atomically: forget sends at or before `now - windowMs`; if no pause is in force and fewer than
   * `capacity` sends remain, record `now` and resolve 0; otherwise resolve the ms to wait.
   * `limits` turns the budget the server announced (to any process on this ledger, or null) into them.
   */
  take(now: number, limits: (policy: RateBudget | null) => SlotLimits): Promise<number>
  /** Hold every sender on this budget until `until` (ms since the epoch); a later pause wins. */
  pauseUntil(until: number): Promise<void>
  /** Remember the budget the server announced (Ratelimit-Policy), for every process on this ledger. */
  learn(policy: RateBudget): Promise<void>
  /**
   * The request sent at `sentAt` has its answer (or failed) at `answeredAt`: count it from then on.
   * The server counts arrivals, somewhere in between; the later bound keeps the window honest however
   * long the request took to leave a busy process or to cross the wire.
   */
  settle(sentAt: number, answeredAt: number): Promise<void>
  /** Sends recorded inside the window ending at `now`. */
  count(now: number, windowMs: number): Promise<number>
}

export interface SlotLimits {
  capacity: number
  windowMs: number
}

/** The ledger of a single process. */
export class MemoryRateLedger implements RateLedger, LedgerState {
  /** Send times inside the current window, oldest first. */
  sent: number[] = []
  pausedUntil = 0
  policy: RateBudget | null = null

  take(now: number, limits: (policy: RateBudget | null) => SlotLimits): Promise<number> {
    const { capacity, windowMs } = limits(this.policy)
    return Promise.resolve(takeSlot(this, now, capacity, windowMs))
  }

  pauseUntil(until: number): Promise<void> {
    this.pausedUntil = Math.max(this.pausedUntil, until)
    return Promise.resolve()
  }

  learn(policy: RateBudget): Promise<void> {
    this.policy = { ...policy }
    return Promise.resolve()
  }

  settle(sentAt: number, answeredAt: number): Promise<void> {
    settleSlot(this, sentAt, answeredAt)
    return Promise.resolve()
  }

  count(now: number, windowMs: number): Promise<number> {
    return Promise.resolve(this.sent.filter((t) => t > now - windowMs).length)
  }
}

/** The state a ledger keeps, and the one rule for taking a slot from it (shared by both ledgers). */
export interface LedgerState {
  sent: number[]
  pausedUntil: number
  /** The budget the server last announced, if any. */
  policy: RateBudget | null
}

/** Move one send recorded at `sentAt` to `answeredAt` (oldest first stays true). False when it is gone already. */
export function settleSlot(state: LedgerState, sentAt: number, answeredAt: number): boolean {
  const index = state.sent.indexOf(sentAt)
  if (index < 0 || answeredAt <= sentAt) return false
  state.sent.splice(index, 1)
  let at = state.sent.length
  while (at > 0 && state.sent[at - 1]! > answeredAt) at--
  state.sent.splice(at, 0, answeredAt)
  return true
}

export function takeSlot(state: LedgerState, now: number, capacity: number, windowMs: number): number {
  if (state.pausedUntil > now) return state.pausedUntil - now
  const horizon = now - windowMs
  let expired = 0
  while (expired < state.sent.length && state.sent[expired]! <= horizon) expired++
  if (expired) state.sent.splice(0, expired)
  // The oldest send leaves the window first; everyone waiting re-checks then.
  if (state.sent.length >= capacity) return Math.max(1, state.sent[state.sent.length - capacity]! - horizon)
  state.sent.push(now)
  return 0
}

/** Per call chain (a job), who hears that requests are waiting on the rate limit. */
const waitListeners = new AsyncLocalStorage<(seconds: number) => void>()

/** Run `work` so every rate-limit wait of a request it makes is announced to `listener` (whole seconds). */
export function withRateWaitListener<T>(listener: (seconds: number) => void, work: () => T): T {
  return waitListeners.run(listener, work)
}

/** The one wording of a rate-limit wait, for the CLI's stderr and the app's job progress. */
export function rateWaitMessage(seconds: number): string {
  return `waiting for Cloudflare's rate limit, ${seconds} s`
}

/** A `Ratelimit-Policy` item (IETF draft): `"burst";q=1200;w=300`. The first policy with q and w is used. */
export function parseRatelimitPolicy(value: string | null): RateBudget | null {
  for (const item of (value ?? '').split(',')) {
    const q = /;\s*q=(\d+)/.exec(item)?.[1]
    const w = /;\s*w=(\d+)/.exec(item)?.[1]
    if (q !== undefined && w !== undefined && Number(q) >= 1 && Number(w) >= 1) return { requests: Number(q), windowMs: Number(w) * 1000 }
  }
  return null
}

/** A `Ratelimit` item (IETF draft): `"default";r=50;t=30` — requests left, seconds until more are allowed. */
export function parseRatelimit(value: string | null): { remaining: number; resetMs: number } | null {
  for (const item of (value ?? '').split(',')) {
    const r = /;\s*r=(\d+)/.exec(item)?.[1]
    const t = /;\s*t=(\d+)/.exec(item)?.[1]
    if (r !== undefined && t !== undefined) return { remaining: Number(r), resetMs: Number(t) * 1000 }
  }
  return null
}

export interface RateLimiterOptions {
  budget?: RateBudget
  /**
   * Fraction of the budget this app may use (leave room for the dashboard and other tools of the
   * same user); DEFAULT_RATE_SHARE by default. A function is read before every request (settings).
   */
  share?: number | (() => number)
  /** Where send times are kept; a file ledger shares the budget with every process (rate-ledger.ts). */
  ledger?: RateLedger
  /** Told (in whole seconds) when a request starts waiting a second or more for the budget. */
  onWaiting?: (seconds: number) => void
  /**
   * Added to the window: the server counts arrival times, we count send times, and arrivals of two
   * requests a window apart can be closer than a window when the first was slower on the wire (or
   * its process was slow to put it there). 1 s by default: 0.3 % of Cloudflare's 5-minute window.
   */
  safetyMs?: number
  /** First backoff step without Retry-After; doubles per consecutive failure up to maxBackoffMs. */
  baseBackoffMs?: number
  maxBackoffMs?: number
  clock?: Clock
  /** [0,1) source for jitter; injectable for tests. */
  random?: () => number
}

export interface RateLimiterStats {
  /** Requests let through (first attempts and repeats). */
  requests: number
  /** Repeats of a request after 429, 5xx or a dropped connection. */
  retries: number
  /** 429 answers seen. */
  throttled: number
  /** 5xx answers and connection failures seen. */
  transientFailures: number
  /** Total time requests spent waiting in acquire(), summed over requests. */
  waitedMs: number
}

export class RateLimiter {
  private assumed: RateBudget
  private readonly share: () => number
  private readonly safetyMs: number
  private readonly baseBackoffMs: number
  private readonly maxBackoffMs: number
  private readonly clock: Clock
  private readonly random: () => number
  private readonly ledger: RateLedger
  private readonly onWaiting: ((seconds: number) => void) | undefined
  /** Consecutive 429s without a success in between: drives the shared backoff. */
  private throttleStreak = 0
  private announced = { at: -Infinity, until: -Infinity }
  private readonly counters: RateLimiterStats = { requests: 0, retries: 0, throttled: 0, transientFailures: 0, waitedMs: 0 }

  constructor(options: RateLimiterOptions = {}) {
    this.assumed = options.budget ?? CLOUDFLARE_BUDGET
    const share = options.share ?? DEFAULT_RATE_SHARE
    this.share = typeof share === 'function' ? share : () => share
    checkShare(this.share())
    if (!(this.assumed.requests >= 1 && this.assumed.windowMs > 0))
      throw new RangeError('budget must allow at least one request per window')
    this.safetyMs = options.safetyMs ?? 1000
    this.baseBackoffMs = options.baseBackoffMs ?? 500
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000
    this.clock = options.clock ?? realClock
    this.random = options.random ?? Math.random
    this.ledger = options.ledger ?? new MemoryRateLedger()
    this.onWaiting = options.onWaiting
  }

  /** The budget in force: the assumed one until the server's Ratelimit-Policy says otherwise. */
  get budget(): RateBudget {
    return { ...this.assumed }
  }

  /** Requests this client lets out per window: the share of the budget, at least one. */
  get capacity(): number {
    const share = this.share()
    return Math.max(1, Math.floor(this.assumed.requests * (share > 0 && share <= 1 ? share : DEFAULT_RATE_SHARE)))
  }

  private get windowMs(): number {
    return this.assumed.windowMs + this.safetyMs
  }

  /**
   * Wait for permission to send one request; resolves to its send time, for settle(). Rejects only
   * when `signal` aborts.
   */
  async acquire(signal?: AbortSignal): Promise<number> {
    const start = this.clock.now()
    for (;;) {
      if (signal?.aborted) throw abortReason(signal)
      const now = this.clock.now()
      const wait = await this.ledger.take(now, (policy) => {
        // Another process may have heard the server's budget first.
        if (policy) this.assumed = policy
        return { capacity: this.capacity, windowMs: this.windowMs }
      })
      // The ledger is asynchronous: a cancel may have come in meanwhile, and must still win.
      if (signal?.aborted) throw abortReason(signal)
      if (wait <= 0) {
        this.counters.requests++
        this.counters.waitedMs += now - start
        return now
      }
      this.announce(now, wait)
      await this.clock.sleep(wait, signal)
    }
  }

  /** Say a wait of a second or more, once when it starts and again every few seconds or when it grows. */
  private announce(now: number, waitMs: number): void {
    if (waitMs < ANNOUNCE_MIN_MS) return
    const until = now + waitMs
    if (now - this.announced.at < ANNOUNCE_EVERY_MS && until <= this.announced.until + ANNOUNCE_MIN_MS) return
    this.announced = { at: now, until }
    const seconds = Math.ceil(waitMs / 1000)
    this.onWaiting?.(seconds)
    waitListeners.getStore()?.(seconds)
  }

  /**
   * A 429 arrived: pause every request on this budget, in every process. Resolves to the pause in
   * ms. `retryAfterMs` is the server's Retry-After, or null when it sent none.
   */
  async throttled(retryAfterMs: number | null): Promise<number> {
    this.counters.throttled++
    this.throttleStreak++
    const delay = retryAfterMs ?? this.backoffDelay(this.throttleStreak)
    await this.ledger.pauseUntil(this.clock.now() + delay)
    return delay
  }

  /**
   * Read the server's rate headers from any answer: a policy replaces the assumed budget; a count
   * showing our share used up (by us or by anyone else on this user) pauses everyone until it frees.
   */
  async observe(headers: Headers): Promise<void> {
    const policy = parseRatelimitPolicy(headers.get('ratelimit-policy'))
    if (policy && (policy.requests !== this.assumed.requests || policy.windowMs !== this.assumed.windowMs)) {
      this.assumed = policy
      await this.ledger.learn(policy)
    }
    const state = parseRatelimit(headers.get('ratelimit'))
    if (state && this.assumed.requests - state.remaining >= this.capacity && state.resetMs > 0) {
      await this.ledger.pauseUntil(this.clock.now() + state.resetMs)
    }
  }

  /** The request sent at `sentAt` (acquire's answer) is over: the window counts it from now. */
  settle(sentAt: number): Promise<void> {
    return this.ledger.settle(sentAt, this.clock.now())
  }

  /** A 5xx or dropped connection: count it; the caller waits backoffDelay(attempt) itself. */
  transientFailure(): void {
    this.counters.transientFailures++
  }

  /** A request is about to be repeated. */
  retrying(): void {
    this.counters.retries++
  }

  /** Any answer that was not a 429: the shared backoff starts over. */
  succeeded(): void {
    this.throttleStreak = 0
  }

  /**
   * Jittered exponential backoff ("equal jitter"): half the step fixed, half random, so a crowd of
   * waiting requests spreads out instead of retrying in lockstep. `attempt` counts from 1.
   */
  backoffDelay(attempt: number): number {
    const step = Math.min(this.maxBackoffMs, this.baseBackoffMs * 2 ** Math.max(0, attempt - 1))
    return Math.round(step / 2 + (step / 2) * this.random())
  }

  /** Requests sent inside the current window, by every process sharing the ledger (for displays and tests). */
  inWindow(): Promise<number> {
    return this.ledger.count(this.clock.now(), this.windowMs)
  }

  stats(): RateLimiterStats {
    return { ...this.counters }
  }

  /** Sleep on the limiter's clock (so tests with a fake clock control every wait). */
  wait(ms: number, signal?: AbortSignal): Promise<void> {
    return this.clock.sleep(ms, signal)
  }
}

/** A share must be a fraction of the budget: more than MIN_RATE_SHARE, at most all of it. */
export function checkShare(share: number): void {
  if (!(share >= MIN_RATE_SHARE && share <= 1)) throw new RangeError(`share must be from ${MIN_RATE_SHARE} to 1, got ${share}`)
}

/** Retry-After in ms from `retry-after-ms`, `retry-after` seconds or an HTTP date; null if absent or unreadable. */
export function parseRetryAfter(headers: Headers, now = Date.now()): number | null {
  const ms = headers.get('retry-after-ms')
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms))
  const value = headers.get('retry-after')
  if (value === null || value.trim() === '') return null
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.max(0, Number(value) * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? null : Math.max(0, date - now)
}

export interface LimitedFetchOptions {
  limiter: RateLimiter
  /** Per attempt; a request held longer than this is abandoned (and its outcome is unknown). */
  attemptTimeoutMs: number
  /** Repeats of an idempotent request after 5xx or a dropped connection. */
  maxTransientRetries?: number
  /** Total time one request may spend waiting out 429s before its 429 is returned to the caller. */
  maxThrottleWaitMs?: number
}

/** Thrown when one attempt exceeds attemptTimeoutMs. The message says "timed out" so the SDK classifies it as a timeout. */
export class AttemptTimeoutError extends Error {
  override name = 'AttemptTimeoutError'
  constructor(readonly timeoutMs: number) {
    super(`Request timed out after ${Math.round(timeoutMs / 100) / 10}s without an answer`)
  }
}

/**
 * Methods whose repeat cannot do anything twice. POST (create, activate) and PATCH (reactivate)
 * are left alone after a 5xx or a lost connection: the server may have acted, and only the caller
 * knows how to check (client-certificates.ts looks the certificate up by its CSR).
 */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'])
const TRANSIENT_STATUS = new Set([500, 502, 503, 504])

/**
 * Wrap a fetch (global fetch, or Electron's net.fetch) so every request goes through the limiter.
 * A 429 is always safe to repeat: the server refused it without acting.
 */
export function limitedFetch(inner: typeof fetch, options: LimitedFetchOptions): typeof fetch {
  const { limiter } = options
  const maxTransient = options.maxTransientRetries ?? 4
  const maxThrottleWait = options.maxThrottleWaitMs ?? 10 * 60_000
  return async (input, init) => {
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase()
    const outer = init?.signal ?? undefined
    let transientAttempts = 0
    let throttleWaited = 0
    for (;;) {
      const sentAt = await limiter.acquire(outer)
      const attempt = new AbortController()
      const timer = setTimeout(() => attempt.abort(new AttemptTimeoutError(options.attemptTimeoutMs)), options.attemptTimeoutMs)
      const onOuterAbort = () => attempt.abort(outer?.reason)
      outer?.addEventListener('abort', onOuterAbort, { once: true })
      let response: Response
      try {
        response = await inner(input, { ...init, signal: attempt.signal })
      } catch (error) {
        await limiter.settle(sentAt)
        if (outer?.aborted) throw error
        const timedOut = attempt.signal.reason instanceof AttemptTimeoutError
        limiter.transientFailure()
        // A lost answer to a non-idempotent request: the caller must find out what happened.
        if (!IDEMPOTENT.has(method) || transientAttempts >= maxTransient) {
          throw timedOut ? attempt.signal.reason : error
        }
        transientAttempts++
        limiter.retrying()
        await limiter.wait(limiter.backoffDelay(transientAttempts), outer)
        continue
      } finally {
        clearTimeout(timer)
        outer?.removeEventListener('abort', onOuterAbort)
      }
      await limiter.settle(sentAt)
      if (response.status === 429) {
        const retryAfter = parseRetryAfter(response.headers)
        const pause = await limiter.throttled(retryAfter)
        if (throttleWaited + pause > maxThrottleWait) return response
        throttleWaited += pause
        await response.body?.cancel().catch(() => undefined)
        limiter.retrying()
        continue
      }
      limiter.succeeded()
      await limiter.observe(response.headers)
      if (TRANSIENT_STATUS.has(response.status)) {
        limiter.transientFailure()
        if (IDEMPOTENT.has(method) && transientAttempts < maxTransient) {
          transientAttempts++
          await response.body?.cancel().catch(() => undefined)
          limiter.retrying()
          const retryAfter = parseRetryAfter(response.headers)
          await limiter.wait(retryAfter ?? limiter.backoffDelay(transientAttempts), outer)
          continue
        }
      }
      return response
    }
  }
}
