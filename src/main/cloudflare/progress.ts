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

/** Wait between polls or retries; an abort while waiting becomes a plain "cancelled" AppError. */
export async function pause(
  wait: (ms: number, signal?: AbortSignal) => Promise<void>,
  ms: number,
  signal: AbortSignal | undefined,
  what: string,
): Promise<void> {
  try {
    await wait(ms, signal)
  } catch (error) {
    if (signal?.aborted) throw new AppError('cancelled', `${what} was cancelled.`, { cause: error })
    throw error
  }
}
