/**
 * The Sandbox's clock: every date it makes or compares (issued and expiry dates, pending-state timers, the rate
 * budget's windows) reads it. It runs with real time from a chosen start (`sandbox serve --now`, the `now` option) and
 * tests move it (the test API's `/__sandbox/clock`, the handle's `clock`), so expiry and pending states are tested
 * deterministically. The edge's own TLS certificates stay on real time: clients check them against theirs.
 */
export class SandboxClock {
  private offset = 0

  constructor(
    private readonly base: () => number = Date.now,
    start?: number,
  ) {
    if (start !== undefined) this.set(start)
  }

  readonly now = (): number => this.base() + this.offset

  /** Jump to `ms` (epoch milliseconds); the clock runs on from there. */
  set(ms: number): void {
    this.offset = ms - this.base()
  }

  advance(ms: number): void {
    this.offset += ms
  }
}

/** The test API's body: `{"now": RFC 3339}` to jump, `{"advanceSeconds": n}` to move on (or back, negative). */
export function applyClockChange(clock: SandboxClock, body: unknown): void {
  const { now, advanceSeconds } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
  if (now === undefined && advanceSeconds === undefined)
    throw new Error('Send {"now": "2030-01-01T00:00:00Z"} or {"advanceSeconds": 86400}.')
  if (now !== undefined) {
    const ms = typeof now === 'string' ? Date.parse(now) : NaN
    if (!Number.isFinite(ms)) throw new Error(`"now" must be an RFC 3339 time such as 2030-01-01T00:00:00Z, not ${JSON.stringify(now)}.`)
    clock.set(ms)
  }
  if (advanceSeconds !== undefined) {
    if (typeof advanceSeconds !== 'number' || !Number.isFinite(advanceSeconds))
      throw new Error(`"advanceSeconds" must be a number of seconds, not ${JSON.stringify(advanceSeconds)}.`)
    clock.advance(advanceSeconds * 1000)
  }
}
