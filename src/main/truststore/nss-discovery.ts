/**
 * Every NSS database of the user: Chrome/Chromium's ~/.pki/nssdb and each Firefox profile listed
 * in a profiles.ini (classic, XDG, snap and Flatpak layouts on Linux; macOS; Windows). profiles.ini
 * is read rather than globbed, since profiles can live anywhere (absolute Path=). A database
 * counts only if it has cert9.db (the sql: format).
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'

export interface NssDatabase {
  dir: string
  label: string
  /** `chromium`, `firefox`, … for grouping in the UI. */
  app: 'chromium' | 'firefox'
}

export interface NssDiscoveryOptions {
  home: string
  platform: NodeJS.Platform
  env: NodeJS.ProcessEnv
}

/** Folders that may hold a profiles.ini, per platform. */
export function firefoxRoots({ home, platform, env }: NssDiscoveryOptions): Array<{ dir: string; flavour: string }> {
  if (platform === 'darwin') return [{ dir: join(home, 'Library', 'Application Support', 'Firefox'), flavour: 'Firefox' }]
  if (platform === 'win32')
    return [{ dir: join(env['APPDATA'] ?? join(home, 'AppData', 'Roaming'), 'Mozilla', 'Firefox'), flavour: 'Firefox' }]
  return [
    { dir: join(home, '.mozilla', 'firefox'), flavour: 'Firefox' },
    { dir: join(env['XDG_CONFIG_HOME'] ?? join(home, '.config'), 'mozilla', 'firefox'), flavour: 'Firefox' },
    { dir: join(home, 'snap', 'firefox', 'common', '.mozilla', 'firefox'), flavour: 'Firefox (snap)' },
    { dir: join(home, '.var', 'app', 'org.mozilla.firefox', '.mozilla', 'firefox'), flavour: 'Firefox (Flatpak)' },
  ]
}

export interface IniProfile {
  name?: string
  path: string
}

/** Profile folders named by a profiles.ini: [ProfileN] Path=/IsRelative= and [Install…] Default=. */
export function parseProfilesIni(text: string, iniDir: string): IniProfile[] {
  const sections: Array<{ name: string; values: Record<string, string> }> = []
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (!line || line.startsWith(';') || line.startsWith('#')) continue
    const header = /^\[(.+)\]$/.exec(line)
    if (header?.[1]) {
      sections.push({ name: header[1], values: {} })
      continue
    }
    const eq = line.indexOf('=')
    const current = sections.at(-1)
    if (eq > 0 && current) current.values[line.slice(0, eq).trim()] = line.slice(eq + 1).trim()
  }
  const resolve = (path: string, relative: boolean) => (relative || !isAbsolute(path) ? join(iniDir, ...path.split(/[\\/]/)) : path)
  const out: IniProfile[] = []
  for (const { name, values } of sections) {
    if (/^Profile\d+$/i.test(name) && values['Path']) {
      out.push({ ...(values['Name'] ? { name: values['Name'] } : {}), path: resolve(values['Path'], values['IsRelative'] !== '0') })
    } else if (/^Install/i.test(name) && values['Default']) {
      out.push({ path: resolve(values['Default'], true) })
    }
  }
  return out
}

function canonical(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    return path
  }
}

export function discoverNssDatabases(options: NssDiscoveryOptions): NssDatabase[] {
  const found = new Map<string, NssDatabase>()
  const add = (dir: string, label: string, app: NssDatabase['app']) => {
    if (!existsSync(join(dir, 'cert9.db'))) return
    const key = canonical(dir)
    if (!found.has(key)) found.set(key, { dir, label, app })
  }
  if (options.platform === 'linux') {
    add(join(options.home, '.pki', 'nssdb'), 'Chrome/Chromium (~/.pki/nssdb)', 'chromium')
    add(join(options.home, 'snap', 'chromium', 'current', '.pki', 'nssdb'), 'Chromium (snap)', 'chromium')
  }
  for (const { dir, flavour } of firefoxRoots(options)) {
    let text: string
    try {
      text = readFileSync(join(dir, 'profiles.ini'), 'utf8')
    } catch {
      continue
    }
    for (const profile of parseProfilesIni(text, dir))
      add(profile.path, `${flavour} profile ${profile.name ?? profile.path.split(/[\\/]/).at(-1)}`, 'firefox')
  }
  return [...found.values()]
}
