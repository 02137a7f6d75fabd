/**
 * The runtime fixer: makes Node, Python (requests, ssl, pip), git and Java trust a root for this user, without
 * elevation, and undoes it. One combined bundle (the system roots plus the root) in the user-data folder; an env
 * file of variables, sourced by a marked block in the shell profiles; git's global http.sslCAInfo; a copy of the
 * JDK's cacerts with the root. Every file is backed up through the journal before it changes.
 */
import { existsSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { AppError } from '../../shared/errors'
import type { RuntimeFix, RuntimeFixReport, RuntimeUndoReport } from '../../shared/contract/runtimes'
import { execRunner, type CommandRunner } from '../truststore/exec'
import { certificatesInFile, derToPem, parseRootForInstall, type RootCertificate } from '../truststore/certificates'
import { digest, type Fingerprint } from '../certs/fingerprint'
import type { TrustStore } from '../truststore/types'
import type { FixContext, RuntimeBackend } from './backend'
import { git, gitBackend, globalGitConfig } from './git'
import { javaBackend, trustStoreOptions } from './java'
import { Journal, RUNTIMES, restoreFile, untouchedSince, type FixRuntime, type UndoneFile } from './journal'
import { runtimeLayout, type RuntimeLayout } from './layout'
import { nodeBackend } from './node'
import { pythonBackend } from './python'
import { hasBlock, parseEnvFile, profileFiles, withBlock, withoutBlock } from './shell'

export { RUNTIMES, runtimeLayout, type FixRuntime }

const BACKENDS: Record<FixRuntime, RuntimeBackend> = { node: nodeBackend, python: pythonBackend, git: gitBackend, java: javaBackend }

export interface RuntimeFixerOptions {
  userDataDir: string
  /** The user's environment: HOME, PATH, JAVA_HOME, XDG_CONFIG_HOME. */
  env: NodeJS.ProcessEnv
  /** The system store's roots (DER), the base of the combined bundle. */
  systemRoots: () => Promise<Buffer[]>
  runner?: CommandRunner
  now?: () => Date
}

export const homeOf = (env: NodeJS.ProcessEnv): string => env['HOME'] || homedir()

/** `node,python` → the runtimes, refusing an unknown name. */
export function parseRuntimes(names: readonly string[]): FixRuntime[] {
  if (names.length === 0) return [...RUNTIMES]
  const unknown = names.filter((n) => !(RUNTIMES as readonly string[]).includes(n))
  if (unknown.length) {
    throw new AppError('bad_input', `Unknown runtime: ${unknown.join(', ')}.`, { hint: `Choose from ${RUNTIMES.join(', ')}.` })
  }
  return RUNTIMES.filter((r) => names.includes(r))
}

function bundleText(root: RootCertificate, systemRoots: Buffer[]): string {
  const seen = new Set<string>([root.summary.sha256])
  const pems = systemRoots.filter((der) => !seen.has(digest(der, 'sha256')) && seen.add(digest(der, 'sha256'))).map(derToPem)
  return [
    `# Certdesk: the system roots plus ${root.summary.subject} (SHA-256 ${root.summary.sha256}).`,
    '# Written by `certdesk trust fix-runtimes`; removed by its --undo.',
    root.pem.trim(),
    ...pems.map((p) => p.trim()),
    '',
  ].join('\n')
}

function envFileText(root: RootCertificate, layout: RuntimeLayout, runtimes: readonly FixRuntime[]): string {
  return [
    `# Certdesk: runtime trust for ${root.summary.subject} (SHA-256 ${root.summary.sha256}).`,
    '# Sourced by the block in your shell profile; undo with `certdesk trust fix-runtimes ROOT.pem --undo`.',
    ...RUNTIMES.filter((r) => runtimes.includes(r)).flatMap((r) => BACKENDS[r].envLines(layout)),
    '',
  ].join('\n')
}

/** `NODE_EXTRA_CA_CERTS names the bundle (in …/env.sh).` */
function envMessage(backend: RuntimeBackend, layout: RuntimeLayout): string {
  const names = Object.keys(parseEnvFile(backend.envLines(layout).join('\n')))
  return `${names.join(', ')} ${names.length === 1 ? 'names' : 'name'} the bundle (in ${layout.envFile}).`
}

function refuseOtherRoot(journal: Journal, root: RootCertificate): void {
  if (journal.data.root.sha256 === root.summary.sha256) return
  throw new AppError('conflict', `The runtimes are already fixed for another root: ${journal.data.root.subject}.`, {
    hint: 'Undo that fix first (certdesk trust fix-runtimes THAT-ROOT.pem --undo), then fix for this one.',
  })
}

/**
 * Fixes the runtimes asked for. Each runtime is fixed independently: one that fails (keytool, git) is reported
 * and the others still work; the journal lists everything touched, so `undo` works after a partial fix too.
 */
export async function fixRuntimes(
  rootBytes: Buffer,
  runtimes: readonly FixRuntime[],
  options: RuntimeFixerOptions,
): Promise<RuntimeFixReport> {
  const root = parseRootForInstall(rootBytes)
  const layout = runtimeLayout(options.userDataDir)
  const existing = Journal.load(layout)
  if (existing) refuseOtherRoot(existing, root)
  const journal =
    existing ??
    Journal.start(
      layout,
      { sha256: root.summary.sha256, subject: root.summary.subject, pem: root.pem },
      (options.now ?? (() => new Date()))(),
    )
  const home = homeOf(options.env)
  const ctx: FixContext = { layout, journal, root, home, env: options.env, runner: options.runner ?? execRunner }

  journal.write(layout.bundle, 'owned', bundleText(root, await options.systemRoots()))
  const fixes: RuntimeFix[] = []
  for (const runtime of runtimes) {
    const backend = BACKENDS[runtime]
    const already = journal.data.runtimes.includes(runtime)
    const missing = backend.missing?.(ctx)
    if (missing) {
      fixes.push({ runtime, status: 'skipped', message: missing })
      continue
    }
    try {
      const message = backend.apply ? await backend.apply(ctx) : envMessage(backend, layout)
      if (!already) journal.data.runtimes.push(runtime)
      journal.save()
      fixes.push({ runtime, status: already ? 'already' : 'fixed', message })
    } catch (error) {
      const e = error instanceof AppError ? error : new AppError('runtime_fix_failed', (error as Error).message)
      fixes.push({ runtime, status: 'failed', message: e.message, ...(e.hint ? { hint: e.hint } : {}) })
    }
  }
  journal.write(layout.envFile, 'owned', envFileText(root, layout, journal.data.runtimes))
  const profiles = profileFiles(home)
  for (const profile of profiles) {
    journal.touch(profile, 'profile')
    journal.write(profile, 'profile', withBlock(existsSync(profile) ? readFileSync(profile, 'utf8') : '', layout.envFile))
  }
  return {
    root: { subject: root.summary.subject, sha256: root.summary.sha256 },
    bundle: layout.bundle,
    envFile: layout.envFile,
    profiles,
    fixes,
    journal: layout.journal,
  }
}

/**
 * Undoes the fix: each file back byte for byte (or, when the user changed it since, only Certdesk's part taken
 * out), Certdesk's own files removed. With `rootBytes`, refuses when the fix in place is for another root.
 */
export async function undoRuntimes(rootBytes: Buffer | null, options: RuntimeFixerOptions): Promise<RuntimeUndoReport> {
  const layout = runtimeLayout(options.userDataDir)
  const journal = Journal.load(layout)
  if (!journal) return { files: [], note: 'No runtime fix is in place: nothing to undo.' }
  if (rootBytes) refuseOtherRootForUndo(journal, parseRootForInstall(rootBytes))
  const ctx = { home: homeOf(options.env), env: options.env, runner: options.runner ?? execRunner }
  const files: UndoneFile[] = []
  for (const entry of [...journal.data.files].reverse()) {
    if (entry.kind === 'owned' || untouchedSince(entry)) {
      files.push({ path: entry.path, action: restoreFile(entry) })
      continue
    }
    if (!existsSync(entry.path)) {
      files.push({ path: entry.path, action: 'kept', note: 'Removed since the fix: nothing to put back.' })
      continue
    }
    if (entry.kind === 'profile') {
      writeFileSync(entry.path, withoutBlock(readFileSync(entry.path, 'utf8')))
      files.push({ path: entry.path, action: 'block-removed', note: 'Changed since the fix: only the Certdesk block was taken out.' })
      continue
    }
    const current = await git(ctx, ['--get', 'http.sslCAInfo'])
    if (current.code === 0 && current.stdout.trim() === layout.bundle) {
      const previous = journal.data.gitPrevious
      await git(ctx, previous ? ['http.sslCAInfo', previous] : ['--unset', 'http.sslCAInfo'])
      files.push({ path: entry.path, action: 'setting-removed', note: 'Changed since the fix: only http.sslCAInfo was put back.' })
    } else files.push({ path: entry.path, action: 'kept', note: 'Changed since the fix and http.sslCAInfo is no longer Certdesk’s.' })
  }
  journal.remove()
  try {
    rmdirSync(layout.dir)
  } catch {
    // not empty (a file of the user's): kept
  }
  return { root: { subject: journal.data.root.subject, sha256: journal.data.root.sha256 }, files }
}

function refuseOtherRootForUndo(journal: Journal, root: RootCertificate): void {
  if (journal.data.root.sha256 === root.summary.sha256) return
  throw new AppError('bad_input', `The runtime fix in place is for another root: ${journal.data.root.subject}.`, {
    hint: 'Give that root to --undo, or run --undo without a root to undo whatever is in place.',
  })
}

/** What a fix left in place, for `trust verify`'s runtime lines and their drift. */
export interface RuntimeFixState {
  runtimes: FixRuntime[]
  bundle: string
  envFile: string
  /** The variables a new login shell gets from the env file (empty when it is gone or no profile sources it). */
  loginEnv: Record<string, string>
  /** What is wrong with the env file or the profiles, if anything. */
  envProblem: string | null
  javaHome: string | null
}

/** The fix in place for this root, or null (no fix, or a fix for another root). */
export function runtimeFixState(userDataDir: string, env: NodeJS.ProcessEnv, fp: Fingerprint): RuntimeFixState | null {
  const layout = runtimeLayout(userDataDir)
  let journal: Journal | null
  try {
    journal = Journal.load(layout)
  } catch {
    return null
  }
  if (!journal) return null
  const der = certificatesInFile(Buffer.from(journal.data.root.pem))[0]
  if (!der || digest(der, fp.algorithm) !== fp.hex) return null
  let loginEnv: Record<string, string> = {}
  let envProblem: string | null = null
  if (!existsSync(layout.envFile)) envProblem = `The env file ${layout.envFile} was removed.`
  else if (!profileFiles(homeOf(env)).some(hasBlock))
    envProblem = 'No shell profile sources the env file any more (the Certdesk block was removed).'
  else {
    const text = readFileSync(layout.envFile, 'utf8')
    loginEnv = parseEnvFile(text)
    // Java's line appends to the user's JAVA_TOOL_OPTIONS (a `case`, not an export line).
    const flags = trustStoreOptions(layout.javaStore)
    if (text.includes(flags)) loginEnv['JAVA_TOOL_OPTIONS'] = [env['JAVA_TOOL_OPTIONS'], flags].filter(Boolean).join(' ')
  }
  return {
    runtimes: journal.data.runtimes,
    bundle: layout.bundle,
    envFile: layout.envFile,
    loginEnv,
    envProblem,
    javaHome: journal.data.javaHome ?? null,
  }
}

/** The roots the system store trusts (DER): the base of the combined bundle. */
export async function systemRootsOf(stores: readonly TrustStore[]): Promise<Buffer[]> {
  const system = stores.filter((s) => s.describe().kind === 'system')
  const listed = (await Promise.all(system.map((s) => s.list()))).flat()
  return listed.flatMap((e) => (e.trust === 'trusted' && e.der ? [e.der] : []))
}

/** The user's environment for the fixer: this process's, with HOME the trust stores' home when one is set (a throwaway machine). */
export const userEnv = (env: NodeJS.ProcessEnv, home: string | undefined): NodeJS.ProcessEnv => (home ? { ...env, HOME: home } : env)

const RUNTIME_LABELS: Record<FixRuntime, string> = { node: 'Node.js', python: 'Python (requests, ssl, pip)', git: 'git', java: 'Java' }

/** What a fix changes, for the confirmation: the files in the user's home and in the user-data folder. */
export function fixPlan(runtimes: readonly FixRuntime[], userDataDir: string, env: NodeJS.ProcessEnv): string[] {
  const layout = runtimeLayout(userDataDir)
  const home = homeOf(env)
  return [
    `Runtimes: ${runtimes.map((r) => RUNTIME_LABELS[r]).join(', ')}`,
    `A bundle of the system roots plus this root: ${layout.bundle}`,
    `An env file: ${layout.envFile}, sourced by a marked block in ${profileFiles(home).join(', ')}`,
    ...(runtimes.includes('git') ? [`git's global http.sslCAInfo (${globalGitConfig(home, env)})`] : []),
    ...(runtimes.includes('java') ? [`A copy of the JDK's cacerts with the root: ${layout.javaStore} (the JDK's own is not changed)`] : []),
    'Every file is backed up first; Undo puts each back as it was.',
  ]
}
