/**
 * macOS keychains. Presence is not trust: a root in System.keychain or the login keychain is
 * trusted only through trust settings (admin domain `-d`, or the user domain), which
 * `security trust-settings-export` gives as a plist keyed by SHA-1. Apple's own roots
 * (SystemRootCertificates.keychain) are trusted unless a setting denies them. Installing for all
 * users goes through an osascript administrator dialog; the login keychain needs no admin.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { StoreDescription, StoreOutcome } from '../../shared/truststore-model'
import { derToPem, entryFromDer, splitPemCertificates, type RootCertificate, type StoredCert } from './certificates'
import { osascriptArgs, rootPemScript, withPrivateTempFile } from './elevate'
import { toolMessage, type CommandRunner, type RunResult } from './exec'
import { fingerprintHex, type Fingerprint } from '../certs/fingerprint'
import { parsePlist, type PlistValue } from './plist'
import { findIn, outcome, sha256Of, ListedStore } from './types'

export const SECURITY = '/usr/bin/security'
export const OSASCRIPT = '/usr/bin/osascript'
export const SYSTEM_ROOTS_KEYCHAIN = '/System/Library/Keychains/SystemRootCertificates.keychain'
export const SYSTEM_KEYCHAIN = '/Library/Keychains/System.keychain'

export interface SecurityRecord {
  sha256?: string
  sha1?: string
  der: Buffer
}

/** `security find-certificate -a -Z -p`: `SHA-256 hash:` / `SHA-1 hash:` lines, then the PEM. */
export function parseFindCertificate(stdout: string): SecurityRecord[] {
  const out: SecurityRecord[] = []
  let pending: { sha256?: string; sha1?: string } = {}
  const lines = stdout.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    const hash = /^SHA-(256|1) hash:\s*([0-9A-Fa-f]+)\s*$/.exec(line)
    if (hash?.[2]) {
      if (hash[1] === '256') pending.sha256 = hash[2].toUpperCase()
      else pending.sha1 = hash[2].toUpperCase()
      continue
    }
    if (line.startsWith('-----BEGIN CERTIFICATE-----')) {
      const start = i
      while (i < lines.length && !(lines[i] ?? '').startsWith('-----END CERTIFICATE-----')) i++
      const [der] = splitPemCertificates(lines.slice(start, i + 1).join('\n'))
      if (der) out.push({ ...pending, der })
      pending = {}
    }
  }
  return out
}

export type TrustDecision = 'trust' | 'deny' | 'unspecified'

/**
 * `trustList` → SHA-1 → decision. An empty trustSettings array means "trust as root for
 * everything"; otherwise the strongest result wins: Deny (3) over TrustRoot/TrustAsRoot (1/2)
 * over Unspecified (4).
 */
export function parseTrustSettings(xml: string): Map<string, TrustDecision> {
  const root = parsePlist(xml) as Record<string, PlistValue>
  const list = (root['trustList'] ?? {}) as Record<string, PlistValue>
  const out = new Map<string, TrustDecision>()
  for (const [sha1, value] of Object.entries(list)) {
    const settings = (value as Record<string, PlistValue>)['trustSettings']
    let decision: TrustDecision = 'trust'
    if (Array.isArray(settings) && settings.length > 0) {
      const results = settings.map((s) => {
        const r = (s as Record<string, PlistValue>)['kSecTrustSettingsResult']
        return typeof r === 'number' ? r : 1 // absent result defaults to TrustRoot
      })
      decision = results.includes(3) ? 'deny' : results.some((r) => r === 1 || r === 2) ? 'trust' : 'unspecified'
    }
    out.set(fingerprintHex(sha1), decision)
  }
  return out
}

export interface DarwinStoreOptions {
  scope: 'system' | 'login'
  runner: CommandRunner
  home: string
}

export class DarwinStore extends ListedStore {
  readonly id: string
  private readonly scope: 'system' | 'login'
  private readonly runner: CommandRunner
  readonly loginKeychain: string

  constructor(options: DarwinStoreOptions) {
    super()
    this.scope = options.scope
    this.runner = options.runner
    this.loginKeychain = join(options.home, 'Library', 'Keychains', 'login.keychain-db')
    this.id = options.scope === 'system' ? 'darwin-system' : 'darwin-login'
  }

  private get keychain(): string {
    return this.scope === 'system' ? SYSTEM_KEYCHAIN : this.loginKeychain
  }

