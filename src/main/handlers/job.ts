import type { LongOperation } from '../cloudflare'
import type { CallContext } from '../dispatch'
import type { JobRegistry } from '../jobs'

/**
 * Runs a long operation as a job when the renderer gave a job id (progress events, cancel), or
 * plainly when it did not.
 */
export function withJob<T>(jobs: JobRegistry, context: CallContext, jobId: string | undefined, label: string, work: (operation: LongOperation) => Promise<T>): Promise<T> {
  if (!jobId) return work({})
  return jobs.run(jobId, label, (progress) => context.emit('progress', progress), (job) =>
    work({ signal: job.signal, onProgress: (p) => job.progress(p.done, p.total, p.message) }),
  )
}
