import { describe, expect, test } from 'vitest'
import {
  AttemptTimeoutError,
  limitedFetch,
  parseRatelimit,
  parseRatelimitPolicy,
  parseRetryAfter,
  RateLimiter,
  rateWaitMessage,
  takeSlot,
  withRateWaitListener,
  type Clock,
  type RateLedger,
} from '../../../src/main/cloudflare/rate-limit'

/** A clock that only moves when told; sleeps resolve in time order as it advances. */
class FakeClock implements Clock {
  t = 0
  private timers: Array<{ at: number; resolve: () => void; reject: (e: unknown) => void }> = []
  now = () => this.t
  sleep = (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason)
      const timer = { at: this.t + Math.max(0, ms), resolve, reject }
      this.timers.push(timer)
      signal?.addEventListener('abort', () => {
        this.timers = this.timers.filter((x) => x !== timer)
        reject(signal.reason)
      })
    })
  async flush(): Promise<void> {
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r))
  }
  async advance(ms: number): Promise<void> {
    const end = this.t + ms
    await this.flush()
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at)
      const next = this.timers[0]
      if (!next || next.at > end) break
      this.timers.shift()
      this.t = next.at
      next.resolve()
      await this.flush()
    }
    this.t = end
    await this.flush()
  }
}

describe('RateLimiter pacing', () => {
  test('lets the budget through per window and paces the rest', async () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter({ budget: { requests: 10, windowMs: 1000 }, share: 1, safetyMs: 0, clock })
    const times: number[] = []
    const all = Promise.all(Array.from({ length: 25 }, () => limiter.acquire().then(() => times.push(clock.now()))))
    await clock.advance(5000)
    await all
    expect(times.filter((t) => t === 0)).toHaveLength(10)
    expect(times.filter((t) => t === 1000)).toHaveLength(10)
    expect(times.filter((t) => t === 2000)).toHaveLength(5)
    expect(limiter.stats().requests).toBe(25)
  })

  test('never exceeds the budget in any sliding window (staggered arrivals)', async () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter({ budget: { requests: 7, windowMs: 500 }, share: 1, safetyMs: 20, clock })
    const times: number[] = []
    const jobs: Promise<unknown>[] = []
    for (let i = 0; i < 60; i++) {
      jobs.push(limiter.acquire().then(() => times.push(clock.now())))
      await clock.advance(13)
    }
    await clock.advance(10_000)
    await Promise.all(jobs)
    times.sort((a, b) => a - b)
    for (let i = 7; i < times.length; i++) expect(times[i]! - times[i - 7]!).toBeGreaterThanOrEqual(520)
    // And it is not idle: 60 requests at 7 per 520 ms need about 8 windows.
    expect(times.at(-1)!).toBeLessThan(9 * 520)
  })

  test('share keeps headroom below the budget', async () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter({ budget: { requests: 100, windowMs: 1000 }, share: 0.5, safetyMs: 0, clock })
    let passed = 0
    const all = Promise.all(Array.from({ length: 80 }, () => limiter.acquire().then(() => passed++)))
    await clock.advance(0)
    expect(passed).toBe(50)
    await clock.advance(1000)
    await all
    expect(passed).toBe(80)
  })

  test('a 429 with Retry-After pauses every waiting request until then', async () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter({ budget: { requests: 100, windowMs: 1000 }, clock })
    expect(await limiter.throttled(5000)).toBe(5000)
    const times: number[] = []
    const all = Promise.all([limiter.acquire(), limiter.acquire(), limiter.acquire()].map((p) => p.then(() => times.push(clock.now()))))
    await clock.advance(4999)
    expect(times).toHaveLength(0)
    await clock.advance(1)
    await all
    expect(times).toEqual([5000, 5000, 5000])
    expect(limiter.stats().throttled).toBe(1)
  })

  test('without Retry-After: jittered exponential backoff that resets after a success', async () => {
    let r = 0
    const limiter = new RateLimiter({ baseBackoffMs: 100, maxBackoffMs: 1000, random: () => r, clock: new FakeClock() })
    // Equal jitter: between half the step and the step.
    expect(await limiter.throttled(null)).toBe(50)
    r = 0.999999
    expect(await limiter.throttled(null)).toBe(200)
    r = 0.5
    expect(await limiter.throttled(null)).toBe(300)
    expect(limiter.backoffDelay(10)).toBe(750) // capped at maxBackoffMs
    limiter.succeeded()
    r = 0
    expect(await limiter.throttled(null)).toBe(50)
  })

  test('acquire rejects when the signal aborts while waiting', async () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter({ budget: { requests: 1, windowMs: 1000 }, share: 1, clock })
    await limiter.acquire()
    const controller = new AbortController()
    const waiting = limiter.acquire(controller.signal)
    controller.abort(new Error('stop'))
    await expect(waiting).rejects.toThrow('stop')
  })

  test('a cancel that arrives while the (file) ledger is deciding still wins: nothing is sent', async () => {
    let release!: () => void
    const slow: RateLedger = {
      take: () => new Promise<number>((resolve) => (release = () => resolve(0))),
      pauseUntil: async () => {},
      learn: async () => {},
      settle: async () => {},
      count: async () => 0,
    }
    const limiter = new RateLimiter({ ledger: slow })
    const controller = new AbortController()
    const pending = limiter.acquire(controller.signal)
    await new Promise((r) => setImmediate(r))
    controller.abort(new Error('cancelled by the user'))
    release()
    await expect(pending).rejects.toThrow('cancelled by the user')
    expect(limiter.stats().requests).toBe(0)
  })

  test('uses 80 % of the budget unless told otherwise', () => {
    expect(new RateLimiter().capacity).toBe(960)
    expect(new RateLimiter({ budget: { requests: 100, windowMs: 30_000 } }).capacity).toBe(80)
    let share = 0.5
    const limiter = new RateLimiter({ budget: { requests: 100, windowMs: 30_000 }, share: () => share })
    expect(limiter.capacity).toBe(50)
    share = 0.9
    expect(limiter.capacity).toBe(90)
  })

  test('rejects nonsense options', () => {
    expect(() => new RateLimiter({ share: 0 })).toThrow(RangeError)
    expect(() => new RateLimiter({ share: 1.5 })).toThrow(RangeError)
    expect(() => new RateLimiter({ budget: { requests: 0, windowMs: 10 } })).toThrow(RangeError)
  })
})

