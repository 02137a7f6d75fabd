/**
 * Windows Root stores: LocalMachine\Root (all users, UAC prompt to change) and
 * CurrentUser\Root (Windows shows its own confirmation). Listing uses PowerShell with JSON
 * output and the raw DER (so SHA-256 can be computed); `certutil -store` is the fallback, which
 * gives only the SHA-1 thumbprint (spaced on older Windows). Changes go by thumbprint, never by
 * serial.
 */
import type { StoreDescription, StoreOutcome } from '../../shared/truststore-model'
import { certFacts, type RootCertificate, type StoredCert } from './certificates'
import { POWERSHELL_BASE_ARGS, type Elevator, withPrivateTempFile } from './elevate'
import { toolMessage, type CommandRunner, type RunResult } from './exec'
import { fingerprintHex, type Fingerprint } from '../certs/fingerprint'
import { findIn, outcome, ListedStore } from './types'

export type WindowsScope = 'machine' | 'user'

const LOCATION: Record<WindowsScope, string> = { machine: 'Cert:\\LocalMachine\\Root', user: 'Cert:\\CurrentUser\\Root' }

/** Constant script (no user input inside): every certificate of the store as JSON with its DER. */
export function listScript(scope: WindowsScope): string {
  return [
    "$ErrorActionPreference = 'Stop'",
    '[Console]::OutputEncoding = [System.Text.Encoding]::UTF8',
    `$certs = @(Get-ChildItem -Path '${LOCATION[scope]}' | ForEach-Object { [pscustomobject]@{ ` +
      `Thumbprint = $_.Thumbprint; Subject = $_.Subject; Issuer = $_.Issuer; SerialNumber = ` +
      `$_.SerialNumber; NotBefore = $_.NotBefore.ToUniversalTime().ToString('o'); NotAfter = ` +
      `$_.NotAfter.ToUniversalTime().ToString('o'); RawData = [Convert]::ToBase64String($_.RawData) } })`,
    'ConvertTo-Json -InputObject $certs -Depth 2 -Compress',
  ].join('; ')
}

interface PsCert {
  Thumbprint?: string
  Subject?: string
  Issuer?: string
  SerialNumber?: string
  NotBefore?: string
  NotAfter?: string
  RawData?: string
}

/** `\/Date(1700000000000)\/` (Windows PowerShell 5.1 dates) or ISO text → ISO. */
function psDate(value: string | undefined): string {
  if (!value) return ''
  const ms = /\/Date\((-?\d+)\)\//.exec(value)
  if (ms?.[1]) return new Date(Number(ms[1])).toISOString()
  const parsed = Date.parse(value)
  return Number.isNaN(parsed) ? value : new Date(parsed).toISOString()
}

/** PowerShell JSON: an array, a single object (one certificate), or empty output (empty store). */
export function parsePowershellJson(stdout: string, location: string): StoredCert[] {
  const text = stdout.replace(/^\uFEFF/, '').trim()
  if (!text) return []
  const parsed = JSON.parse(text) as PsCert | PsCert[] | null
  const items = parsed === null ? [] : Array.isArray(parsed) ? parsed : [parsed]
  const out: StoredCert[] = []
  for (const item of items) {
    if (item.RawData) {
      const der = Buffer.from(item.RawData, 'base64')
      try {
        out.push({ ...certFacts(der), trust: 'trusted', origin: 'local', location, der })
        continue
      } catch {
        // fall through to the listed fields
      }
    }
    if (!item.Thumbprint) continue
    out.push({
      sha256: null,
      sha1: fingerprintHex(item.Thumbprint),
      subject: item.Subject ?? '',
      issuer: item.Issuer ?? '',
      serial: (item.SerialNumber ?? '').toUpperCase(),
      notBefore: psDate(item.NotBefore),
      notAfter: psDate(item.NotAfter),
      trust: 'trusted',
      origin: 'local',
      location,
    })
  }
  return out
}

/** `certutil [-user] -store Root`, both `Cert Hash(sha1): 1a2b…` and `1a 2b …` forms. */
export function parseCertutilStore(stdout: string, location: string): StoredCert[] {
  const out: StoredCert[] = []
  for (const block of stdout.split(/^=+ Certificate \d+ =+\s*$/m).slice(1)) {
    const field = (name: string) => new RegExp(`^\\s*${name}:\\s*(.*?)\\s*$`, 'mi').exec(block)?.[1] ?? ''
    const hash = /Cert Hash\(sha1\):\s*((?:[0-9a-fA-F]{2}\s?)+)/.exec(block)?.[1]
    if (!hash) continue
    out.push({
      sha256: null,
      sha1: fingerprintHex(hash),
      subject: field('Subject'),
      issuer: field('Issuer'),
      serial: fingerprintHex(field('Serial Number')),
      notBefore: psDate(field('NotBefore')),
      notAfter: psDate(field('NotAfter')),
      trust: 'trusted',
      origin: 'local',
      location,
      note: 'Listed by certutil (no PowerShell): SHA-1 thumbprint only.',
    })
  }
  return out
}

export interface WindowsStoreOptions {
  scope: WindowsScope
  runner: CommandRunner
  elevator: Elevator | null
  powershell?: string
  certutil?: string
}

export class WindowsStore extends ListedStore {
  readonly id: string
  private readonly scope: WindowsScope
  private readonly runner: CommandRunner
  private readonly elevator: Elevator | null
  readonly powershell: string
  readonly certutil: string

  constructor(options: WindowsStoreOptions) {
    super()
    this.scope = options.scope
    this.runner = options.runner
    this.elevator = options.elevator
    this.powershell = options.powershell ?? 'powershell.exe'
    this.certutil = options.certutil ?? 'certutil.exe'
    this.id = options.scope === 'machine' ? 'windows-machine' : 'windows-user'
  }

