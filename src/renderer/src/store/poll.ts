/**
 * Polling while something is pending (a revocation, a Gateway deployment): one place for the
 * schedule. The first refresh comes after `firstMs`, each next one waits twice as long up to
 * `maxMs`; it stops as soon as nothing is pending or the screen using it unmounts.
 */
import { useEffect, useRef } from 'react'

export const POLL_FIRST_MS = 2_000
export const POLL_MAX_MS = 30_000

/** The wait before the n-th refresh (n from 0): firstMs doubling, capped at maxMs. */
export function pollDelay(n: number, firstMs = POLL_FIRST_MS, maxMs = POLL_MAX_MS): number {
  return Math.min(maxMs, firstMs * 2 ** Math.min(n, 30))
}

/**
 * Calls `refresh` on the schedule until the returned stop is called; a refresh already running when it
 * stops schedules nothing more. A failed refresh shows its own error; the schedule carries on backing off.
 */
export function startPolling(refresh: () => Promise<unknown>, firstMs = POLL_FIRST_MS, maxMs = POLL_MAX_MS): () => void {
  let live = true
  let n = 0
  let timer: ReturnType<typeof setTimeout>
  const tick = async () => {
    await refresh().catch(() => undefined)
    if (live) timer = setTimeout(() => void tick(), pollDelay(++n, firstMs, maxMs))
  }
  timer = setTimeout(() => void tick(), pollDelay(n, firstMs, maxMs))
  return () => {
    live = false
    clearTimeout(timer)
  }
}

/** Polls while `pending`, with the newest `refresh`; stops when nothing is pending or the screen unmounts. */
export function usePollWhilePending(pending: boolean, refresh: () => Promise<unknown>, firstMs = POLL_FIRST_MS, maxMs = POLL_MAX_MS): void {
  const latest = useRef(refresh)
  useEffect(() => {
    latest.current = refresh
  }, [refresh])
  useEffect(() => {
    if (!pending) return
    return startPolling(() => latest.current(), firstMs, maxMs)
  }, [pending, firstMs, maxMs])
}
