/** `activity:*`: the activity log. */
import type { Services } from '../services'
import type { HandlersOf } from './index'

export function createActivityHandlers({ activity }: Services): HandlersOf<'activity'> {
  return {
    'activity:list': (query) => activity.list(query),
  }
}
