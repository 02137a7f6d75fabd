/**
 * TrustService: the one entry point the app, the CLI and IPC use. It gates every install
 * (refuses non-roots, lints, warns), runs each store independently, reports each store's outcome,
 * records every change in the activity log, and answers verification questions.
 */
import { AppError } from '../../shared/errors'
import type {
  ChangeReport,
  ProbeReport,
  StoreListing,
  StoreOutcome,
  TrustEntry,
  TrustProgress,
  VerifyReport,
} from '../../shared/truststore-model'
import { parseRootForInstall, type RootCertificate, type StoredCert } from './certificates'
import { execRunner, type CommandRunner } from './exec'
import type { Fingerprint } from '../certs/fingerprint'
import { findIssuingRoot, parseHostPort, probeHost, type ProbeOptions } from './probe'
import { checkRuntimes } from './runtimes'
import type { RuntimeFixState } from '../runtimes'
import { outcome, type TrustStore } from './types'
import { resolveCertOrFingerprint, summaryFromEntries, verifyInStores } from './verify'

export type LintRoot = (der: Uint8Array) => { errors: string[]; warnings: string[] } | Promise<{ errors: string[]; warnings: string[] }>

export interface ActivitySink {
  record(input: {
    action: string
    target: string
    outcome?: 'ok' | 'failed'
    objectId?: string
    objectName?: string
    reason?: string
    detail?: Record<string, string | number | boolean | null>
  }): unknown
}

export interface TrustServiceOptions {
  stores: TrustStore[]
  /** The RFC 5280 `root-ca` lint, wired in by the composition root. */
  lintRoot?: LintRoot
  activity?: ActivitySink
  runner?: CommandRunner
  env?: NodeJS.ProcessEnv
  now?: () => Date
  /** CA set for host probes; default: the OS store as Node sees it. */
  probeCa?: () => string[]
  /** Whether an input string may name a certificate file (the CLI: yes; the app's IPC: never). */
  allowFilePaths?: boolean
  /** The runtime fix in place for a root (certdesk trust fix-runtimes), whose drift fails verify. */
  runtimeFixState?: (fp: Fingerprint) => Promise<RuntimeFixState | null>
}

export type OnProgress = (progress: TrustProgress) => void

const strip = ({ der: _der, ...entry }: StoredCert): TrustEntry => entry

export class TrustService {
  readonly stores: TrustStore[]
  private readonly options: TrustServiceOptions

  constructor(options: TrustServiceOptions) {
    this.options = options
    this.stores = options.stores
  }

  describe() {
    return this.stores.map((s) => s.describe())
  }

  /** `undefined`/`all` → every store; otherwise ids or kinds (`system`, `nss`, `java`). */
  select(storeIds?: readonly string[]): TrustStore[] {
    if (!storeIds || storeIds.length === 0 || storeIds.includes('all')) return this.stores
    const picked = this.stores.filter((s) => storeIds.includes(s.id) || storeIds.includes(s.describe().kind))
    const unknown = storeIds.filter((id) => !this.stores.some((s) => s.id === id || s.describe().kind === id))
    if (unknown.length) {
      throw new AppError('bad_input', `Unknown trust store: ${unknown.join(', ')}.`, {
        hint: `Use all, system, nss, java or one of: ${this.stores.map((s) => s.id).join(', ') || '(none found)'}`,
      })
    }
    return picked
  }

  async list(storeIds?: readonly string[], onProgress?: OnProgress): Promise<StoreListing[]> {
    const stores = this.select(storeIds)
    let done = 0
    onProgress?.({ done, total: stores.length, label: 'Reading trust stores' })
    return Promise.all(
      stores.map(async (store) => {
        const description = store.describe()
        let listing: StoreListing
        try {
          const entries = (await store.list()).map(strip)
          listing = { store: store.describe(), entries }
        } catch (error) {
          listing = {
            store: description,
            entries: [],
            error: { message: (error as Error).message, hint: 'Check that the store tool works and the store is readable.' },
          }
        }
        onProgress?.({ done: ++done, total: stores.length, label: description.label })
        return listing
      }),
    )
  }

