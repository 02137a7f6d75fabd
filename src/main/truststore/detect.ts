/**
 * Which trust stores this machine has. The only place that branches on the platform; everything
 * after works through the TrustStore interface. Every location is injectable (sysroot, home, env)
 * so tests and the CLI can point it at a throwaway tree.
 */
import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { DarwinStore } from './darwin'
import { createElevator, defaultElevationMethod, type Elevator } from './elevate'
import { execRunner, findExecutable, type CommandRunner } from './exec'
import { JavaStore, detectJava, type JavaInstall } from './java'
import { LinuxSystemStore, debianRefreshForSysroot } from './linux'
import { FAMILY_LAYOUTS, chooseFamily, parseOsRelease } from './linux-distro'
import { NssStore } from './nss'
import { discoverNssDatabases } from './nss-discovery'
import type { TrustStore } from './types'
import { WindowsStore } from './windows'

export interface DetectOptions {
  platform?: NodeJS.Platform
  env?: NodeJS.ProcessEnv
  runner?: CommandRunner
  /** Home folder for NSS databases and the login keychain. */
  home?: string
  /** Linux: prefix for the system store paths (CERTDESK_TRUST_ROOT). */
  sysroot?: string
  /** Linux: the os-release file (default SYSROOT/etc/os-release, else /etc/os-release). */
  osReleasePath?: string
  elevator?: Elevator | null
  /** false: skip the Java store; an object: use that JDK. Default: detect. */
  java?: false | JavaInstall
  hasTerminal?: boolean
}

/** Options from the environment: CERTDESK_TRUST_ROOT, CERTDESK_TRUST_HOME, CERTDESK_TRUST_JAVA_HOME. */
export function detectOptionsFromEnv(env: NodeJS.ProcessEnv): DetectOptions {
  const sysroot = env['CERTDESK_TRUST_ROOT']
  const home = env['CERTDESK_TRUST_HOME'] ?? (sysroot ? join(sysroot, 'home') : undefined)
  const options: DetectOptions = { env }
  if (sysroot) options.sysroot = sysroot
  if (home) options.home = home
  // Under a throwaway root only an explicitly named JDK counts: never the machine's own cacerts.
  if (sysroot) {
    const javaHome = env['CERTDESK_TRUST_JAVA_HOME']
    const java = javaHome ? detectJava({ JAVA_HOME: javaHome, PATH: '' }) : null
    options.java = java ?? false
  }
  return options
}

export function detectTrustStores(options: DetectOptions = {}): TrustStore[] {
  const platform = options.platform ?? process.platform
  const env = options.env ?? process.env
  const runner = options.runner ?? execRunner
  const home = options.home ?? homedir()
  const stores: TrustStore[] = []
  const elevator = (): Elevator | null => {
    if (options.elevator !== undefined) return options.elevator
    const method = defaultElevationMethod(platform, env, options.hasTerminal ?? Boolean(process.stdin.isTTY))
    if ((method === 'pkexec' || method === 'sudo') && !findExecutable(method, env['PATH'])) return null
    return createElevator(method, runner)
  }

  if (platform === 'linux') {
    const osReleasePath =
      options.osReleasePath ??
      [options.sysroot && join(options.sysroot, 'etc/os-release'), '/etc/os-release', '/usr/lib/os-release'].find(
        (p): p is string => Boolean(p) && existsSync(p as string),
      )
    let osRelease: Record<string, string> = {}
    try {
      if (osReleasePath) osRelease = parseOsRelease(readFileSync(osReleasePath, 'utf8'))
    } catch {
      // unreadable: fall back to the tools on disk
    }
    const choice = chooseFamily(osRelease, (name) => findExecutable(name, env['PATH']) !== null)
    if (choice) {
      const toolPath = findExecutable(FAMILY_LAYOUTS[choice.family].tool, env['PATH'])
      const refresh =
        toolPath === null
          ? null
          : options.sysroot && choice.family === 'debian'
            ? debianRefreshForSysroot(toolPath, options.sysroot)
            : { file: toolPath, args: FAMILY_LAYOUTS[choice.family].refreshArgs }
      // Only Debian's tool can be pointed at a throwaway tree; elsewhere a sysroot is list-only.
      const safeRefresh = options.sysroot && choice.family !== 'debian' ? null : refresh
      stores.push(
        new LinuxSystemStore({
          family: choice.family,
          runner,
          refresh: safeRefresh,
          elevator: elevator(),
          detectedBy: choice.reason,
          ...(options.sysroot ? { sysroot: options.sysroot } : {}),
        }),
      )
    }
  } else if (platform === 'darwin') {
    stores.push(new DarwinStore({ scope: 'system', runner, home }), new DarwinStore({ scope: 'login', runner, home }))
  } else if (platform === 'win32') {
    stores.push(
      new WindowsStore({ scope: 'machine', runner, elevator: elevator() }),
      new WindowsStore({ scope: 'user', runner, elevator: null }),
    )
  }

  const certutil = findExecutable(
    platform === 'win32' ? 'certutil-nss' : 'certutil',
    env['PATH'],
    platform === 'darwin' ? ['/opt/homebrew/bin', '/usr/local/bin'] : undefined,
  )
  for (const db of discoverNssDatabases({ home, platform, env })) stores.push(new NssStore(db, runner, certutil))

  const java = options.java === undefined ? detectJava(env) : options.java
  if (java) stores.push(new JavaStore(java, runner, elevator()))
  return stores
}
