/**
 * The CLI uses the app's own services and storage, found where Electron keeps them
 * (or in CERTDESK_USER_DATA), so a profile added in the app is visible here.
 */
import { homedir } from 'node:os'
import { join } from 'node:path'
import { createServices, type Services } from '../main/services'
import type { CliIo } from './command'
import { CLI_VERSION } from './version'

export function defaultUserDataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  if (env['CERTDESK_USER_DATA']) return env['CERTDESK_USER_DATA']
  const home = homedir()
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Certdesk')
  if (platform === 'win32') return join(env['APPDATA'] ?? join(home, 'AppData', 'Roaming'), 'Certdesk')
  return join(env['XDG_CONFIG_HOME'] ?? join(home, '.config'), 'Certdesk')
}

let cached: Services | undefined

export function cliServices(io: CliIo): Services {
  cached ??= createServices({ userDataDir: defaultUserDataDir(io.env), appVersion: CLI_VERSION })
  return cached
}
