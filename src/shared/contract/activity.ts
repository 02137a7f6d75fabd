/** `activity:*`: the activity log, newest first, filtered by the query. */
import { z } from 'zod'
import { ActivityQuery, ActivityRow } from '../model'

export const activityContract = {
  'activity:list': { request: ActivityQuery.optional(), response: z.array(ActivityRow) },
} as const
