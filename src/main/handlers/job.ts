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

/**
 * The handler of a channel whose request may carry a job id: `work` runs with the rest of the request, as a job
 * named `label` when the renderer gave an id (withJob).
 */
export function asJob<R extends { jobId?: string | undefined }, T>(
  jobs: JobRegistry,
  label: string | ((request: Omit<R, 'jobId'>) => string),
  work: (request: Omit<R, 'jobId'>, operation: LongOperation) => Promise<T>,
): (request: R, context: CallContext) => Promise<T> {
  return ({ jobId, ...request }, context) =>
    withJob(jobs, context, jobId, typeof label === 'function' ? label(request) : label, (operation) => work(request, operation))
}
