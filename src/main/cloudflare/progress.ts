/**
 * What every long Cloudflare operation takes: a signal to cancel it and a progress callback.
 * A small bounded-concurrency pool for bulk jobs lives here too.
 */
import type { CloudflareProgress } from '../../shared/cloudflare-model'
import { AppError } from '../../shared/errors'

export interface LongOperation {
  signal?: AbortSignal | undefined
  onProgress?: ((progress: CloudflareProgress) => void) | undefined
}

export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new AppError('cancelled', `${what} was cancelled.`)
}

/**
 * Run `work` over `items` with at most `concurrency` in flight, in order of the list. Stops taking
 * new items once `signal` aborts (items already started finish). Returns whether it was cut short.
 */
export async function pool<T>(items: readonly T[], concurrency: number, signal: AbortSignal | undefined, work: (item: T, index: number) => Promise<void>): Promise<{ cancelled: boolean }> {
  let next = 0
  let cancelled = false
  const worker = async () => {
    for (;;) {
      if (next >= items.length) return
      if (signal?.aborted) {
        cancelled = true
        return
      }
      const index = next++
      await work(items[index]!, index)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker))
  return { cancelled }
}

/** Wait between polls or retries; an abort while waiting becomes a plain "cancelled" AppError. */
export async function pause(wait: (ms: number, signal?: AbortSignal) => Promise<void>, ms: number, signal: AbortSignal | undefined, what: string): Promise<void> {
  try {
    await wait(ms, signal)
  } catch (error) {
    if (signal?.aborted) throw new AppError('cancelled', `${what} was cancelled.`, { cause: error })
    throw error
  }
}
