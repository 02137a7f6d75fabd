import type { Result } from '../../../shared/errors'
import type { ActivityRow, ActivityQuery } from '../../../shared/model'
import type { SliceCreator } from '.'
import { attempt } from '../api'
import { loadInto } from './load'

export interface ActivitySlice {
  activity: ActivityRow[]
  loadActivity(query?: ActivityQuery): Promise<Result<ActivityRow[]>>
  /** Entries that mention `text` (e.g. a certificate id), without touching the Activity screen's list. */
  activityFor(text: string): Promise<Result<ActivityRow[]>>
}

export const createActivitySlice: SliceCreator<ActivitySlice> = (set, get, api) => ({
  activity: [],
  loadActivity: (query) => loadInto(set, get, 'activity', () => api.activity.list(query)),
  // History is a nicety in a detail view: its failure is not toasted, the view says when there is none.
  activityFor: (text) => attempt(() => api.activity.list({ text, limit: 50 })),
})