  describe(): StoreDescription {
    return this.scope === 'machine'
      ? {
          id: this.id,
          kind: 'system',
          label: 'Windows LocalMachine\\Root (all users)',
          location: 'LocalMachine\\Root',
          needsElevation: true,
          tool: 'powershell, certutil',
          available: true,
        }
      : {
          id: this.id,
          kind: 'system',
          label: 'Windows CurrentUser\\Root (this user)',
          location: 'CurrentUser\\Root',
          needsElevation: false,
          tool: 'powershell, certutil',
          available: true,
          note: 'Windows asks for confirmation when a root is added here.',
        }
  }

  listCommand(): { file: string; args: string[] } {
    return { file: this.powershell, args: [...POWERSHELL_BASE_ARGS, '-Command', listScript(this.scope)] }
  }

  private certutilArgs(...rest: string[]): string[] {
    return [...(this.scope === 'user' ? ['-user'] : []), ...rest]
  }

  async list(): Promise<StoredCert[]> {
    const location = this.scope === 'machine' ? 'LocalMachine\\Root' : 'CurrentUser\\Root'
    const { file, args } = this.listCommand()
    const ps = await this.runner.run(file, args)
    if (ps.code === 0) {
      try {
        return parsePowershellJson(ps.stdout, location)
      } catch {
        // unreadable JSON (a profile printing text, a broken host): use certutil instead
      }
    }
    const cu = await this.runner.run(this.certutil, this.certutilArgs('-store', 'Root'))
    if (cu.code !== 0) throw new Error(`Neither PowerShell nor certutil could list ${location}: ${toolMessage(cu)}`)
    return parseCertutilStore(cu.stdout, location)
  }

  /** Whether an entry is the root: by SHA-256 where DER was listed, else by the SHA-1 thumbprint. */
  private match(entries: StoredCert[], sha256: string, sha1: string): StoredCert[] {
    return entries.filter((e) => (e.sha256 ? e.sha256 === sha256 : e.sha1 === sha1))
  }

  installCommand(path: string): { file: string; args: string[]; elevated: boolean } {
    return this.scope === 'machine'
      ? { file: this.certutil, args: ['-addstore', '-f', 'Root', path], elevated: true }
      : { file: this.certutil, args: ['-user', '-addstore', '-f', 'Root', path], elevated: false }
  }

  removeCommand(sha1: string): { file: string; args: string[]; elevated: boolean } {
    return this.scope === 'machine'
      ? { file: this.certutil, args: ['-delstore', 'Root', sha1], elevated: true }
      : { file: this.certutil, args: ['-user', '-delstore', 'Root', sha1], elevated: false }
  }

  private async exec(command: { file: string; args: string[]; elevated: boolean }): Promise<RunResult> {
    if (!command.elevated) return this.runner.run(command.file, command.args, { timeoutMs: 300_000 })
    if (!this.elevator) return { code: null, stdout: '', stderr: '', error: 'no elevation method available' }
    return this.elevator.run(command.file, command.args, { timeoutMs: 300_000 })
  }

  async install(root: RootCertificate): Promise<StoreOutcome> {
    const { sha256, sha1 } = root.summary
    const before = this.match(await this.list(), sha256, sha1)
    if (before.length)
      return outcome(this, 'already-present', `Already in ${this.describe().location} (thumbprint ${sha1}); nothing changed.`)
    // certutil reads DER or PEM; .cer keeps Windows' own handlers happy.
    const result = await withPrivateTempFile(root.pem, 'root.cer', (tmp) => this.exec(this.installCommand(tmp)))
    if (result.code !== 0) return this.failed('certutil -addstore failed.', result)
    if (!this.match(await this.list(), sha256, sha1).length)
      return outcome(
        this,
        'failed',
        'certutil finished but the root is not in the store (the confirmation dialog may have been declined).',
        { hint: 'Retry and answer "Yes" in the Security Warning dialog.' },
      )
    return outcome(this, 'installed', `Added to ${this.describe().location} (thumbprint ${sha1}).`)
  }

  async remove(fp: Fingerprint): Promise<StoreOutcome> {
    const entries = await this.list()
    if (fp.algorithm === 'sha256' && entries.some((e) => e.sha256 === null)) {
      return outcome(
        this,
        'failed',
        'This store was listed without PowerShell, so only SHA-1 thumbprints are known and a SHA-256 fingerprint cannot be matched.',
        { hint: 'Give the certificate file or its SHA-1 thumbprint instead.' },
      )
    }
    const targets = findIn(entries, fp)
    if (!targets.length) return outcome(this, 'not-present', 'Not in this store; nothing changed.')
    for (const target of targets) {
      const result = await this.exec(this.removeCommand(target.sha1))
      if (result.code !== 0) return this.failed('certutil -delstore failed.', result)
    }
    if (findIn(await this.list(), fp).length)
      return outcome(this, 'failed', 'The root is still in the store after removal.', {
        hint: 'Remove it in certmgr.msc (user) or certlm.msc (machine).',
      })
    return outcome(this, 'removed', `Removed thumbprint ${targets.map((t) => t.sha1).join(', ')} from ${this.describe().location}.`)
  }

  private failed(message: string, result: RunResult): StoreOutcome {
    const text = toolMessage(result)
    const cancelled = /canceled by the user|cancelled by the user|0x800704c7|operation was canceled/i.test(text)
    return outcome(this, 'failed', cancelled ? 'The UAC prompt was declined; nothing changed.' : message, {
      toolOutput: text,
      hint:
        this.scope === 'machine'
          ? 'Approve the UAC prompt (an administrator account is needed), or install for the current user only.'
          : 'Check the message above and retry.',
    })
  }
}