describe('parseRetryAfter', () => {
  test('seconds, milliseconds, HTTP dates, junk', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '3' }))).toBe(3000)
    expect(parseRetryAfter(new Headers({ 'retry-after': '1.5' }))).toBe(1500)
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250)
    const now = Date.parse('2026-01-01T00:00:00Z')
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:07 GMT' }), now)).toBe(7000)
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }))).toBeNull()
    expect(parseRetryAfter(new Headers())).toBeNull()
  })
})

/** A scripted upstream: each call takes the next step; records the methods it saw. */
function scripted(steps: Array<Response | Error | 'hang'>) {
  const seen: string[] = []
  const fetchFn = (async (_input: string | URL | Request, init?: RequestInit) => {
    seen.push(init?.method ?? 'GET')
    const step = steps.shift()
    if (!step) throw new Error('script exhausted')
    if (step === 'hang') {
      return new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)))
    }
    if (step instanceof Error) throw step
    return step
  }) as typeof fetch
  return { fetchFn, seen }
}

const json = (status: number, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ success: status < 400 }), { status, headers })

describe('limitedFetch', () => {
  test('429 with Retry-After: waits that long on the shared limiter, then repeats', async () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter({ clock })
    const { fetchFn, seen } = scripted([json(429, { 'retry-after': '2' }), json(200)])
    const f = limitedFetch(fetchFn, { limiter, attemptTimeoutMs: 10_000 })
    const pending = f('http://x/a', { method: 'POST' })
    await clock.advance(1999)
    expect(seen).toHaveLength(1)
    await clock.advance(1)
    expect((await pending).status).toBe(200)
    expect(seen).toEqual(['POST', 'POST']) // a 429 is safe to repeat even for a create
    expect(limiter.stats()).toMatchObject({ retries: 1, throttled: 1, requests: 2 })
  })

  test('5xx: idempotent requests are repeated with backoff, POST and PATCH are not', async () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter({ clock, random: () => 0 })
    const get = scripted([json(503), json(502), json(200)])
    const pending = limitedFetch(get.fetchFn, { limiter, attemptTimeoutMs: 10_000 })('http://x', { method: 'GET' })
    await clock.advance(10_000)
    expect((await pending).status).toBe(200)
    expect(get.seen).toHaveLength(3)

    const post = scripted([json(500)])
    expect((await limitedFetch(post.fetchFn, { limiter, attemptTimeoutMs: 10_000 })('http://x', { method: 'POST' })).status).toBe(500)
    const patch = scripted([json(503)])
    expect((await limitedFetch(patch.fetchFn, { limiter, attemptTimeoutMs: 10_000 })('http://x', { method: 'PATCH' })).status).toBe(503)
    expect(post.seen).toHaveLength(1)
    expect(patch.seen).toHaveLength(1)
  })

  test('gives up on 5xx after maxTransientRetries and returns the last answer', async () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter({ clock })
    const { fetchFn, seen } = scripted([json(500), json(500), json(500)])
    const pending = limitedFetch(fetchFn, { limiter, attemptTimeoutMs: 10_000, maxTransientRetries: 2 })('http://x', { method: 'DELETE' })
    await clock.advance(60_000)
    expect((await pending).status).toBe(500)
    expect(seen).toHaveLength(3)
  })

  test('dropped connection: GET repeated, POST surfaces the error', async () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter({ clock })
    const get = scripted([new TypeError('fetch failed'), json(200)])
    const pending = limitedFetch(get.fetchFn, { limiter, attemptTimeoutMs: 10_000 })('http://x')
    await clock.advance(10_000)
    expect((await pending).status).toBe(200)
    const post = scripted([new TypeError('fetch failed')])
    await expect(limitedFetch(post.fetchFn, { limiter, attemptTimeoutMs: 10_000 })('http://x', { method: 'POST' })).rejects.toThrow(
      'fetch failed',
    )
  })

  test('per-attempt timeout: a held POST fails with a timeout error, not repeated', async () => {
    const limiter = new RateLimiter()
    const { fetchFn, seen } = scripted(['hang'])
    const error = await limitedFetch(fetchFn, { limiter, attemptTimeoutMs: 50 })('http://x', { method: 'POST' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AttemptTimeoutError)
    expect((error as Error).message).toMatch(/timed out/)
    expect(seen).toHaveLength(1)
  })

  test('gives a persistent 429 back after maxThrottleWaitMs', async () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter({ clock })
    const { fetchFn } = scripted([
      json(429, { 'retry-after': '30' }),
      json(429, { 'retry-after': '30' }),
      json(429, { 'retry-after': '30' }),
    ])
    const pending = limitedFetch(fetchFn, { limiter, attemptTimeoutMs: 10_000, maxThrottleWaitMs: 45_000 })('http://x')
    await clock.advance(120_000)
    expect((await pending).status).toBe(429)
  })
})

