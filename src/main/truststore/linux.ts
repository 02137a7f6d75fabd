/**
 * The Linux system store: an anchors folder plus the distribution's refresh tool, which rebuilds
 * the bundle every OpenSSL/GnuTLS program reads. Listing reads the bundle and the anchors and
 * marks which roots were added locally; an anchor missing from the bundle is "present, not
 * trusted" (the refresh never ran). Every path and the refresh command are injectable, so tests
 * run the real update-ca-certificates against a throwaway tree.
 */
import { constants, readFileSync } from 'node:fs'
import { access, chmod, copyFile, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import type { StoreDescription, StoreOutcome } from '../../shared/truststore-model'
import {
  certificatesInFile,
  commonName,
  entriesFromPemText,
  entryFromDer,
  slug,
  type RootCertificate,
  type StoredCert,
} from './certificates'
import type { Elevator } from './elevate'
import { ROOT_WORKDIR, withPrivateTempFile } from './elevate'
import { toolMessage, type CommandRunner, type RunResult } from './exec'
import type { Fingerprint } from '../certs/fingerprint'
import { FAMILY_LAYOUTS, anchorBaseName, type FamilyLayout, type LinuxFamily } from './linux-distro'
import { derMatches, findIn, outcome, sha256Of, type TrustStore, ListedStore } from './types'

export interface RefreshCommand {
  file: string
  args: readonly string[]
}

export interface LinuxStoreOptions {
  family: LinuxFamily
  runner: CommandRunner
  /** Prefix for every default path (a throwaway tree in tests, CERTDESK_TRUST_ROOT in the CLI). */
  sysroot?: string
  anchorsDir?: string
  bundlePath?: string
  /** The refresh tool; null when it is missing on this machine. */
  refresh?: RefreshCommand | null
  /** Used when the anchors folder is not writable by this process. */
  elevator?: Elevator | null
  detectedBy?: string
}

/** Debian's update-ca-certificates pointed entirely inside `sysroot` (its flags, not --sysroot, for older versions). */
export function debianRefreshForSysroot(tool: string, sysroot: string): RefreshCommand {
  return {
    file: tool,
    args: [
      '--certsconf',
      join(sysroot, 'etc/ca-certificates.conf'),
      '--certsdir',
      join(sysroot, 'usr/share/ca-certificates'),
      '--localcertsdir',
      join(sysroot, FAMILY_LAYOUTS.debian.anchorsDir),
      '--etccertsdir',
      join(sysroot, 'etc/ssl/certs'),
      '--hooksdir',
      join(sysroot, 'etc/ca-certificates/update.d'),
    ],
  }
}

/**
 * Debian's update-ca-certificates cleans /etc/ssl/certs only when a distribution root changes (or
 * with --fresh): after a local anchor is removed, its name link and the hash link to that name
 * dangle. prune CERTSDIR ANCHOR removes exactly those; when another certificate shares the
 * subject hash (HASH.1 left without HASH.0, which OpenSSL would never reach), it re-runs the same
 * `openssl rehash` the tool runs. Used as is without elevation and inside the elevated scripts.
 */
export const PRUNE_LINKS = [
  'prune() {',
  '  [ -n "$1" ] && [ -d "$1" ] || return 0',
  '  for link in "$1"/*; do',
  '    [ -L "$link" ] && [ "$(readlink -- "$link")" = "$2" ] || continue',
  '    name=${link##*/}; rm -f -- "$link"',
  '    for hash in "$1"/*; do',
  '      [ -L "$hash" ] && [ "$(readlink -- "$hash")" = "$name" ] || continue',
  '      rm -f -- "$hash"',
  '      for twin in "${hash%.*}".*; do [ -L "$twin" ] && { openssl rehash "$1" >/dev/null 2>&1; break; }; done',
  '    done',
  '  done',
  '}',
].join('\n')

/**
 * The elevated scripts (run as root through pkexec/sudo; arguments arrive as $1..$n, never spliced
 * into the script) never read from or restore into a folder the user owns: the certificate comes
 * as an argument and is written, like the backup of a removed anchor, into a folder root creates
 * itself (mktemp -d: 0700, root-owned, in /tmp whatever TMPDIR says) and removes on exit.
 */

const ELEVATED_INSTALL = [
  'pem=$1; dst=$2; shift 2',
  ...ROOT_WORKDIR,
  `printf '%s' "$pem" > "$work/root.pem" || exit 1`,
  'mkdir -p -- "$(dirname -- "$dst")" || exit 1',
  'install -m 0644 -- "$work/root.pem" "$dst" || exit 1',
  '"$@"; status=$?',
  '[ "$status" -eq 0 ] && exit 0',
  'rm -f -- "$dst"; "$@" >/dev/null 2>&1',
  'exit "$status"',
].join('\n')

const ELEVATED_REMOVE = [
  PRUNE_LINKS,
  'target=$1; certs=$2; shift 2',
  ...ROOT_WORKDIR,
  'mv -f -- "$target" "$work/backup" || exit 1',
  '"$@"; status=$?',
  '[ "$status" -eq 0 ] && { prune "$certs" "$target"; exit 0; }',
  'mv -f -- "$work/backup" "$target"; "$@" >/dev/null 2>&1',
  'exit "$status"',
].join('\n')

interface AnchorFile {
  path: string
  certs: StoredCert[]
}

type Snapshot = Map<string, Buffer>

export class LinuxSystemStore extends ListedStore {
  readonly id = 'linux-system'
  readonly layout: FamilyLayout
  readonly anchorsDir: string
  readonly bundlePath: string
  private readonly refresh: RefreshCommand | null
  private readonly runner: CommandRunner
  private readonly elevator: Elevator | null
  private readonly detectedBy: string | undefined
  private writable: boolean | undefined

  constructor(options: LinuxStoreOptions) {
    super()
    this.layout = FAMILY_LAYOUTS[options.family]
    const root = options.sysroot ?? '/'
    this.anchorsDir = options.anchorsDir ?? join(root, this.layout.anchorsDir)
    this.bundlePath = options.bundlePath ?? join(root, this.layout.bundle)
    this.refresh = options.refresh === undefined ? { file: this.layout.tool, args: this.layout.refreshArgs } : options.refresh
    this.runner = options.runner
    this.elevator = options.elevator ?? null
    this.detectedBy = options.detectedBy
  }

  describe(): StoreDescription {
    return {
      id: this.id,
      kind: 'system',
      label: `System (${this.layout.label})`,
      location: this.anchorsDir,
      needsElevation: this.writable === false,
      tool: this.refresh ? [this.refresh.file, ...this.refresh.args.slice(0, 1)].join(' ') : this.layout.tool,
      available: this.refresh !== null,
      ...(this.refresh
        ? this.detectedBy
          ? { note: this.detectedBy }
          : {}
        : { note: `${this.layout.tool} is not installed; the store can be listed but not changed.` }),
    }
  }

  async list(): Promise<StoredCert[]> {
    return this.read()
  }

  /** A lookup decodes only the bundle's certificates with this fingerprint (`trust verify` on a bundle of ~150 roots). */
  override async find(fp: Fingerprint): Promise<StoredCert[]> {
    return findIn(await this.read((der) => derMatches(der, fp)), fp)
  }

  /** The bundle and the anchors folder; with `keep`, only the bundle certificates it keeps are decoded. */
  private async read(keep?: (der: Buffer) => boolean): Promise<StoredCert[]> {
    await this.checkWritable()
    const [bundleText, anchors] = await Promise.all([readFile(this.bundlePath, 'latin1').catch(ifMissing('')), this.readAnchors()])
    const local = new Map<string, string>()
    for (const file of anchors) for (const cert of file.certs) local.set(cert.sha256 ?? '', file.path)
    const entries = entriesFromPemText(bundleText, { trust: 'trusted', origin: 'distro' }, keep)
    const inBundle = new Set<string>()
    for (const entry of entries) {
      inBundle.add(entry.sha256 ?? '')
      const file = local.get(entry.sha256 ?? '')
      if (file) {
        entry.origin = 'local'
        entry.location = file
      }
    }
    for (const file of anchors) {
      for (const cert of file.certs) {
        if (inBundle.has(cert.sha256 ?? '')) continue
        inBundle.add(cert.sha256 ?? '')
        const ignored = this.layout.readsSuffixes && !this.layout.readsSuffixes.some((s) => file.path.endsWith(s))
        entries.push({
          ...cert,
          trust: 'present-not-trusted',
          note: ignored
            ? `${this.layout.tool} ignores this file: only ${this.layout.readsSuffixes?.join(', ')} files are read.`
            : `In the anchors folder but not in the system bundle: ${this.layout.tool} has not run since it was added.`,
        })
      }
    }
    return entries
  }

  async install(root: RootCertificate): Promise<StoreOutcome> {
    if (!this.refresh) return this.toolMissing()
    const fp = sha256Of(root)
    const before = findIn(await this.list(), fp)
    if (before.some((e) => e.trust === 'trusted'))
      return outcome(this, 'already-present', `Already trusted (${before[0]?.location ?? this.bundlePath}); nothing changed.`)
    const anchored = before.find((e) => e.location && e.trust === 'present-not-trusted' && !e.note?.includes('ignores'))
    if (anchored) {
      // The anchor is there; only the bundle is stale.
      const result = await this.runRefresh()
      if (result.code !== 0)
        return this.failed(`${this.refresh.file} failed, so the anchor ${anchored.location} is still not in the bundle.`, result)
      return this.recheck(fp, 'installed', `Refreshed the bundle; ${anchored.location} is now trusted.`)
    }
    const dest = join(
      this.anchorsDir,
      `${anchorBaseName(slug(commonName(root.summary.subject)), root.summary.sha256)}${this.layout.extension}`,
    )
    if (await this.checkWritable()) {
      const failure = await this.changeAnchorsAndRefresh(() =>
        withPrivateTempFile(root.pem, 'root.pem', async (tmp) => {
          await mkdir(this.anchorsDir, { recursive: true, mode: 0o755 })
          await copyFile(tmp, dest)
          await chmod(dest, 0o644)
        }),
      )
      if (failure) return failure
    } else {
      if (!this.elevator) return this.needsAdmin()
      const result = await this.elevator.run('/bin/sh', [
        '-c',
        ELEVATED_INSTALL,
        'certdesk-install',
        root.pem,
        dest,
        this.refresh.file,
        ...this.refresh.args,
      ])
      if (result.code !== 0)
        return this.failed(
          `Installing with ${this.elevator.method} failed (cancelled, or ${this.refresh.file} failed); the anchor was not kept.`,
          result,
        )
    }
    return this.recheck(fp, 'installed', `Added ${dest} and refreshed the system bundle.`)
  }

  /**
   * Changes the anchors folder (writable without elevation) and refreshes the bundle; if the refresh
   * fails, the folder is put back as it was. Returns the failure, or null when it worked.
   */
  private async changeAnchorsAndRefresh(change: () => Promise<void>): Promise<StoreOutcome | null> {
    const snapshot = await snapshotDir(this.anchorsDir)
    await change()
    const result = await this.runRefresh()
    if (result.code === 0) return null
    await restoreDir(this.anchorsDir, snapshot)
    return this.failed(`${this.refresh!.file} failed; the anchors folder was restored to its previous state.`, result)
  }

  async remove(fp: Fingerprint): Promise<StoreOutcome> {
    if (!this.refresh) return this.toolMissing()
    const present = findIn(await this.list(), fp)
    if (present.length === 0) return outcome(this, 'not-present', 'Not in this store; nothing changed.')
    // Only anchor files holding exactly this certificate are touched, never one that merely shares a subject or serial.
    const files = (await this.readAnchors()).filter((f) => findIn(f.certs, fp).length > 0)
    if (files.length === 0) {
      return outcome(
        this,
        'failed',
        'This root ships with the distribution, not added locally; certdesk removes only roots added to the anchors folder.',
        {
          hint:
            this.layout.family === 'debian'
              ? 'To distrust a distribution root, prefix its line in /etc/ca-certificates.conf with "!" (or run ' +
                'dpkg-reconfigure ca-certificates) and run update-ca-certificates.'
              : 'To distrust a distribution root, put it in the blocklist folder of your distribution (e.g. ' +
                '/etc/pki/ca-trust/source/blocklist) and refresh.',
        },
      )
    }
    const mixed = files.find((f) => f.certs.length > 1)
    if (mixed) {
      return outcome(this, 'failed', `${mixed.path} holds ${mixed.certs.length} certificates; removing it would also remove the others.`, {
        hint: 'Split that file so the root to remove is alone, then retry.',
      })
    }
    if (await this.checkWritable()) {
      const failure = await this.changeAnchorsAndRefresh(async () => {
        for (const file of files) await rm(file.path, { force: true })
      })
      if (failure) return failure
      for (const file of files)
        await this.runner.run('/bin/sh', ['-c', `${PRUNE_LINKS}\nprune "$1" "$2"`, 'certdesk-prune', this.linksDir, file.path])
    } else {
      if (!this.elevator) return this.needsAdmin()
      for (const file of files) {
        const result = await this.elevator.run('/bin/sh', [
          '-c',
          ELEVATED_REMOVE,
          'certdesk-remove',
          file.path,
          this.linksDir,
          this.refresh.file,
          ...this.refresh.args,
        ])
        if (result.code !== 0)
          return this.failed(
            `Removing ${file.path} with ${this.elevator.method} failed (cancelled, or ${this.refresh.file} failed); it was put back.`,
            result,
          )
      }
    }
    const after = findIn(await this.list(), fp)
    if (after.length > 0)
      return outcome(
        this,
        'failed',
        `Removed ${files.map((f) => f.path).join(', ')} but the root is still listed (${after[0]?.location ?? this.bundlePath}).`,
        { hint: `Run ${this.refresh.file} ${this.refresh.args.join(' ')} by hand and check the output.` },
      )
    return outcome(this, 'removed', `Removed ${files.map((f) => f.path).join(', ')} and refreshed the system bundle.`)
  }

  /** The folder of name and hash links to prune after a removal: Debian's /etc/ssl/certs, '' elsewhere (the tools rebuild theirs). */
  private get linksDir(): string {
    return this.layout.family === 'debian' ? dirname(this.bundlePath) : ''
  }

  private async recheck(fp: Fingerprint, status: StoreOutcome['status'], message: string): Promise<StoreOutcome> {
    const after = findIn(await this.list(), fp)
    if (after.some((e) => e.trust === 'trusted')) return outcome(this, status, message)
    return outcome(this, 'failed', `${this.refresh?.file ?? 'The refresh'} finished but ${this.bundlePath} does not contain the root.`, {
      hint:
        `Check that ${this.anchorsDir} is the folder your distribution reads, then run ` +
        `${this.refresh?.file ?? this.layout.tool} by hand.`,
    })
  }

  private runRefresh(): Promise<RunResult> {
    const refresh = this.refresh as RefreshCommand
    return this.runner.run(refresh.file, refresh.args, { timeoutMs: 120_000 })
  }

  private failed(message: string, result: RunResult): StoreOutcome {
    return outcome(this, 'failed', message, {
      toolOutput: toolMessage(result),
      hint: `Fix what ${this.refresh?.file ?? 'the tool'} reports above, then retry.`,
    })
  }

  private toolMissing(): StoreOutcome {
    return outcome(this, 'failed', `${this.layout.tool} is not installed, so the system bundle cannot be rebuilt.`, {
      hint:
        this.layout.family === 'rhel'
          ? 'Install the ca-certificates package (dnf install ca-certificates).'
          : 'Install the ca-certificates package.',
    })
  }

  private needsAdmin(): StoreOutcome {
    return outcome(this, 'failed', `${this.anchorsDir} is not writable and no administrator prompt is available.`, {
      hint: 'Run certdesk from a terminal with sudo, or install polkit (pkexec).',
    })
  }

  private async checkWritable(): Promise<boolean> {
    let dir = this.anchorsDir
    for (;;) {
      try {
        await access(dir, constants.W_OK)
        this.writable = true
        return true
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(dir) === dir) break
        dir = dirname(dir)
      }
    }
    this.writable = false
    return false
  }

  private async readAnchors(): Promise<AnchorFile[]> {
    const files = await walk(this.anchorsDir)
    const out: AnchorFile[] = []
    for (const path of files) {
      const bytes = await readFile(path).catch(ifMissing(null))
      if (!bytes) continue
      const certs: StoredCert[] = []
      for (const der of certificatesInFile(bytes)) {
        const entry = entryFromDer(der, { trust: 'trusted', origin: 'local', location: path })
        if (entry) certs.push(entry)
      }
      if (certs.length) out.push({ path, certs })
    }
    return out
  }
}

