/**
 * Runs `work` over `items` with at most `concurrency` in flight; stops taking new items once
 * `signal` aborts (items already started finish). Used for bulk Cloudflare jobs and for the
 * certutil processes a trust-store scan starts.
 */
export async function pool<T>(
  items: readonly T[],
  concurrency: number,
  signal: AbortSignal | undefined,
  work: (item: T, index: number) => Promise<void>,
): Promise<{ cancelled: boolean }> {
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
