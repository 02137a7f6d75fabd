/** `app:*`: what the renderer shows in About and the storage problems found at start-up. */
import { AppInfo } from '../model'
import { NoInput } from './fields'

export const appContract = {
  'app:info': { request: NoInput, response: AppInfo },
} as const
