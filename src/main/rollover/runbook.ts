/**
 * The Gateway root rollover runbook (Cloudflare docs: Deploy custom certificate): one persisted state machine per
 * profile and account, in the user-data folder, written atomically after every step.
 *
 *   start (choose an existing Gateway certificate, or create one: inactive, unused) → kit exported → coverage
 *   from imported reports → switch: only at or above the threshold and once confirmed — activate the new
 *   certificate, wait until available, make Gateway inspect with it → retire: deactivate the old one.
 *
 * Nothing at Cloudflare changes before the confirmed switch (a created certificate stays inactive and unused).
 * Each Cloudflare step re-reads the state there before acting, and what is about to be sent is recorded first,
 * so a run killed at any point is resumed by running the same step again: no second activation, no second create.
 */
import { join } from 'node:path'
import { existsSync, rmSync } from 'node:fs'
import type { CloudflareService, LongOperation } from '../cloudflare'
import type { GatewayCertificateSummary } from '../../shared/cloudflare-model'
import { RolloverState } from '../../shared/contract/rollover'
import { coverageRatio, DEFAULT_THRESHOLD_PERCENT, percent } from '../../shared/coverage'
import type { Coverage } from '../../shared/report-model'
import { AppError } from '../../shared/errors'
import type { StorageProblem } from '../../shared/model'
import { JsonFile } from '../storage/json-file'
import { parseFingerprint, fingerprintOfPem } from '../certs/fingerprint'

export const ROLLOVER_DIR = 'rollover'

export interface RolloverScope {
  profileId: string
  accountId: string
}

export interface RolloverOptions {
  dir: string
  cloudflare: Pick<CloudflareService, 'run'>
  onProblem?: (problem: StorageProblem) => void
  now?: () => Date
  /** How long a resumed switch waits for an activation a killed run sent to show (default 15 s). */
  activationSettleMs?: number
  pollMs?: number
}

/** What the admin is asked before the switch: the numbers it rests on and what will change. */
export type AskSwitch = (state: RolloverState) => Promise<boolean>

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The SHA-256 of a Gateway certificate as reports write it (64 lowercase hex), from its PEM or its fingerprint. */
export function gatewayRootSha256(cert: GatewayCertificateSummary): string | null {
  const text = cert.certificate ? fingerprintOfPem(cert.certificate) : cert.fingerprint
  if (!text) return null
  const fp = parseFingerprint(text)
  return fp.algorithm === 'sha256' ? fp.hex.toLowerCase() : null
}

export class RolloverRunbook {
  private readonly now: () => Date

  constructor(private readonly options: RolloverOptions) {
    this.now = options.now ?? (() => new Date())
  }

  private file(scope: RolloverScope): JsonFile<typeof RolloverState> {
    const safe = (s: string) => s.replace(/[^A-Za-z0-9-]/g, '_')
    const path = join(this.options.dir, ROLLOVER_DIR, `${safe(scope.profileId)}__${safe(scope.accountId)}.json`)
    return new JsonFile(path, RolloverState, () => null as unknown as RolloverState, this.options.onProblem ?? (() => {}))
  }

  status(scope: RolloverScope): RolloverState | null {
    return this.file(scope).read() ?? null
  }

  private required(scope: RolloverScope): RolloverState {
    const state = this.status(scope)
    if (!state) {
      throw new AppError('not_found', 'No Gateway root rollover has been started for this account.', {
        hint: 'Start one with: certdesk gateway rollover start --certificate ID (or --create)',
      })
    }
    return state
  }

  private save(scope: RolloverScope, state: RolloverState, text?: string): RolloverState {
    const at = this.now().toISOString()
    const next = text ? { ...state, log: [...state.log, { at, text }].slice(-200) } : state
    return this.file(scope).write(next)
  }

  private async gatewayCertificates(scope: RolloverScope, signal?: AbortSignal): Promise<GatewayCertificateSummary[]> {
    return this.options.cloudflare.run('gateway.list', { ...scope }, { signal })
  }

  private async certificate(scope: RolloverScope, id: string, signal?: AbortSignal): Promise<GatewayCertificateSummary> {
    const found = (await this.gatewayCertificates(scope, signal)).find((g) => g.id === id)
    if (!found) {
      throw new AppError('not_found', `Gateway certificate ${id} does not exist in this account.`, {
        hint: 'List them with: certdesk cf gateway list',
      })
    }
    return found
  }

