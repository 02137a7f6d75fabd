import { homedir } from 'node:os'
import { join } from 'node:path'

/**
 * Where the app keeps its data (Electron's userData for "Certdesk"), or CERTDESK_USER_DATA.
 * A module of its own so light commands can find it without loading every service.
 */
export function defaultUserDataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  if (env['CERTDESK_USER_DATA']) return env['CERTDESK_USER_DATA']
  const home = homedir()
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Certdesk')
  if (platform === 'win32') return join(env['APPDATA'] ?? join(home, 'AppData', 'Roaming'), 'Certdesk')
  return join(env['XDG_CONFIG_HOME'] ?? join(home, '.config'), 'Certdesk')
}