  describe(): StoreDescription {
    return this.scope === 'system'
      ? {
          id: this.id,
          kind: 'system',
          label: 'macOS System keychain (all users)',
          location: SYSTEM_KEYCHAIN,
          needsElevation: true,
          tool: 'security',
          available: true,
        }
      : {
          id: this.id,
          kind: 'system',
          label: 'macOS login keychain (this user)',
          location: this.loginKeychain,
          needsElevation: false,
          tool: 'security',
          available: true,
        }
  }

  /** Admin (`-d`) or user trust settings; "no trust settings" is an empty map, not an error. */
  async trustSettings(domain: 'admin' | 'user'): Promise<Map<string, TrustDecision>> {
    return withPrivateTempFile('', 'placeholder', async (_p, dir) => {
      const file = join(dir, `${domain}-trust.plist`)
      const result = await this.runner.run(SECURITY, ['trust-settings-export', ...(domain === 'admin' ? ['-d'] : []), file])
      if (result.code !== 0) {
        if (/No Trust Settings were found/i.test(`${result.stderr}${result.stdout}`)) return new Map()
        throw new Error(`security trust-settings-export failed: ${toolMessage(result)}`)
      }
      return parseTrustSettings(await readFile(file, 'utf8'))
    })
  }

  private async keychainCerts(keychain: string): Promise<SecurityRecord[]> {
    const result = await this.runner.run(SECURITY, ['find-certificate', '-a', '-Z', '-p', keychain])
    if (result.code !== 0) {
      // An empty keychain makes find-certificate exit non-zero with "could not be found".
      if (/could not be found/i.test(result.stderr)) return []
      throw new Error(`security find-certificate failed for ${keychain}: ${toolMessage(result)}`)
    }
    return parseFindCertificate(result.stdout)
  }

  async list(): Promise<StoredCert[]> {
    const [admin, user] = await Promise.all([
      this.trustSettings('admin'),
      this.scope === 'login' ? this.trustSettings('user') : Promise.resolve(new Map<string, TrustDecision>()),
    ])
    const decide = (sha1: string): TrustDecision => {
      const u = user.get(sha1)
      if (u && u !== 'unspecified') return u
      return admin.get(sha1) ?? 'unspecified'
    }
    const out: StoredCert[] = []
    if (this.scope === 'system') {
      for (const rec of await this.keychainCerts(SYSTEM_ROOTS_KEYCHAIN)) {
        const entry = entryFromDer(rec.der, { trust: 'trusted', origin: 'distro', location: SYSTEM_ROOTS_KEYCHAIN })
        if (!entry) continue
        if (decide(entry.sha1) === 'deny') {
          entry.trust = 'present-not-trusted'
          entry.note = 'Apple root distrusted by a trust setting.'
        }
        out.push(entry)
      }
    }
    for (const rec of await this.keychainCerts(this.keychain)) {
      const entry = entryFromDer(rec.der, { trust: 'present-not-trusted', origin: 'local', location: this.keychain })
      if (!entry) continue
      const decision = decide(entry.sha1)
      if (decision === 'trust') entry.trust = 'trusted'
      else
        entry.note =
          decision === 'deny' ? 'A trust setting marks it "Never Trust".' : 'In the keychain without trust settings: present, not trusted.'
      out.push(entry)
    }
    return out
  }

  /**
   * The System keychain's elevated commands (exposed for tests and for the UI's "what will run"). The
   * PEM is an argument of the admin shell, which writes it into a folder root creates itself
   * (`rootPemScript`): the elevated `security` never reads a file from a folder the user owns.
   */
  installCommand(pem: string): { file: string; args: string[] } {
    const script = rootPemScript(['"$@" "$work/root.pem"'])
    const argv: [string, ...string[]] = [
      '/bin/sh',
      '-c',
      script,
      'certdesk-install',
      pem,
      SECURITY,
      'add-trusted-cert',
      '-d',
      '-r',
      'trustRoot',
      '-k',
      SYSTEM_KEYCHAIN,
    ]
    return { file: OSASCRIPT, args: osascriptArgs([argv], 'Certdesk wants to trust a root certificate for all users.') }
  }