function ifMissing<T>(value: T): (error: unknown) => T {
  return (error) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return value
    throw error
  }
}

/** Regular files under `dir`, following symlinks as the refresh tools do (`find -L`). */
async function walk(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(ifMissing([] as string[]))
  const out: string[] = []
  for (const name of names.sort()) {
    const path = join(dir, name)
    const info = await stat(path).catch(() => null)
    if (info?.isDirectory()) out.push(...(await walk(path)))
    else if (info?.isFile()) out.push(path)
  }
  return out
}

async function snapshotDir(dir: string): Promise<Snapshot> {
  const snap: Snapshot = new Map()
  for (const path of await walk(dir)) snap.set(relative(dir, path), await readFile(path))
  return snap
}

/** Puts the folder back exactly: files added since are removed, removed or changed ones rewritten. */
async function restoreDir(dir: string, snap: Snapshot): Promise<void> {
  for (const path of await walk(dir)) if (!snap.has(relative(dir, path))) await rm(path, { force: true })
  for (const [rel, bytes] of snap) {
    const path = join(dir, rel)
    const current = await readFile(path).catch(() => null)
    if (current && current.equals(bytes)) continue
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, bytes, { mode: 0o644 })
  }
}

/**
 * Reads the Linux system store's bundle as a CA list for a TLS handshake, or undefined when the
 * stores hold no Linux system store (macOS, Windows).
 */
export function systemBundleReader(stores: readonly TrustStore[]): (() => string[]) | undefined {
  const system = stores.find((s): s is LinuxSystemStore => s instanceof LinuxSystemStore)
  if (!system) return undefined
  return () => {
    try {
      return [readFileSync(system.bundlePath, 'latin1')]
    } catch {
      // No bundle yet: nothing is trusted, which is what the handshake should then say.
      return []
    }
  }
}
