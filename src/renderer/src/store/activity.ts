import type { ActivityEntry, ActivityQuery } from '../../../shared/model'
import type { SliceCreator } from '.'

export interface ActivitySlice {
  activity: ActivityEntry[]
  loadActivity(query?: ActivityQuery): Promise<void>
  /** Entries that mention `text` (e.g. a certificate id), without touching the Activity screen's list. */
  activityFor(text: string): Promise<ActivityEntry[]>
}

export const createActivitySlice: SliceCreator<ActivitySlice> = (set, get, api) => ({
  activity: [],
  loadActivity: async (query) => {
    try {
      set({ activity: await api.activity.list(query) })
    } catch (error) {
      get().toastError(error)
    }
  },
  activityFor: async (text) => {
    try {
      return await api.activity.list({ text, limit: 50 })
    } catch {
      // History is a nicety in a detail view; the view says when there is none.
      return []
    }
  },
})