  removeCommand(pem: string, sha1: string, hasTrustSettings: boolean): { file: string; args: string[] } {
    const script = rootPemScript([
      'security=$1; sha1=$2; keychain=$3; trust=$4',
      'if [ "$trust" = 1 ]; then "$security" remove-trusted-cert -d "$work/root.pem" || exit 1; fi',
      '"$security" delete-certificate -Z "$sha1" "$keychain"',
    ])
    const argv: [string, ...string[]] = [
      '/bin/sh',
      '-c',
      script,
      'certdesk-remove',
      pem,
      SECURITY,
      sha1,
      this.keychain,
      hasTrustSettings ? '1' : '0',
    ]
    return { file: OSASCRIPT, args: osascriptArgs([argv], 'Certdesk wants to remove a trusted root certificate for all users.') }
  }

  async install(root: RootCertificate): Promise<StoreOutcome> {
    const fp = sha256Of(root)
    const before = findIn(await this.list(), fp)
    if (before.some((e) => e.trust === 'trusted'))
      return outcome(this, 'already-present', `Already trusted in ${before[0]?.location}; nothing changed.`)
    const result =
      this.scope === 'system'
        ? await this.runner.run(OSASCRIPT, this.installCommand(root.pem).args, { timeoutMs: 300_000 })
        : // The login keychain needs no admin: the user's own private temp file is fine.
          await withPrivateTempFile(root.pem, 'root.pem', (tmp) =>
            this.runner.run(SECURITY, ['add-trusted-cert', '-r', 'trustRoot', '-k', this.loginKeychain, tmp], { timeoutMs: 300_000 }),
          )
    if (result.code !== 0) return this.failed('security add-trusted-cert failed.', result)
    const after = findIn(await this.list(), fp)
    if (!after.some((e) => e.trust === 'trusted')) {
      return outcome(
        this,
        'failed',
        after.length
          ? 'The root was added but macOS does not trust it (present, not trusted).'
          : 'security reported success but the root is not in the keychain.',
        {
          hint: 'Open Keychain Access, double-click the root, and set "When using this certificate" to "Always Trust".',
        },
      )
    }
    return outcome(this, 'installed', `Added to ${this.keychain} and set to always trust.`)
  }

  async remove(fp: Fingerprint): Promise<StoreOutcome> {
    const entries = await this.list()
    const targets = findIn(entries, fp).filter((e) => e.location === this.keychain)
    if (targets.length === 0) {
      if (findIn(entries, fp).length)
        return outcome(this, 'failed', "This is one of Apple's built-in roots, which cannot be removed.", {
          hint: 'To distrust it, open Keychain Access → System Roots and set it to "Never Trust".',
        })
      return outcome(this, 'not-present', 'Not in this keychain; nothing changed.')
    }
    const [admin, user] = await Promise.all([
      this.trustSettings('admin'),
      this.scope === 'login' ? this.trustSettings('user') : Promise.resolve(new Map<string, TrustDecision>()),
    ])
    for (const target of targets) {
      const hasTrust = (this.scope === 'system' ? admin : user).has(target.sha1)
      const pem = derToPem(target.der ?? Buffer.alloc(0))
      if (this.scope === 'system') {
        const { file, args } = this.removeCommand(pem, target.sha1, hasTrust)
        const result = await this.runner.run(file, args, { timeoutMs: 300_000 })
        if (result.code !== 0) return this.failed('security could not remove the root.', result)
        continue
      }
      // The login keychain needs no admin: run the steps one by one, still as argument arrays.
      const result = await withPrivateTempFile(pem, 'root.pem', async (tmp) => {
        if (hasTrust) {
          const r = await this.runner.run(SECURITY, ['remove-trusted-cert', tmp])
          if (r.code !== 0) return r
        }
        return this.runner.run(SECURITY, ['delete-certificate', '-Z', target.sha1, this.keychain])
      })
      if (result.code !== 0) return this.failed('security could not remove the root.', result)
    }
    const after = findIn(await this.list(), fp).filter((e) => e.location === this.keychain)
    if (after.length)
      return outcome(this, 'failed', 'The root is still in the keychain after removal.', {
        hint: 'Remove it in Keychain Access and retry.',
      })
    return outcome(this, 'removed', `Removed from ${this.keychain} with its trust settings.`)
  }

  private failed(message: string, result: RunResult): StoreOutcome {
    const text = toolMessage(result)
    const cancelled = /User canceled|-128/.test(text)
    return outcome(this, 'failed', cancelled ? 'The administrator prompt was cancelled; nothing changed.' : message, {
      toolOutput: text,
      hint: cancelled
        ? 'Retry and enter an administrator password, or install for the current user only.'
        : 'Check the message above; installing for the current user only needs no administrator.',
    })
  }
}
