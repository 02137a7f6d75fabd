/**
 * The CLI uses the app's own services and storage, found where Electron keeps them
 * (or in CERTDESK_USER_DATA), so a profile added in the app is visible here.
 */
import { createServices, type Services } from '../main/services'
import type { CliIo } from './command'
import { defaultUserDataDir } from './user-data'
import { CLI_VERSION } from './version'

export { defaultUserDataDir }

let cached: Services | undefined

export function cliServices(io: CliIo): Services {
  cached ??= createServices({ userDataDir: defaultUserDataDir(io.env), appVersion: CLI_VERSION })
  return cached
}