  private async inspectionCertificate(scope: RolloverScope, signal?: AbortSignal): Promise<string | null> {
    return (await this.options.cloudflare.run('gateway.inspectionCertificate', { ...scope }, { signal })).certificateId
  }

  /** The new root's certificate (PEM) as Cloudflare sends it, for the fleet kit; refused when Cloudflare sends none. */
  async newRootPem(scope: RolloverScope, signal?: AbortSignal): Promise<string> {
    const state = this.required(scope)
    const id = state.newCertificate?.id
    if (!id) throw new AppError('conflict', 'The new root is still being created: run the start step again to finish it.')
    const pem = (await this.certificate(scope, id, signal)).certificate
    if (!pem) {
      throw new AppError(
        'not_found',
        `Cloudflare did not send the certificate of Gateway root ${id}, so its fleet kit cannot be made here.`,
        {
          hint: 'Download the root from the Cloudflare dashboard, run certdesk fleet kit ROOT.pem --out DIR, then mark the kit exported.',
        },
      )
    }
    return pem
  }

  private newCertificateFacts(cert: GatewayCertificateSummary): NonNullable<RolloverState['newCertificate']> {
    return { id: cert.id, sha256: gatewayRootSha256(cert), issuerOrg: cert.issuerOrg ?? null, expiresOn: cert.expiresOn ?? null }
  }

