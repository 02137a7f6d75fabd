/**
 * One NSS database (a Firefox profile or Chrome/Chromium's ~/.pki/nssdb), driven by certutil.
 * NSS keys certificates by nickname, so every change is matched by fingerprint first: list the
 * nicknames, export each to DER, compare SHA-256. Certificates sharing a subject (a re-keyed root)
 * share a nickname but not their trust: trust is read per certificate, and a change to one of them
 * rewrites the nickname (delete all, re-add each with its own flags), then re-checks the result.
 */
import { createRequire } from 'node:module'
import type * as NodeSqlite from 'node:sqlite'
import { join } from 'node:path'
import { pool } from '../concurrency'
import type { StoreDescription, StoreOutcome } from '../../shared/truststore-model'
import { commonName, entriesFromPemText, type RootCertificate, type StoredCert, derToPem } from './certificates'
import { withPrivateTempFile } from './elevate'
import { toolMessage, type CommandRunner, type RunResult } from './exec'
import { fingerprintHex, type Fingerprint } from '../certs/fingerprint'
import type { NssDatabase } from './nss-discovery'
import { findIn, outcome, sha256Of, ListedStore } from './types'

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

/** certutil's words for trust bits (secutil.c printFlags) → the letters of `-t` (certdb.c EncodeFlags). */
function encodeTrustWords(words: readonly string[]): string {
  const has = (w: string) => words.includes(w)
  let out = ''
  if (has('Valid CA') && !has('Trusted CA') && !has('Trusted Client CA')) out += 'c'
  if (has('Terminal Record') && !has('Trusted')) out += 'p'
  if (has('Trusted CA')) out += 'C'
  if (has('Trusted Client CA')) out += 'T'
  if (has('Trusted')) out += 'P'
  if (has('User')) out += 'u'
  if (has('Warn When Sending')) out += 'w'
  if (has('Step-up')) out += 'G'
  return out
}

/**
 * The per-certificate trust in `certutil -L -d DIR -n NICK` (pretty print: one `Certificate:` block
 * per certificate holding that nickname, each with its SHA-256 and its own trust flags), keyed by
 * uppercase SHA-256 hex. The one-line table cannot say which flags belong to which certificate.
 */
export function parseCertutilDetails(stdout: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const block of stdout.split(/^Certificate:\s*$/m).slice(1)) {
    const sha = /Fingerprint \(SHA-256\):\s*\n\s*([0-9A-Fa-f:]+)/.exec(block)?.[1]
    const trust = /Certificate Trust Flags:\s*\n([\s\S]*)$/.exec(block)?.[1]
    if (!sha || trust === undefined) continue
    const fields: string[][] = []
    for (const line of trust.split('\n')) {
      if (/^\s*(SSL|Email|Object Signing) Flags:\s*$/.test(line)) fields.push([])
      else if (line.trim() && fields.length) fields[fields.length - 1]?.push(line.trim())
    }
    if (fields.length !== 3) continue
    out.set(fingerprintHex(sha), fields.map(encodeTrustWords).join(','))
  }
  return out
}

interface NssCert {
  entry: StoredCert
  nickname: string
  /** This certificate's own `SSL,S/MIME,JAR` flags. */
  flags: string
}

export class NssStore extends ListedStore {
  readonly id: string
  constructor(
    readonly db: NssDatabase,
    private readonly runner: CommandRunner,
    private readonly certutil: string | null = 'certutil',
  ) {
    super()
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
    return (await this.certificates()).filter((c) => !c.flags.includes('u')).map((c) => c.entry)
  }

