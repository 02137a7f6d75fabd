/** `settings:*`: the app's settings. */
import type { Services } from '../services'
import type { HandlersOf } from './index'

export function createSettingsHandlers({ settings }: Services): HandlersOf<'settings'> {
  return {
    'settings:get': () => settings.get(),
    'settings:set': (patch) => settings.set(patch),
  }
}
