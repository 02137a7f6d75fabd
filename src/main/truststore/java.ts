/**
 * The Java cacerts keystore: optional, shown when a JDK is found (JAVA_HOME, else `java` on PATH).
 * Java ignores the OS store, so a root trusted everywhere else can still fail in Java tools.
 * Driven by keytool with the well-known default store password `changeit` (not a secret).
 */
import { constants, existsSync, realpathSync } from 'node:fs'
import { access } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { StoreDescription, StoreOutcome } from '../../shared/truststore-model'
import { commonName, entriesFromPemText, slug, type RootCertificate, type StoredCert } from './certificates'
import { rootPemScript, withPrivateTempFile, type Elevator } from './elevate'
import { findExecutable, toolMessage, type CommandRunner, type RunResult } from './exec'
import type { Fingerprint } from '../certs/fingerprint'
import { findIn, outcome, sha256Of, ListedStore } from './types'

export const JAVA_STOREPASS = 'changeit'

export interface JavaInstall {
  javaHome: string
  cacerts: string
  keytool: string
  source: 'JAVA_HOME' | 'PATH'
}

/** JAVA_HOME first, else the real location of `java` on PATH (…/bin/java → JDK home). */
export function detectJava(env: NodeJS.ProcessEnv): JavaInstall | null {
  const candidates: Array<{ home: string; source: JavaInstall['source'] }> = []
  if (env['JAVA_HOME']) candidates.push({ home: env['JAVA_HOME'], source: 'JAVA_HOME' })
  const java = findExecutable('java', env['PATH'], [])
  if (java) {
    try {
      candidates.push({ home: dirname(dirname(realpathSync(java))), source: 'PATH' })
    } catch {
      // a dangling symlink: no JDK there
    }
  }
  for (const { home, source } of candidates) {
    const cacerts = [join(home, 'lib', 'security', 'cacerts'), join(home, 'jre', 'lib', 'security', 'cacerts')].find((p) => existsSync(p))
    if (!cacerts) continue
    const keytool =
      [join(home, 'bin', 'keytool'), join(home, 'bin', 'keytool.exe')].find((p) => existsSync(p)) ??
      findExecutable('keytool', env['PATH'], [])
    if (keytool) return { javaHome: home, cacerts, keytool, source }
  }
  return null
}

/** The alias Certdesk imports a root under: its name and the start of its SHA-256 (one root, one alias). */
export const certdeskAlias = (root: { subject: string; sha256: string }): string =>
  `certdesk-${slug(commonName(root.subject)).toLowerCase()}-${root.sha256.slice(0, 8).toLowerCase()}`

/** `keytool -list -rfc`: `Alias name: X` then the entry's PEM. */
export function parseKeytoolList(stdout: string): Array<{ alias: string; pem: string }> {
  const out: Array<{ alias: string; pem: string }> = []
  for (const block of stdout.split(/^Alias name:\s*/m).slice(1)) {
    const alias = block.split(/\r?\n/, 1)[0]?.trim() ?? ''
    out.push({ alias, pem: block })
  }
  return out
}

export class JavaStore extends ListedStore {
  readonly id = 'java-cacerts'
  private writable: boolean | undefined

  constructor(
    readonly java: JavaInstall,
    private readonly runner: CommandRunner,
    private readonly elevator: Elevator | null = null,
  ) {
    super()
  }

  describe(): StoreDescription {
    return {
      id: this.id,
      kind: 'java',
      label: `Java cacerts (${this.java.source === 'JAVA_HOME' ? 'JAVA_HOME' : 'java on PATH'})`,
      location: this.java.cacerts,
      needsElevation: this.writable === false,
      tool: 'keytool',
      available: true,
    }
  }

  private keytool(args: string[], elevated = false): Promise<RunResult> {
    const full = [...args, '-keystore', this.java.cacerts, '-storepass', JAVA_STOREPASS]
    if (elevated && this.elevator) return this.elevator.run(this.java.keytool, full, { timeoutMs: 120_000 })
    return this.runner.run(this.java.keytool, full, { timeoutMs: 120_000 })
  }

