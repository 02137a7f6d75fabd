/**
 * Cloudflare's global rate limit as the Sandbox plays it (Cloudflare docs: Rate limits):
 *  - a sliding window per *user*: every token of the user (and the dashboard) counts together;
 *  - going over it blocks *every* call of that user for the block time (5 minutes on Cloudflare):
 *    each answers 429 with Retry-After (seconds to the end of the block, rounded up);
 *  - every answer carries the IETF draft headers `Ratelimit-Policy: "burst";q=<quota>;w=<window s>`
 *    and `Ratelimit: "default";r=<remaining>;t=<seconds until a request is allowed again>`.
 * The budget comes from the fault spec (`budget=1200/300s@block=300s`, the real one by default) so
 * tests shrink it; `budget=off` turns it off. Requests refused during a block are not counted.
 */
import type { RateBudgetSpec } from './faults'

/** Cloudflare: "all API calls for the next five minutes will be blocked". */
export const DEFAULT_BLOCK_MS = 300_000

export interface RateVerdict {
  allowed: boolean
  /** Set when refused: seconds until the user may call again. */
  retryAfterSeconds: number | null
  /** Ratelimit and Ratelimit-Policy, for every answer. */
  headers: Record<string, string>
}

export interface SandboxRateStats {
  /** Requests refused because the window was full or the user blocked. */
  refused: number
  /** Blocks started (the window overflowed). */
  blocks: number
}

export class SandboxRateLimit {
  /** Per user: arrival times of counted requests inside the window, oldest first. */
  private readonly windows = new Map<string, number[]>()
  private readonly blockedUntil = new Map<string, number>()
  private counters: SandboxRateStats = { refused: 0, blocks: 0 }

  constructor(private readonly now: () => number) {}

  /** Forget every window and block (the budget changed). Stats are kept. */
  reset(): void {
    this.windows.clear()
    this.blockedUntil.clear()
  }

  stats(): SandboxRateStats {
    return { ...this.counters }
  }

  /** Count one request of `user` against `budget` (null: no limit). */
  check(user: string, budget: RateBudgetSpec | null): RateVerdict {
    if (!budget) return { allowed: true, retryAfterSeconds: null, headers: {} }
    const now = this.now()
    const policy = `"burst";q=${budget.requests};w=${Math.max(1, Math.round(budget.windowMs / 1000))}`
    const refuse = (until: number): RateVerdict => {
      this.counters.refused++
      const seconds = Math.max(1, Math.ceil((until - now) / 1000))
      return {
        allowed: false,
        retryAfterSeconds: seconds,
        headers: { ratelimit: `"default";r=0;t=${seconds}`, 'ratelimit-policy': policy },
      }
    }
    const blocked = this.blockedUntil.get(user) ?? 0
    if (blocked > now) return refuse(blocked)
    const times = (this.windows.get(user) ?? []).filter((t) => t > now - budget.windowMs)
    this.windows.set(user, times)
    if (times.length >= budget.requests) {
      // Over the limit: everything this user sends is refused until the block ends.
      const until = now + (budget.blockMs ?? DEFAULT_BLOCK_MS)
      this.blockedUntil.set(user, until)
      this.counters.blocks++
      return refuse(until)
    }
    times.push(now)
    const remaining = budget.requests - times.length
    // Seconds until the oldest counted request leaves the window and frees a place.
    const reset = Math.max(1, Math.ceil((times[0]! + budget.windowMs - now) / 1000))
    return {
      allowed: true,
      retryAfterSeconds: null,
      headers: { ratelimit: `"default";r=${remaining};t=${reset}`, 'ratelimit-policy': policy },
    }
  }
}
