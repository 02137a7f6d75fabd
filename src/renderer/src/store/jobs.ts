/**
 * Long operations: the renderer picks a job id, passes it with the request, follows `progress`
 * events for it and may cancel it. Only jobs started here are tracked, so stray events are ignored.
 */
import type { Progress } from '../../../shared/model'
import type { Result } from '../../../shared/errors'
import type { SliceCreator } from '.'
import { attempt } from '../api'

export interface JobsSlice {
  /** Running jobs by id, with their latest progress (total null until main says). */
  jobs: Record<string, Progress>
  /** Registers a job and returns its id; the progress bar shows at once, indeterminate. */
  startJob(label: string): string
  endJob(jobId: string): void
  cancelJob(jobId: string): Promise<Result<unknown>>
}

let sequence = 0

export const createJobsSlice: SliceCreator<JobsSlice> = (set, get, api) => {
  api.on('progress', (progress) => {
    if (!get().jobs[progress.jobId]) return
    set({ jobs: { ...get().jobs, [progress.jobId]: progress } })
  })
  return {
    jobs: {},
    startJob: (label) => {
      const jobId = `ui-${Date.now().toString(36)}-${(++sequence).toString(36)}`
      set({ jobs: { ...get().jobs, [jobId]: { jobId, label, done: 0, total: null } } })
      return jobId
    },
    endJob: (jobId) => {
      const { [jobId]: _gone, ...rest } = get().jobs
      set({ jobs: rest })
    },
    cancelJob: async (jobId) => {
      const result = await attempt(() => api.jobs.cancel({ jobId }))
      get().report(result)
      return result
    },
  }
}
