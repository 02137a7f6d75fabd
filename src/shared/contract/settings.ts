/** `settings:*`: the app's settings, read whole and changed by patch. */
import { Settings, SettingsPatch } from '../model'
import { NoInput } from './fields'

export const settingsContract = {
  'settings:get': { request: NoInput, response: Settings },
  'settings:set': { request: SettingsPatch, response: Settings },
} as const