  /** Every certificate with its nickname and its own trust flags, in list order, once each. */
  private async certificates(): Promise<NssCert[]> {
    if (!this.certutil) throw new Error('certutil is not installed')
    const listed = await this.certutilRun(['-L', '-d', this.sqlDir])
    if (listed.code !== 0) throw new Error(`certutil -L failed: ${toolMessage(listed)}`)
    const lines = parseCertutilList(listed.stdout)
    const flagsOf = new Map<string, string[]>()
    for (const line of lines) flagsOf.set(line.nickname, [...(flagsOf.get(line.nickname) ?? []), line.flags.trim()])
    const nicknames = [...flagsOf.keys()]
    // certutil exports one nickname per process; read the certificates straight from cert9.db when
    // possible (one query), else run a few certutil exports at once. A nickname held by several
    // certificates also needs their trust one by one (one more certutil run for that nickname only).
    const direct = readCertificatesByLabel(this.db.dir)
    const exports: Array<RunResult | undefined> = []
    const shared: Array<Map<string, string> | undefined> = []
    await pool(nicknames, 6, undefined, async (nickname, index) => {
      const ders = direct?.get(nickname)
      exports[index] = ders?.length
        ? { code: 0, stdout: ders.map((der) => derToPem(der)).join(''), stderr: '' }
        : await this.certutilRun(['-L', '-d', this.sqlDir, '-n', nickname, '-a'])
      if ((flagsOf.get(nickname)?.length ?? 0) > 1) {
        const details = await this.certutilRun(['-L', '-d', this.sqlDir, '-n', nickname])
        shared[index] = details.code === 0 ? parseCertutilDetails(details.stdout) : new Map()
      }
    })
    const out: NssCert[] = []
    const seen = new Set<string>()
    for (const [index, nickname] of nicknames.entries()) {
      const exported = exports[index]
      if (!exported || exported.code !== 0) continue
      const perCert = shared[index]
      for (const entry of entriesFromPemText(exported.stdout, { trust: 'present-not-trusted', origin: 'local', location: nickname })) {
        const key = entry.sha256 ?? entry.sha1
        if (seen.has(key)) continue
        seen.add(key)
        // Unknown trust (the per-certificate read failed) is never taken for trust.
        const flags = perCert ? (perCert.get(entry.sha256 ?? '') ?? ',,') : (flagsOf.get(nickname)?.[0] ?? ',,')
        if (sslTrusted(flags)) entry.trust = 'trusted'
        else entry.note = `NSS trust flags "${flags}" do not include C for TLS servers.`
        out.push({ entry, nickname, flags })
      }
    }
    return out
  }

  async install(root: RootCertificate): Promise<StoreOutcome> {
    if (!this.certutil) return this.missingTool()
    const fp = sha256Of(root)
    let all: NssCert[]
    try {
      all = await this.certificates()
    } catch (error) {
      return this.unreadable(error)
    }
    const before = all.filter((c) => findIn([c.entry], fp).length > 0)
    const present = before[0]
    if (before.some((c) => c.entry.trust === 'trusted'))
      return outcome(this, 'already-present', `Already trusted as "${present?.nickname}"; nothing changed.`)
    let result: RunResult
    if (present) {
      // Present without TLS trust: set the flags on this certificate instead of adding a second copy.
      const sharing = all.filter((c) => c.nickname === present.nickname)
      if (sharing.length > 1 && sharing.some((c) => c.flags.includes('u'))) return this.sharesWithOwnCertificate(present.nickname)
      result =
        sharing.length > 1
          ? await this.rewriteNickname(
              present.nickname,
              sharing,
              sharing.map((c) => (c === present ? { ...c, flags: NSS_TRUST_FLAGS } : c)),
            )
          : await this.certutilRun(['-M', '-d', this.sqlDir, '-n', present.nickname, '-t', NSS_TRUST_FLAGS])
    } else {
      const nickname = `${commonName(root.summary.subject)} (certdesk ${root.summary.sha256.slice(0, 8)})`
      result = await withPrivateTempFile(root.pem, 'root.pem', (tmp) =>
        this.certutilRun(['-A', '-d', this.sqlDir, '-t', NSS_TRUST_FLAGS, '-n', nickname, '-i', tmp]),
      )
    }
    if (result.code !== 0) return this.failed('certutil could not add the root.', result)
    const after = findIn(await this.list(), fp)
    if (!after.some((e) => e.trust === 'trusted'))
      return outcome(this, 'failed', 'certutil reported success but the root is not trusted in this database.', {
        hint: 'Close Firefox/Chrome (it may hold the database) and retry.',
      })
    return outcome(
      this,
      'installed',
      present
        ? `Set trust "${NSS_TRUST_FLAGS}" on "${present.nickname}".`
        : `Added as "${after[0]?.location}" with trust "${NSS_TRUST_FLAGS}".`,
    )
  }