  /**
   * keytool as root on POSIX: the PEM is an argument, written by root into its own folder, so the
   * elevated keytool never reads a file in a folder the user owns (one that could be swapped while the
   * password prompt is open). UAC has no such script; Windows keeps the private temp file.
   */
  private elevatedImport(pem: string, args: string[], elevator: Elevator): Promise<RunResult> {
    const script = rootPemScript(['"$@" -file "$work/root.pem"'])
    const full = [...args, '-keystore', this.java.cacerts, '-storepass', JAVA_STOREPASS]
    return elevator.run('/bin/sh', ['-c', script, 'certdesk-java-import', pem, this.java.keytool, ...full], { timeoutMs: 120_000 })
  }

  private async canWrite(): Promise<boolean> {
    try {
      await access(this.java.cacerts, constants.W_OK)
      this.writable = true
    } catch {
      this.writable = false
    }
    return this.writable
  }

  async list(): Promise<StoredCert[]> {
    await this.canWrite()
    const result = await this.keytool(['-list', '-rfc'])
    if (result.code !== 0) throw new Error(`keytool -list failed: ${toolMessage(result)}`)
    const out: StoredCert[] = []
    for (const { alias, pem } of parseKeytoolList(result.stdout)) {
      out.push(
        ...entriesFromPemText(pem, { trust: 'trusted', origin: alias.startsWith('certdesk-') ? 'local' : 'distro', location: alias }),
      )
    }
    return out
  }

  async install(root: RootCertificate): Promise<StoreOutcome> {
    const fp = sha256Of(root)
    const before = findIn(await this.list(), fp)
    if (before.length) return outcome(this, 'already-present', `Already in cacerts as "${before[0]?.location}"; nothing changed.`)
    const alias = certdeskAlias(root.summary)
    const elevated = !(await this.canWrite())
    if (elevated && !this.elevator)
      return outcome(this, 'failed', `${this.java.cacerts} is not writable.`, {
        hint: 'Run with administrator rights, or point JAVA_HOME at a JDK you own.',
      })
    const importArgs = ['-importcert', '-noprompt', '-alias', alias]
    const result =
      elevated && this.elevator && this.elevator.method !== 'uac'
        ? await this.elevatedImport(root.pem, importArgs, this.elevator)
        : await withPrivateTempFile(root.pem, 'root.pem', (tmp) => this.keytool([...importArgs, '-file', tmp], elevated))
    if (result.code !== 0)
      return outcome(this, 'failed', 'keytool -importcert failed.', {
        toolOutput: toolMessage(result),
        hint: 'Check that the keystore password is the default (changeit) and the file is writable.',
      })
    if (!findIn(await this.list(), fp).length)
      return outcome(this, 'failed', 'keytool finished but the root is not in cacerts.', {
        hint: `Run keytool -list -keystore ${this.java.cacerts} by hand.`,
      })
    return outcome(this, 'installed', `Imported into ${this.java.cacerts} as "${alias}".`)
  }

  async remove(fp: Fingerprint): Promise<StoreOutcome> {
    const targets = findIn(await this.list(), fp)
    if (!targets.length) return outcome(this, 'not-present', 'Not in cacerts; nothing changed.')
    const elevated = !(await this.canWrite())
    if (elevated && !this.elevator)
      return outcome(this, 'failed', `${this.java.cacerts} is not writable.`, { hint: 'Run with administrator rights.' })
    for (const target of targets) {
      const result = await this.keytool(['-delete', '-alias', target.location ?? ''], elevated)
      if (result.code !== 0)
        return outcome(this, 'failed', `keytool -delete of "${target.location}" failed.`, {
          toolOutput: toolMessage(result),
          hint: 'Check that the keystore is writable.',
        })
    }
    if (findIn(await this.list(), fp).length)
      return outcome(this, 'failed', 'The root is still in cacerts after deletion.', {
        hint: `Run keytool -list -v -keystore ${this.java.cacerts} and delete it by alias.`,
      })
    return outcome(this, 'removed', `Deleted alias ${targets.map((t) => `"${t.location}"`).join(', ')} from ${this.java.cacerts}.`)
  }
}
