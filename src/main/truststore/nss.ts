/**
 * One NSS database (a Firefox profile or Chrome/Chromium's ~/.pki/nssdb), driven by certutil.
 * NSS keys certificates by nickname, so every change is matched by fingerprint first: list the
 * nicknames, export each to DER, compare SHA-256; delete by nickname, then re-check that exactly
 * the target vanished (certificates sharing a subject share a nickname).
 */
import { createRequire } from 'node:module'
import type * as NodeSqlite from 'node:sqlite'
import { join } from 'node:path'
import { pool } from '../concurrency'
import type { StoreDescription, StoreOutcome } from '../../shared/truststore-model'
import { commonName, entriesFromPemText, type RootCertificate, type StoredCert, derToPem } from './certificates'
import { withPrivateTempFile } from './elevate'
import { toolMessage, type CommandRunner, type RunResult } from './exec'
import type { Fingerprint } from './fingerprint'
import type { NssDatabase } from './nss-discovery'
import { findIn, outcome, sha256Of, type TrustStore } from './types'

export interface NssListLine {
  nickname: string
  /** `SSL,S/MIME,JAR` flags, e.g. `C,,` or `CT,C,C`. */
  flags: string
}

const CKO_CERTIFICATE = '00000001'

/**
 * The certificates in an NSS sql database (cert9.db is SQLite: table nssPublic, CKA_CLASS in a0,
 * CKA_LABEL in a3, CKA_VALUE in a11), keyed by label — what certutil would export one process at a
 * time. Read-only; null when the database cannot be read this way (then certutil is used).
 */
export function readCertificatesByLabel(dir: string): Map<string, Uint8Array[]> | null {
  try {
    // Loaded on use: a runtime without node:sqlite simply falls back to certutil.
    const { DatabaseSync } = createRequire(import.meta.url)('node:sqlite') as typeof NodeSqlite
    const db = new DatabaseSync(join(dir, 'cert9.db'), { readOnly: true })
    try {
      const byLabel = new Map<string, Uint8Array[]>()
      for (const row of db.prepare('SELECT a0, a3, a11 FROM nssPublic').all()) {
        const { a0, a3, a11 } = row as { a0: Uint8Array | null; a3: Uint8Array | null; a11: Uint8Array | null }
        if (!a0 || !a3 || !a11 || Buffer.from(a0).toString('hex') !== CKO_CERTIFICATE) continue
        const label = Buffer.from(a3).toString('utf8')
        byLabel.set(label, [...(byLabel.get(label) ?? []), new Uint8Array(a11)])
      }
      return byLabel
    } finally {
      db.close()
    }
  } catch {
    return null
  }
}

/** The table printed by `certutil -L -d sql:DIR`. */
export function parseCertutilList(stdout: string): NssListLine[] {
  const out: NssListLine[] = []
  for (const line of stdout.split('\n')) {
    const m = /^(.*?)\s+([A-Za-z]*,[A-Za-z]*,[A-Za-z]*)\s*$/.exec(line)
    if (!m?.[1] || m[2] === undefined || /^Certificate Nickname\b/.test(m[1]) || m[1].trim() === 'SSL,S/MIME,JAR/XPI') continue
    out.push({ nickname: m[1].trim(), flags: m[2] })
  }
  return out
}

/** Trusted as a TLS root: the SSL field has C (trusted CA) and no p (prohibited). */
export function sslTrusted(flags: string): boolean {
  const ssl = flags.split(',')[0] ?? ''
  return ssl.includes('C') && !ssl.includes('p')
}

export const NSS_TRUST_FLAGS = 'C,,'

export class NssStore implements TrustStore {
  readonly id: string
  constructor(
    readonly db: NssDatabase,
    private readonly runner: CommandRunner,
    private readonly certutil: string | null = 'certutil',
  ) {
    this.id = `nss:${db.dir}`
  }

  private get sqlDir(): string {
    return `sql:${this.db.dir}`
  }

  describe(): StoreDescription {
    return {
      id: this.id,
      kind: 'nss',
      label: this.db.label,
      location: this.db.dir,
      needsElevation: false,
      tool: 'certutil',
      available: this.certutil !== null,
      ...(this.certutil ? {} : { note: 'certutil is not installed (libnss3-tools / nss-tools / mozilla-nss-tools / brew install nss).' }),
    }
  }

  private certutilRun(args: string[]): Promise<RunResult> {
    return this.runner.run(this.certutil ?? 'certutil', args, { timeoutMs: 30_000 })
  }

  async list(): Promise<StoredCert[]> {
    if (!this.certutil) throw new Error('certutil is not installed')
    const listed = await this.certutilRun(['-L', '-d', this.sqlDir])
    if (listed.code !== 0) throw new Error(`certutil -L failed: ${toolMessage(listed)}`)
    // u,u,u marks the user's own certificates (with keys): client identities, not roots.
    const lines = parseCertutilList(listed.stdout).filter((line) => !line.flags.includes('u'))
    // certutil exports one nickname per process; read the certificates straight from cert9.db when
    // possible (one query), else run a few certutil exports at once. Either way, keep list order.
    const direct = readCertificatesByLabel(this.db.dir)
    const exports: Array<RunResult | undefined> = []
    await pool(lines, 6, undefined, async (line, index) => {
      const ders = direct?.get(line.nickname)
      exports[index] = ders?.length
        ? { code: 0, stdout: ders.map((der) => derToPem(der)).join(''), stderr: '' }
        : await this.certutilRun(['-L', '-d', this.sqlDir, '-n', line.nickname, '-a'])
    })
    const out: StoredCert[] = []
    const seen = new Set<string>()
    for (const [index, line] of lines.entries()) {
      const exported = exports[index]
      if (!exported || exported.code !== 0) continue
      for (const entry of entriesFromPemText(exported.stdout, { trust: sslTrusted(line.flags) ? 'trusted' : 'present-not-trusted', origin: 'local', location: line.nickname })) {
        if (seen.has(entry.sha256 ?? '')) continue
        seen.add(entry.sha256 ?? '')
        if (entry.trust === 'present-not-trusted') entry.note = `NSS trust flags "${line.flags}" do not include C for TLS servers.`
        out.push(entry)
      }
    }
    return out
  }

