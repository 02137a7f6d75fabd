import type { ActivityEntry, ActivityQuery } from '../../../shared/model'
import type { SliceCreator } from '.'

export interface ActivitySlice {
  activity: ActivityEntry[]
  loadActivity(query?: ActivityQuery): Promise<void>
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
})
