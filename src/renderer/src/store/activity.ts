import type { Result } from '../../../shared/errors'
import type { ActivityRow, ActivityQuery } from '../../../shared/model'
import type { SliceCreator } from '.'
import { attempt } from '../api'

export interface ActivitySlice {
  activity: ActivityRow[]
  loadActivity(query?: ActivityQuery): Promise<Result<ActivityRow[]>>
  /** Entries that mention `text` (e.g. a certificate id), without touching the Activity screen's list. */
  activityFor(text: string): Promise<Result<ActivityRow[]>>
}

export const createActivitySlice: SliceCreator<ActivitySlice> = (set, get, api) => ({
  activity: [],
  loadActivity: async (query) => {
    const result = await attempt(() => api.activity.list(query))
    if (result.ok) set({ activity: result.value })
    get().report(result)
    return result
  },
  // History is a nicety in a detail view: its failure is not toasted, the view says when there is none.
  activityFor: (text) => attempt(() => api.activity.list({ text, limit: 50 })),
})