  async find(input: string, storeIds?: readonly string[]): Promise<Array<{ storeId: string; label: string; entries: TrustEntry[] }>> {
    const { fingerprint } = resolveCertOrFingerprint(input, undefined, { allowFiles: this.options.allowFilePaths !== false })
    return this.findFingerprint(fingerprint, storeIds)
  }

  async findFingerprint(
    fp: Fingerprint,
    storeIds?: readonly string[],
  ): Promise<Array<{ storeId: string; label: string; entries: TrustEntry[] }>> {
    return Promise.all(
      this.select(storeIds).map(async (store) => {
        const d = store.describe()
        return { storeId: d.id, label: d.label, entries: (await store.find(fp).catch(() => [])).map(strip) }
      }),
    )
  }

  /**
   * The one gate every install passes first, for the CLI and the app alike: a leaf, an expired root,
   * a key, a CSR or a bundle is refused here (bad_input), before any confirmation, store or elevation.
   */
  checkInstallable(cert: string | Buffer): RootCertificate {
    return parseRootForInstall(typeof cert === 'string' ? Buffer.from(cert) : cert, this.options.now?.() ?? new Date())
  }

  /** Checks the root first (nothing is written for bad input), then installs per store. */
  async install(cert: string | Buffer, storeIds?: readonly string[]): Promise<ChangeReport> {
    const root = this.checkInstallable(cert)
    const stores = this.select(storeIds)
    const warnings: string[] = []
    if (!root.summary.selfSigned)
      warnings.push(
        'This CA is not self-signed (an intermediate): trusting it as a root works, but installing its root is usually what you want.',
      )
    if (this.options.lintRoot) {
      const lint = await this.options.lintRoot(root.der)
      warnings.push(...lint.errors.map((e) => `Lint error: ${e}`), ...lint.warnings.map((w) => `Lint warning: ${w}`))
    }
    const outcomes: StoreOutcome[] = []
    for (const store of stores) {
      const result = await this.guard(store, () => store.install(root))
      this.record('trust.install', store, root.summary.sha256, result, root.summary.subject)
      outcomes.push(result)
    }
    return { root: root.summary, fingerprint: root.summary.sha256, warnings, outcomes }
  }

  async remove(input: string, storeIds?: readonly string[]): Promise<ChangeReport> {
    const { fingerprint, root } = resolveCertOrFingerprint(input, undefined, { allowFiles: this.options.allowFilePaths !== false })
    if (fingerprint.algorithm === 'md5')
      throw new AppError('bad_input', 'An MD5 fingerprint is too weak to pick a certificate to remove.', {
        hint: 'Give the SHA-256 fingerprint or the certificate file.',
      })
    const stores = this.select(storeIds)
    const outcomes: StoreOutcome[] = []
    for (const store of stores) {
      const result = await this.guard(store, () => store.remove(fingerprint))
      this.record('trust.remove', store, fingerprint.hex, result, root?.subject ?? null)
      outcomes.push(result)
    }
    return { ...(root ? { root } : {}), fingerprint: fingerprint.hex, warnings: fingerprint.note ? [fingerprint.note] : [], outcomes }
  }

