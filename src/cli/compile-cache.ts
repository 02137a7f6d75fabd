/**
 * Node's module compile cache for the CLI: a one-shot command (an MDM script, a helpdesk terminal) then
 * compiles Certdesk's modules once, not on every run. The cache lives in the user's cache folder;
 * NODE_COMPILE_CACHE=DIR moves it and NODE_DISABLE_COMPILE_CACHE=1 turns it off (Node's own switches).
 * A cache that cannot be used is no error: the command runs as before, only without it.
 */
import * as nodeModule from 'node:module'
import { homedir } from 'node:os'
import { isAbsolute, join } from 'node:path'

/** The user's cache folder for Certdesk's compiled modules on this platform. */
export function compileCacheDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'Certdesk', 'compile-cache')
  if (platform === 'win32') return join(env['LOCALAPPDATA'] || join(home, 'AppData', 'Local'), 'Certdesk', 'Cache', 'compile-cache')
  // XDG Base Directory: a relative XDG_CACHE_HOME is invalid and ignored.
  const xdg = env['XDG_CACHE_HOME']
  return join(xdg && isAbsolute(xdg) ? xdg : join(home, '.cache'), 'certdesk', 'compile-cache')
}

/** Turns the compile cache on for this process; the folder used, or undefined when it is off or failed. */
export function useCompileCache(env: NodeJS.ProcessEnv = process.env): string | undefined {
  // A Node without it (older than 22.8) runs the CLI all the same.
  if (typeof nodeModule.enableCompileCache !== 'function') return undefined
  try {
    // NODE_COMPILE_CACHE, when set, has already turned it on in its own folder.
    return nodeModule.enableCompileCache(env['NODE_COMPILE_CACHE'] ? undefined : compileCacheDir(env)).directory
  } catch {
    return undefined
  }
}