  /**
   * Start (or resume) the runbook with an existing Gateway certificate or a new Cloudflare-managed one. A runbook
   * under way is returned as it is; asking for another certificate while one is under way is refused.
   */
  async start(
    scope: RolloverScope,
    request: { certificateId?: string; create?: boolean; thresholdPercent?: number },
    signal?: AbortSignal,
  ): Promise<RolloverState> {
    if (!request.certificateId === !request.create) {
      throw new AppError('bad_input', 'Choose the new root: an existing Gateway certificate id, or create a new one — one of the two.')
    }
    let state = this.status(scope)
    if (state && state.step !== 'retired') {
      const asked = request.certificateId
      if (asked && state.newCertificate && state.newCertificate.id !== asked) {
        throw new AppError('conflict', `A rollover to Gateway certificate ${state.newCertificate.id} is under way for this account.`, {
          hint: 'Finish it, or abandon it first (possible until the switch).',
        })
      }
      if (!state.creating) return state
    } else {
      const oldCertificateId = await this.inspectionCertificate(scope, signal)
      if (request.certificateId) {
        const cert = await this.certificate(scope, request.certificateId, signal)
        if (oldCertificateId === cert.id) {
          throw new AppError('bad_input', `Gateway already inspects with certificate ${cert.id}: there is nothing to roll over to.`, {
            hint: 'Choose another certificate, or create a new one.',
          })
        }
        const base = this.fresh(scope, oldCertificateId, request.thresholdPercent)
        return this.save(scope, { ...base, newCertificate: this.newCertificateFacts(cert) }, `Started: new root ${cert.id}`)
      }
      const knownIds = (await this.gatewayCertificates(scope, signal)).map((g) => g.id)
      state = this.save(
        scope,
        { ...this.fresh(scope, oldCertificateId, request.thresholdPercent), creating: { at: this.now().toISOString(), knownIds } },
        'Creating a new Cloudflare-managed Gateway certificate',
      )
    }
    // A create recorded before it was sent: adopt the certificate it made, if it reached Cloudflare.
    const known = new Set(state.creating!.knownIds)
    const made = (await this.gatewayCertificates(scope, signal))
      .filter((g) => !known.has(g.id) && g.type === 'gateway_managed')
      .sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''))[0]
    const cert = made ?? (await this.options.cloudflare.run('gateway.create', { ...scope }, { signal }))
    const note = made ? `Found the certificate an interrupted create made: ${cert.id}` : `Created new root ${cert.id} (inactive)`
    return this.save(scope, { ...state, creating: null, newCertificate: this.newCertificateFacts(cert) }, note)
  }

  private fresh(scope: RolloverScope, oldCertificateId: string | null, thresholdPercent?: number): RolloverState {
    return {
      version: 1,
      ...scope,
      step: 'kit',
      thresholdPercent: thresholdPercent ?? DEFAULT_THRESHOLD_PERCENT,
      startedAt: this.now().toISOString(),
      oldCertificateId,
      newCertificate: null,
      creating: null,
      kitExportedAt: null,
      coverage: null,
      confirmedAt: null,
      activateSentAt: null,
      switchedAt: null,
      retiredAt: null,
      log: [],
    }
  }

  private beforeSwitch(scope: RolloverScope, what: string): RolloverState {
    const state = this.required(scope)
    if (state.confirmedAt) throw new AppError('conflict', `The switch has been confirmed already; ${what} no longer applies.`)
    return state
  }

  kitExported(scope: RolloverScope): RolloverState {
    const state = this.beforeSwitch(scope, 'exporting the kit')
    if (state.kitExportedAt) return state
    return this.save(scope, { ...state, kitExportedAt: this.now().toISOString(), step: 'coverage' }, 'Fleet kit exported')
  }

  setThreshold(scope: RolloverScope, thresholdPercent: number): RolloverState {
    const state = this.beforeSwitch(scope, 'changing the threshold')
    return this.save(scope, { ...state, thresholdPercent }, `Threshold set to ${thresholdPercent} %`)
  }

  /** The new root's coverage in these reports becomes the runbook's (a root no report names counts 0 of 0). */
  recordCoverage(scope: RolloverScope, coverage: Coverage): RolloverState {
    const state = this.beforeSwitch(scope, 'recording coverage')
    const sha256 = state.newCertificate?.sha256
    if (!sha256) {
      throw new AppError('conflict', 'The new root’s fingerprint is not known yet, so reports cannot be matched to it.', {
        hint: 'Run start again to finish choosing the new root.',
      })
    }
    const root = coverage.roots.find((r) => r.sha256 === sha256)
    const counts = { trusted: root?.trusted ?? 0, total: root?.total ?? 0 }
    const recorded = { ...counts, at: this.now().toISOString(), folder: coverage.folder, problems: coverage.problems.length }
    const step = state.step === 'kit' ? 'coverage' : state.step
    return this.save(scope, { ...state, step, coverage: recorded }, `Coverage ${counts.trusted}/${counts.total} from ${coverage.folder}`)
  }

  /** Whether the recorded coverage allows the switch, and if not, why (in the admin's words). */
  static switchRefusal(state: RolloverState): string | null {
    const c = state.coverage
    if (!c || c.total === 0) return 'No coverage has been recorded yet: import the reports the fleet’s verify scripts wrote.'
    if (coverageRatio(c) * 100 < state.thresholdPercent) {
      const share = percent(coverageRatio(c))
      return `Only ${c.trusted} of ${c.total} machines (${share}) trust the new root; the threshold is ${state.thresholdPercent} %.`
    }
    return null
  }

  /**
   * Switch Gateway to the new root. Refused below the threshold; asks `ask` once (nothing is sent before a yes);
   * then activates (unless Cloudflare shows it activated already), waits until available, and points inspection at it.
   */
  async switch(scope: RolloverScope, ask: AskSwitch, operation: LongOperation = {}): Promise<RolloverState> {
    let state = this.required(scope)
    if (state.step === 'switched' || state.step === 'retired') return state
    const id = state.newCertificate?.id
    if (!id) throw new AppError('conflict', 'The new root is not chosen yet.', { hint: 'Run start again to finish choosing it.' })
    const { signal, onProgress } = operation
    if (!state.confirmedAt) {
      const refusal = RolloverRunbook.switchRefusal(state)
      if (refusal) {
        throw new AppError('coverage_below_threshold', refusal, {
          hint: 'Deploy the fleet kit to more machines, import their reports again, or lower the threshold.',
          details: { trusted: state.coverage?.trusted ?? 0, total: state.coverage?.total ?? 0, thresholdPercent: state.thresholdPercent },
        })
      }
      if (!(await ask(state))) throw new AppError('cancelled', 'Nothing was changed.', { hint: 'The switch was declined.' })
      state = this.save(scope, { ...state, step: 'switching', confirmedAt: this.now().toISOString() }, 'Switch confirmed')
    }
    onProgress?.({ done: 0, total: 3, message: 'Reading the new certificate at Cloudflare' })
    let cert = await this.settledCertificate(scope, state, id, signal)
    if (cert.bindingStatus === 'pending_deletion') {
      throw new AppError(
        'cf_invalid_state',
        `Gateway certificate ${id} is being deactivated; it cannot become the inspection certificate.`,
        {
          hint: 'Wait until it is inactive, then run the switch again.',
        },
      )
    }
    if (cert.bindingStatus !== 'available' && cert.bindingStatus !== 'pending_deployment') {
      state = this.save(scope, { ...state, activateSentAt: this.now().toISOString() }, `Activating ${id}`)
      cert = await this.options.cloudflare.run('gateway.activate', { ...scope, id, wait: false }, { signal })
    }
    onProgress?.({ done: 1, total: 3, message: 'Waiting until the new certificate is available' })
    if (cert.bindingStatus !== 'available')
      await this.options.cloudflare.run('gateway.watch', { ...scope, id, jobId: 'rollover' }, operation)
    onProgress?.({ done: 2, total: 3, message: 'Switching inspection to the new certificate' })
    if ((await this.inspectionCertificate(scope, signal)) !== id) {
      await this.options.cloudflare.run('gateway.useForInspection', { ...scope, id }, { signal })
    }
    onProgress?.({ done: 3, total: 3, message: 'Switched' })
    return this.save(scope, { ...state, step: 'switched', switchedAt: this.now().toISOString() }, `Gateway inspects with ${id}`)
  }

  /**
   * The new certificate as Cloudflare has it now. After an activation a killed run sent (recorded, still inactive),
   * wait a moment for it to land before deciding to send another.
   */
  private async settledCertificate(scope: RolloverScope, state: RolloverState, id: string, signal?: AbortSignal) {
    const deadline = Date.now() + (this.options.activationSettleMs ?? 15_000)
    for (;;) {
      const cert = await this.certificate(scope, id, signal)
      const waiting = state.activateSentAt !== null && (cert.bindingStatus === 'inactive' || cert.bindingStatus === undefined)
      if (!waiting || Date.now() >= deadline) return cert
      await sleep(this.options.pollMs ?? 500)
    }
  }

  /** Deactivate the old root (Gateway no longer inspects with it); asked first. Cloudflare's own root needs nothing. */
  async retire(scope: RolloverScope, ask: AskSwitch, signal?: AbortSignal): Promise<RolloverState> {
    const state = this.required(scope)
    if (state.step === 'retired') return state
    if (state.step !== 'switched') {
      throw new AppError('conflict', 'The old root can be retired only after the switch.', { hint: 'Switch first.' })
    }
    const old = state.oldCertificateId
    if (!old) {
      return this.save(scope, { ...state, step: 'retired', retiredAt: this.now().toISOString() }, 'Nothing to retire')
    }
    if ((await this.inspectionCertificate(scope, signal)) === old) {
      throw new AppError('conflict', `Gateway inspects with ${old} again; it will not be retired.`, {
        hint: 'Someone switched back at Cloudflare. Check Zero Trust → Traffic settings.',
      })
    }
    if (!(await ask(state))) throw new AppError('cancelled', 'Nothing was changed.', { hint: 'Retiring the old root was declined.' })
    const cert = (await this.gatewayCertificates(scope, signal)).find((g) => g.id === old)
    if (cert && cert.bindingStatus !== 'inactive' && cert.bindingStatus !== 'pending_deletion') {
      await this.options.cloudflare.run('gateway.deactivate', { ...scope, id: old }, { signal })
    }
    const note = cert ? `Deactivated the old root ${old}` : `The old root ${old} was already gone`
    return this.save(scope, { ...state, step: 'retired', retiredAt: this.now().toISOString() }, note)
  }

  /** Forget a runbook that has not been confirmed (nothing at Cloudflare changed because of it). */
  abandon(scope: RolloverScope): boolean {
    const state = this.status(scope)
    if (!state) return false
    if (state.confirmedAt && state.step !== 'retired') {
      throw new AppError('conflict', 'The switch has been confirmed; finish it with switch (it resumes where it stopped).')
    }
    const path = this.file(scope).path
    if (existsSync(path)) rmSync(path)
    return true
  }
}
