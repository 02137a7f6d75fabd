import { rateWaitMessage, withRateWaitListener, type LongOperation } from '../cloudflare'
import type { CallContext } from '../dispatch'
import type { JobRegistry } from '../jobs'

/**
 * Runs a long operation as a job when the renderer gave a job id (progress events, cancel), or
 * plainly when it did not. While a request of the job waits on Cloudflare's rate limit, the job's
 * progress says so ("waiting for Cloudflare's rate limit, 42 s") at its last count.
 */
export function withJob<T>(
  jobs: JobRegistry,
  context: CallContext,
  jobId: string | undefined,
  label: string,
  work: (operation: LongOperation) => Promise<T>,
): Promise<T> {
  if (!jobId) return work({})
  return jobs.run(
    jobId,
    label,
    (progress) => context.emit('progress', progress),
    (job) => {
      let last: { done: number; total: number | null } = { done: 0, total: null }
      const onProgress: LongOperation['onProgress'] = (p) => {
        last = { done: p.done, total: p.total }
        job.progress(p.done, p.total, p.message)
      }
      return withRateWaitListener(
        (seconds) => job.progress(last.done, last.total, rateWaitMessage(seconds), true),
        () => work({ signal: job.signal, onProgress }),
      )
    },
  )
}
