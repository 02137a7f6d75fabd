/**
 * Long operations (bulk issue, scans, upload → activate → deploy) run as jobs: the renderer picks a
 * job id, passes it with the request, receives `progress` events for it and may cancel it with
 * `jobs:cancel`. The handler sees an AbortSignal and a progress function.
 */
import { AppError } from '../shared/errors'
import type { Progress } from '../shared/model'

export interface Job {
  id: string
  signal: AbortSignal
  /** `always`: never dropped by the rate of events (a rare notice, e.g. a rate-limit wait). */
  progress(done: number, total: number | null, message?: string, always?: boolean): void
}

export class JobRegistry {
  private readonly running = new Map<string, AbortController>()

  /** Run `work` as job `id`; the id is released when it settles. */
  async run<T>(id: string, label: string, emit: (progress: Progress) => void, work: (job: Job) => Promise<T>): Promise<T> {
    if (this.running.has(id)) throw new Error(`Job ${id} is already running`)
    const controller = new AbortController()
    this.running.set(id, controller)
    let lastEmit = 0
    const job: Job = {
      id,
      signal: controller.signal,
      progress(done, total, message, always = false) {
        // At most ~20 events a second; the first and last always go out.
        const now = Date.now()
        if (!always && done !== 0 && done !== total && now - lastEmit < 50) return
        lastEmit = now
        emit({ jobId: id, label, done, total, ...(message === undefined ? {} : { message }) })
      },
    }
    try {
      return await work(job)
    } catch (error) {
      // Whatever the work threw while being cancelled, the user asked for it: say so plainly.
      if (controller.signal.aborted) throw new AppError('cancelled', `${label} was cancelled.`, { cause: error })
      throw error
    } finally {
      this.running.delete(id)
    }
  }

  cancel(id: string): boolean {
    const controller = this.running.get(id)
    if (!controller) return false
    controller.abort(new Error('Cancelled by the user'))
    return true
  }

  get size(): number {
    return this.running.size
  }
}
