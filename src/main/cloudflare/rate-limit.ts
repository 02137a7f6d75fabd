/**
 * One rate limiter per profile (token), shared by every operation running on it, so a bulk job of
 * a thousand requests slows down instead of failing and a second job on the same token does not
 * double the rate.
 *
 * Two mechanisms:
 *  - proactive pacing: a sliding window of send times never lets more than the budget
 *    (Cloudflare: 1200 requests per 5 minutes per token) go out in any window;
 *  - reactive backoff: a 429 pauses *every* request on the token until Retry-After (or, without
 *    it, a jittered exponential backoff); 5xx and dropped connections on idempotent requests are
 *    repeated after a per-request jittered backoff.
 *
 * The SDK's own retries are switched off (client.ts): they are per request, know nothing of the
 * other requests on the token, and would repeat a non-idempotent create blindly.
 */

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
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }, Math.max(0, ms))
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

/** Cloudflare's documented global limit. */
export const CLOUDFLARE_BUDGET: RateBudget = { requests: 1200, windowMs: 300_000 }

export interface RateLimiterOptions {
  budget?: RateBudget
  /** Fraction of the budget this app may use (leave room for other tools on the same token). */
  share?: number
  /**
   * Added to the window: the server counts arrival times, we count send times, and arrivals of two
   * requests a window apart can be closer than a window when the first was slower on the wire.
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
  readonly budget: RateBudget
  private readonly capacity: number
  private readonly windowMs: number
  private readonly baseBackoffMs: number
  private readonly maxBackoffMs: number
  private readonly clock: Clock
  private readonly random: () => number
  /** Send times inside the current window, oldest first. */
  private sent: number[] = []
  private pausedUntil = 0
  /** Consecutive 429s without a success in between: drives the shared backoff. */
  private throttleStreak = 0
  private readonly counters: RateLimiterStats = { requests: 0, retries: 0, throttled: 0, transientFailures: 0, waitedMs: 0 }

  constructor(options: RateLimiterOptions = {}) {
    this.budget = options.budget ?? CLOUDFLARE_BUDGET
    const share = options.share ?? 1
    if (!(share > 0 && share <= 1)) throw new RangeError('share must be in (0, 1]')
    if (!(this.budget.requests >= 1 && this.budget.windowMs > 0)) throw new RangeError('budget must allow at least one request per window')
    this.capacity = Math.max(1, Math.floor(this.budget.requests * share))
    this.windowMs = this.budget.windowMs + (options.safetyMs ?? 250)
    this.baseBackoffMs = options.baseBackoffMs ?? 500
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000
    this.clock = options.clock ?? realClock
    this.random = options.random ?? Math.random
  }

  /** Wait for permission to send one request. Rejects only when `signal` aborts. */
  async acquire(signal?: AbortSignal): Promise<void> {
    const start = this.clock.now()
    for (;;) {
      if (signal?.aborted) throw abortReason(signal)
      const now = this.clock.now()
      if (this.pausedUntil > now) {
        await this.clock.sleep(this.pausedUntil - now, signal)
        continue
      }
      const horizon = now - this.windowMs
      let expired = 0
      while (expired < this.sent.length && this.sent[expired]! <= horizon) expired++
      if (expired) this.sent.splice(0, expired)
      if (this.sent.length >= this.capacity) {
        // The oldest send leaves the window first; everyone waiting re-checks then.
        await this.clock.sleep(this.sent[0]! - horizon, signal)
        continue
      }
      this.sent.push(now)
      this.counters.requests++
      this.counters.waitedMs += now - start
      return
    }
  }

  /**
   * A 429 arrived: pause every request on this token. Returns the pause in ms.
   * `retryAfterMs` is the server's Retry-After, or null when it sent none.
   */
  throttled(retryAfterMs: number | null): number {
    this.counters.throttled++
    this.throttleStreak++
    const delay = retryAfterMs ?? this.backoffDelay(this.throttleStreak)
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + delay)
    return delay
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

  /** Requests sent inside the current window (for progress displays and tests). */
  inWindow(): number {
    const horizon = this.clock.now() - this.windowMs
    return this.sent.filter((t) => t > horizon).length
  }

  stats(): RateLimiterStats {
    return { ...this.counters }
  }

  /** Sleep on the limiter's clock (so tests with a fake clock control every wait). */
  wait(ms: number, signal?: AbortSignal): Promise<void> {
    return this.clock.sleep(ms, signal)
  }
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
      await limiter.acquire(outer)
      const attempt = new AbortController()
      const timer = setTimeout(() => attempt.abort(new AttemptTimeoutError(options.attemptTimeoutMs)), options.attemptTimeoutMs)
      const onOuterAbort = () => attempt.abort(outer?.reason)
      outer?.addEventListener('abort', onOuterAbort, { once: true })
      let response: Response
      try {
        response = await inner(input, { ...init, signal: attempt.signal })
      } catch (error) {
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
      if (response.status === 429) {
        const retryAfter = parseRetryAfter(response.headers)
        const pause = limiter.throttled(retryAfter)
        if (throttleWaited + pause > maxThrottleWait) return response
        throttleWaited += pause
        await response.body?.cancel().catch(() => undefined)
        limiter.retrying()
        continue
      }
      limiter.succeeded()
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