  /**
   * The stores asked for, the host probe and the runtime checks run concurrently; the runtimes that fall back to
   * a store wait for that store's line. Java's cacerts (keytool: a JVM start) is read only when it is asked for.
   */
  async verify(input: string, options: { host?: string; storeIds?: readonly string[] } = {}): Promise<VerifyReport> {
    const { fingerprint, root, der } = resolveCertOrFingerprint(input, undefined, { allowFiles: this.options.allowFilePaths !== false })
    const installable = der ? this.installVerdict(der) : undefined
    const stores = this.select(options.storeIds)
    const target = options.host ? parseHostPort(options.host) : undefined
    const found: StoredCert[] = []
    const linesDone = verifyInStores(stores, fingerprint, found)
    const kindOf = (storeId: string) => this.stores.find((s) => s.id === storeId)?.describe().kind
    const systemTrusts = linesDone.then((lines) => {
      const systemLines = lines.filter((l) => kindOf(l.storeId) === 'system')
      return systemLines.length ? systemLines.every((l) => l.status === 'trusted') : null
    })
    const hasJava = this.stores.some((s) => s.describe().kind === 'java')
    const javaTrusts = linesDone.then((lines) => {
      const javaLine = lines.find((l) => kindOf(l.storeId) === 'java')
      return javaLine ? javaLine.status === 'trusted' : hasJava ? ('not-checked' as const) : null
    })
    const [lines, probe, runtimes] = await Promise.all([
      linesDone,
      target ? this.probeHost(target.host, target.port) : undefined,
      checkRuntimes(fingerprint, {
        env: this.options.env ?? process.env,
        runner: this.options.runner ?? execRunner,
        javaTrusts,
        systemTrusts,
        fixed: await this.options.runtimeFixState?.(fingerprint),
      }),
    ])
    const summary = root ?? summaryFromEntries(found)
    const allTrusted =
      lines.length > 0 && lines.every((l) => l.status === 'trusted') && (probe ? probe.verified : true) && !runtimes.some((r) => r.drift)
    return {
      fingerprint,
      ...(summary ? { root: summary } : {}),
      ...(installable ? { installable } : {}),
      lines,
      allTrusted,
      ...(probe ? { probe } : {}),
      runtimes,
    }
  }

  private installVerdict(der: Buffer): NonNullable<VerifyReport['installable']> {
    try {
      this.checkInstallable(der)
      return { ok: true }
    } catch (error) {
      if (!(error instanceof AppError)) throw error
      return { ok: false, message: error.message, ...(error.hint ? { hint: error.hint } : {}) }
    }
  }

  /** Handshake with a host: the chain it sends, whether it verifies, and which store root signed it. */
  async probeHost(host: string, port = 443, options: ProbeOptions = {}): Promise<ProbeReport> {
    // The handshake and every store's listing (certutil, keytool…) run at the same time.
    const [{ ders, ...report }, listings] = await Promise.all([
      probeHost(host, port, { ...(this.options.probeCa ? { ca: this.options.probeCa() } : {}), ...options }),
      Promise.all(this.stores.map((store) => store.list().catch(() => [] as StoredCert[]))),
    ])
    const candidates = new Map<string, { der: Buffer; storeIds: string[]; entry: StoredCert }>()
    for (const [i, store] of this.stores.entries()) {
      for (const entry of listings[i] ?? []) {
        if (!entry.der) continue
        const key = entry.sha256 ?? entry.sha1
        const seen = candidates.get(key)
        if (seen) seen.storeIds.push(store.id)
        else candidates.set(key, { der: entry.der, storeIds: [store.id], entry })
      }
    }
    const anchorDer = findIssuingRoot(
      ders,
      [...candidates.values()].map((c) => c.der),
    )
    if (anchorDer) {
      const hit = [...candidates.values()].find((c) => c.der === anchorDer)
      if (hit) report.anchor = { sha256: hit.entry.sha256, sha1: hit.entry.sha1, subject: hit.entry.subject, storeIds: hit.storeIds }
    }
    return report
  }

  private async guard(store: TrustStore, fn: () => Promise<StoreOutcome>): Promise<StoreOutcome> {
    const d = store.describe()
    if (!d.available) return outcome(store, 'failed', `${d.tool} is not available.`, d.note ? { hint: d.note } : {})
    try {
      return await fn()
    } catch (error) {
      return outcome(store, 'failed', (error as Error).message, {
        hint: 'Check that the store is readable and its tool works, then retry.',
      })
    }
  }

  private record(action: string, store: TrustStore, fingerprint: string, result: StoreOutcome, subject: string | null): void {
    if (result.status === 'already-present' || result.status === 'not-present') return
    this.options.activity?.record({
      action,
      target: `${store.id} ${fingerprint}`,
      objectId: fingerprint,
      objectName: subject ?? fingerprint,
      outcome: result.status === 'failed' ? 'failed' : 'ok',
      ...(result.status === 'failed' ? { reason: result.message } : {}),
      detail: { status: result.status, subject, message: result.message.slice(0, 300) },
    })
  }
}
