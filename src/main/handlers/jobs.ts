/** `jobs:*`: cancelling a long operation the renderer started with a job id. */
import type { Services } from '../services'
import type { HandlersOf } from './index'

export function createJobsHandlers({ jobs }: Services): HandlersOf<'jobs'> {
  return {
    'jobs:cancel': ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
  }
}