  async find(fp: Fingerprint): Promise<StoredCert[]> {
    return findIn(await this.list(), fp)
  }

  async install(root: RootCertificate): Promise<StoreOutcome> {
    if (!this.certutil) return this.missingTool()
    const fp = sha256Of(root)
    let before: StoredCert[]
    try {
      before = findIn(await this.list(), fp)
    } catch (error) {
      return this.unreadable(error)
    }
    if (before.some((e) => e.trust === 'trusted')) return outcome(this, 'already-present', `Already trusted as "${before[0]?.location}"; nothing changed.`)
    let result: RunResult
    if (before[0]?.location) {
      // Present without TLS trust: set the flags instead of adding a second copy.
      result = await this.certutilRun(['-M', '-d', this.sqlDir, '-n', before[0].location, '-t', NSS_TRUST_FLAGS])
    } else {
      const nickname = `${commonName(root.summary.subject)} (certdesk ${root.summary.sha256.slice(0, 8)})`
      result = await withPrivateTempFile(root.pem, 'root.pem', (tmp) => this.certutilRun(['-A', '-d', this.sqlDir, '-t', NSS_TRUST_FLAGS, '-n', nickname, '-i', tmp]))
    }
    if (result.code !== 0) return this.failed('certutil could not add the root.', result)
    const after = findIn(await this.list(), fp)
    if (!after.some((e) => e.trust === 'trusted')) return outcome(this, 'failed', 'certutil reported success but the root is not trusted in this database.', { hint: 'Close Firefox/Chrome (it may hold the database) and retry.' })
    return outcome(this, 'installed', before[0] ? `Set trust "${NSS_TRUST_FLAGS}" on "${before[0].location}".` : `Added as "${after[0]?.location}" with trust "${NSS_TRUST_FLAGS}".`)
  }

  async remove(fp: Fingerprint): Promise<StoreOutcome> {
    if (!this.certutil) return this.missingTool()
    let before: StoredCert[]
    try {
      before = await this.list()
    } catch (error) {
      return this.unreadable(error)
    }
    const targets = findIn(before, fp)
    if (targets.length === 0) return outcome(this, 'not-present', 'Not in this database; nothing changed.')
    const others = before.filter((e) => !findIn([e], fp).length)
    const nickname = targets[0]?.location ?? ''
    // `certutil -D -n` removes one certificate holding that nickname; repeat until the target is gone.
    let current = before
    for (let attempt = 0; attempt <= before.length && findIn(current, fp).length > 0; attempt++) {
      const result = await this.certutilRun(['-D', '-d', this.sqlDir, '-n', findIn(current, fp)[0]?.location ?? nickname])
      if (result.code !== 0) return this.failed('certutil could not delete the root.', result)
      current = await this.list()
      await this.restoreCollateral(others, current)
      current = await this.list()
    }
    if (findIn(current, fp).length > 0) return outcome(this, 'failed', `The root is still present after deleting "${nickname}".`, { hint: 'Close Firefox/Chrome and remove it in Settings → Certificates → Authorities.' })
    const lost = others.filter((o) => !current.some((c) => c.sha256 === o.sha256))
    if (lost.length) return outcome(this, 'failed', `Removed the root, but ${lost.length} other certificate(s) sharing its nickname could not be put back.`, { hint: `Re-import: ${lost.map((l) => l.subject).join('; ')}` })
    return outcome(this, 'removed', `Deleted "${nickname}".`)
  }

  /** NSS deletes by nickname; a different certificate that shared it is re-added with its old trust. */
  private async restoreCollateral(others: StoredCert[], current: StoredCert[]): Promise<void> {
    for (const other of others) {
      if (!other.der || current.some((c) => c.sha256 === other.sha256)) continue
      const flags = other.trust === 'trusted' ? NSS_TRUST_FLAGS : ',,'
      await withPrivateTempFile(derToPem(other.der), 'restore.pem', (tmp) => this.certutilRun(['-A', '-d', this.sqlDir, '-t', flags, '-n', other.location ?? commonName(other.subject), '-i', tmp]))
    }
  }

  private failed(message: string, result: RunResult): StoreOutcome {
    const text = toolMessage(result)
    let hint = 'Close Firefox/Chrome (they lock the database) and retry.'
    if (/REUSED_ISSUER_AND_SERIAL/.test(text)) hint = 'This database already holds a different certificate with the same issuer and serial number; NSS cannot keep both. Remove that one first or reissue the root with a new serial.'
    else if (/BAD_DATABASE|PR_FILE_NOT_FOUND/.test(text)) hint = 'The profile database is missing or damaged; start Firefox once to create it.'
    return outcome(this, 'failed', message, { toolOutput: text, hint })
  }

  private missingTool(): StoreOutcome {
    return outcome(this, 'failed', 'certutil is not installed, so NSS databases cannot be changed.', { hint: 'Install libnss3-tools (Debian/Ubuntu), nss-tools (RHEL/Fedora), mozilla-nss-tools (SUSE) or `brew install nss`.' })
  }

  private unreadable(error: unknown): StoreOutcome {
    return outcome(this, 'failed', `This database could not be read: ${(error as Error).message}`, { hint: 'Close Firefox/Chrome and retry; if the profile was never opened, start Firefox once.' })
  }
}
