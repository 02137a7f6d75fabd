/** `jobs:*`: long operations the renderer started with a job id, cancelled by that id. */
import { z } from 'zod'
import { JobId, req } from './fields'

export const jobsContract = {
  'jobs:cancel': { request: req({ jobId: JobId }), response: z.object({ cancelled: z.boolean() }) },
} as const
