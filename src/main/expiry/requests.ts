/**
 * How many API requests a listing took, counted where they leave: a fetch wrapper (given to the Cloudflare service)
 * counts each attempt sent on the wire, retries included, for the listing whose work is running (AsyncLocalStorage
 * follows it through the SDK and the rate limiter's waits).
 */
import { AsyncLocalStorage } from 'node:async_hooks'

const current = new AsyncLocalStorage<{ requests: number }>()

/** Runs `work`, adding the requests its fetches send to `tally` (counted whether it succeeds or fails). */
export function countRequests<T>(tally: { requests: number }, work: () => Promise<T>): Promise<T> {
  return current.run(tally, work)
}

/** `inner` (default: the global fetch), counting each call for the listing it runs for. */
export function countingFetch(inner?: typeof fetch): typeof fetch {
  return (input, init) => {
    const tally = current.getStore()
    if (tally) tally.requests++
    return (inner ?? globalThis.fetch)(input, init)
  }
}
