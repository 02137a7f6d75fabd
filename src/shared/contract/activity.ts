/** `activity:*`: the activity log, newest first, filtered by the query. */
import { z } from 'zod'
import { ActivityEntry, ActivityQuery } from '../model'

export const activityContract = {
  'activity:list': { request: ActivityQuery.optional(), response: z.array(ActivityEntry) },
} as const