describe('the server rate headers (IETF draft)', () => {
  test('parse Ratelimit and Ratelimit-Policy, ignore junk', () => {
    expect(parseRatelimitPolicy('"burst";q=1200;w=300')).toEqual({ requests: 1200, windowMs: 300_000 })
    expect(parseRatelimitPolicy('"x";q=0;w=5, "burst";q=100;w=30')).toEqual({ requests: 100, windowMs: 30_000 })
    expect(parseRatelimitPolicy('nonsense')).toBeNull()
    expect(parseRatelimitPolicy(null)).toBeNull()
    expect(parseRatelimit('"default";r=50;t=30')).toEqual({ remaining: 50, resetMs: 30_000 })
    expect(parseRatelimit('"default";r=5')).toBeNull()
  })

  test('a policy replaces the assumed budget; a count past our share pauses every request until it frees', async () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter({ budget: { requests: 1200, windowMs: 300_000 }, share: 0.8, safetyMs: 0, clock })
    await limiter.observe(new Headers({ 'ratelimit-policy': '"burst";q=10;w=2', ratelimit: '"default";r=5;t=2' }))
    expect(limiter.budget).toEqual({ requests: 10, windowMs: 2000 })
    expect(limiter.capacity).toBe(8)
    // Someone else (the dashboard, another token of the user) has used 8 of 10: our 80 % is gone.
    await limiter.observe(new Headers({ ratelimit: '"default";r=2;t=3' }))
    let sent = false
    const pending = limiter.acquire().then(() => (sent = true))
    await clock.advance(2999)
    expect(sent).toBe(false)
    await clock.advance(1)
    await pending
    expect(sent).toBe(true)
  })
})

describe('waiting is announced', () => {
  test('a wait of a second or more is told in whole seconds to onWaiting and to the job listener; pacing waits are not', async () => {
    const clock = new FakeClock()
    const heard: number[] = []
    const jobHeard: string[] = []
    const limiter = new RateLimiter({
      budget: { requests: 2, windowMs: 42_000 },
      share: 1,
      safetyMs: 0,
      clock,
      onWaiting: (s) => heard.push(s),
    })
    await limiter.acquire()
    await clock.advance(500)
    await limiter.acquire()
    const third = withRateWaitListener(
      (s) => jobHeard.push(rateWaitMessage(s)),
      () => limiter.acquire(),
    )
    await clock.advance(0)
    expect(heard).toEqual([42])
    expect(jobHeard).toEqual(["waiting for Cloudflare's rate limit, 42 s"])
    await clock.advance(42_000)
    await third
    // Outside the job's context nobody else hears it.
    expect(jobHeard).toHaveLength(1)

    const quick = new RateLimiter({ budget: { requests: 1, windowMs: 300 }, share: 1, safetyMs: 0, clock, onWaiting: (s) => heard.push(s) })
    await quick.acquire()
    const paced = quick.acquire()
    await clock.advance(300)
    await paced
    expect(heard).toEqual([42])
  })

  test('a 429 pause is announced once, not on every re-check', async () => {
    const clock = new FakeClock()
    const heard: number[] = []
    const limiter = new RateLimiter({ clock, onWaiting: (s) => heard.push(s) })
    await limiter.throttled(12_000)
    const all = Promise.all([limiter.acquire(), limiter.acquire(), limiter.acquire()])
    await clock.advance(12_000)
    await all
    expect(heard).toEqual([12])
  })
})

describe('takeSlot', () => {
  test('when the capacity shrinks below what is in the window, waits until enough sends have left', () => {
    const state = { sent: [0, 100, 200, 300], pausedUntil: 0, policy: null }
    // capacity 2 over a 1000 ms window at t=500: sends at 0,100,200 must leave -> wait until 200 leaves (1200).
    expect(takeSlot(state, 500, 2, 1000)).toBe(700)
    expect(takeSlot(state, 1201, 2, 1000)).toBe(0)
    expect(state.sent).toEqual([300, 1201])
  })
})