  async remove(fp: Fingerprint): Promise<StoreOutcome> {
    if (!this.certutil) return this.missingTool()
    let before: NssCert[]
    try {
      before = await this.certificates()
    } catch (error) {
      return this.unreadable(error)
    }
    const targets = before.filter((c) => !c.flags.includes('u') && findIn([c.entry], fp).length > 0)
    if (targets.length === 0) return outcome(this, 'not-present', 'Not in this database; nothing changed.')
    const nicknames = [...new Set(targets.map((t) => t.nickname))]
    const sharing = before.filter((c) => nicknames.includes(c.nickname))
    const keep = sharing.filter((c) => !targets.includes(c))
    const own = keep.find((c) => c.flags.includes('u'))
    if (own) return this.sharesWithOwnCertificate(own.nickname)
    for (const nickname of nicknames) {
      const result = await this.rewriteNickname(
        nickname,
        sharing.filter((c) => c.nickname === nickname),
        keep.filter((c) => c.nickname === nickname),
      )
      if (result.code !== 0) return this.failed('certutil could not delete the root.', result)
    }
    const after = await this.certificates()
    if (after.some((c) => findIn([c.entry], fp).length > 0))
      return outcome(this, 'failed', `The root is still present after deleting "${nicknames.join('", "')}".`, {
        hint: 'Close Firefox/Chrome and remove it in Settings → Certificates → Authorities.',
      })
    const lost = keep.filter((k) => !after.some((c) => c.entry.sha256 === k.entry.sha256 && c.flags === k.flags))
    if (lost.length) {
      return outcome(
        this,
        'failed',
        `Removed the root, but ${lost.length} other certificate(s) sharing its nickname could not be put back with their trust.`,
        {
          hint: `Re-import with certutil -A -t: ${lost.map((l) => `${l.entry.subject} (${l.flags})`).join('; ')}`,
        },
      )
    }
    return outcome(
      this,
      'removed',
      `Deleted "${nicknames.join('", "')}"` +
        (keep.length ? `; ${keep.length} other certificate(s) under that nickname kept their trust` : '') +
        '.',
    )
  }

  /**
   * `certutil -D/-M -n` picks one certificate of a nickname, not necessarily the one meant. So a
   * shared nickname is rewritten whole: delete every certificate under it, then re-add each wanted
   * one with its own flags. Returns the first failing run, or a success.
   */
  private async rewriteNickname(nickname: string, current: readonly NssCert[], wanted: readonly NssCert[]): Promise<RunResult> {
    for (let n = 0; n < current.length; n++) {
      const result = await this.certutilRun(['-D', '-d', this.sqlDir, '-n', nickname])
      if (result.code !== 0) return result
    }
    for (const cert of wanted) {
      if (!cert.entry.der) continue
      const result = await withPrivateTempFile(derToPem(cert.entry.der), 'restore.pem', (tmp) =>
        this.certutilRun(['-A', '-d', this.sqlDir, '-t', cert.flags, '-n', nickname, '-i', tmp]),
      )
      if (result.code !== 0) return result
    }
    return { code: 0, stdout: '', stderr: '' }
  }

  /** A nickname shared with the user's own certificate (with a key) is never rewritten: nothing changes. */
  private sharesWithOwnCertificate(nickname: string): StoreOutcome {
    return outcome(
      this,
      'failed',
      `The root shares the nickname "${nickname}" with one of your own certificates (with a private key); nothing changed.`,
      {
        hint: 'Change it in Firefox/Chrome: Settings → Certificates → Authorities.',
      },
    )
  }

  private failed(message: string, result: RunResult): StoreOutcome {
    const text = toolMessage(result)
    let hint = 'Close Firefox/Chrome (they lock the database) and retry.'
    if (/REUSED_ISSUER_AND_SERIAL/.test(text))
      hint =
        'This database already holds a different certificate with the same issuer and serial number; NSS cannot keep both. ' +
        'Remove that one first or reissue the root with a new serial.'
    else if (/BAD_DATABASE|PR_FILE_NOT_FOUND/.test(text))
      hint = 'The profile database is missing or damaged; start Firefox once to create it.'
    return outcome(this, 'failed', message, { toolOutput: text, hint })
  }

  private missingTool(): StoreOutcome {
    return outcome(this, 'failed', 'certutil is not installed, so NSS databases cannot be changed.', {
      hint: 'Install libnss3-tools (Debian/Ubuntu), nss-tools (RHEL/Fedora), mozilla-nss-tools (SUSE) or `brew install nss`.',
    })
  }

  private unreadable(error: unknown): StoreOutcome {
    return outcome(this, 'failed', `This database could not be read: ${(error as Error).message}`, {
      hint: 'Close Firefox/Chrome and retry; if the profile was never opened, start Firefox once.',
    })
  }
}
