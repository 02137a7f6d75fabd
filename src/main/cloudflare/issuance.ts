/**
 * Issuing a client certificate so that one create for a CSR and zone can only ever exist once,
 * across lost answers, retries, restarts and killed processes:
 *  1. the CSR is linted and, when it belongs to a vault key, the key is decrypted: a key that
 *     cannot be read gets no certificate;
 *  2. the intent (CSR hash, zone, profile, key, time) is written to the vault index *before* the
 *     request; a pending intent for the same CSR and zone is resumed instead — the certificate is
 *     looked for first (for as long as the server may still be committing), and a create is sent
 *     only when none appears;
 *  3. the certificate is linked to its key, then the intent is removed.
 * `reconcile()` (app start, `certdesk cf client-certs reconcile`) settles what a crash left pending.
 */
import type { ClientCertificateCreateResult, ClientCertificateSummary } from '../../shared/cloudflare-model'
import { AppError } from '../../shared/errors'
import type { CreateIntent, VaultEntry } from '../../shared/pki-model'
import type { KeyVault } from '../secrets/vault'
import type { ActivityInput } from '../storage/activity'
import { normaliseCsr, validateValidityDays, type ZoneScope } from './client-certificates'
import { isCancellation, outcomeUnknown } from './errors'
import type { CloudflareService } from './index'

/** What the issuer needs from the vault. */
export type IntentVault = Pick<
  KeyVault,
  'get' | 'list' | 'findByCsr' | 'privateKey' | 'linkCertificate' | 'beginIntent' | 'pendingIntents' | 'finishIntent'
>

export interface IssueRequest {
  csrPem: string
  validityDays: number
  /** The vault key whose CSR this is (the wizard); found by the CSR otherwise. */
  keyId?: string | undefined
  /** The key (`keyId`) has a certificate and the new one replaces it in the key's link (a same-key reissue). */
  replace?: boolean | undefined
}

export interface IssueResult extends ClientCertificateCreateResult {
  /** The vault key, with the certificate linked, when the CSR is one of the vault's. */
  key?: VaultEntry
  /** A pending create for this CSR and zone was taken up again (looked up before any request). */
  resumed: boolean
}

export interface ReconcileOutcome {
  intentId: string
  zone: string
  keyId?: string
  /**
   * linked: found and linked to its key; found: found (no vault key to link); dropped: nothing was
   * issued; pending: may still appear; failed: see message.
   */
  outcome: 'linked' | 'found' | 'dropped' | 'pending' | 'failed'
  certificateId?: string
  message?: string
}

export class ClientCertIssuer {
  /** Creates running in this process, by CSR hash and zone: a second call waits for the first. */
  private readonly inflight = new Map<string, Promise<IssueResult>>()

  constructor(
    private readonly cloudflare: CloudflareService,
    private readonly vault: IntentVault,
    /** Where reconcile records what it settled (the app's activity log). */
    private readonly activity?: { record(input: ActivityInput): unknown },
  ) {}

  /** `zone` without its name: the profile's name for it is looked up (the intent keeps it for messages). */
  async issue(profileId: string, zoneRef: ZoneScope, request: IssueRequest, signal?: AbortSignal): Promise<IssueResult> {
    const zone = zoneRef.zoneName ? zoneRef : await this.cloudflare.zoneScope(profileId, zoneRef.zoneId)
    const csrPem = await normaliseCsr(request.csrPem)
    const validityDays = validateValidityDays(request.validityDays)
    const key = request.keyId ? this.vault.get(request.keyId) : this.vault.findByCsr(csrPem)
    if (request.keyId && key) {
      if (!key.csrPem) {
        const hint = 'Create the key with the client certificate wizard.'
        throw new AppError('bad_input', `"${key.label}" has no CSR to issue.`, { hint })
      }
      if (key.certificate && !request.replace) {
        const hint = 'Reissue it with the same key to replace its certificate, or create a new key for another certificate.'
        throw new AppError('conflict', `"${key.label}" already has a certificate.`, { hint })
      }
    }
    // A CSR of a vault key that has its certificate already is being reused on purpose: issue, do not relink (unless replacing).
    const replacing = Boolean(request.keyId && request.replace)
    const linkTo = key && (!key.certificate || replacing) ? key : undefined
    if (linkTo) await this.assertKeyReadable(linkTo)
    const { intent, resumed } = this.vault.beginIntent({
      csrPem,
      zoneId: zone.zoneId,
      zoneName: zone.zoneName,
      profileId,
      keyId: linkTo?.id,
      validityDays,
    })
    const running = this.inflight.get(intent.id)
    if (running) return running
    const work = this.run(profileId, zone, intent, resumed, csrPem, signal)
    this.inflight.set(intent.id, work)
    try {
      return await work
    } finally {
      this.inflight.delete(intent.id)
    }
  }

  /** Settle every pending intent of these profiles: link what was issued, drop what never was. */
  async reconcile(options: { profileIds?: readonly string[]; signal?: AbortSignal } = {}): Promise<ReconcileOutcome[]> {
    const outcomes: ReconcileOutcome[] = []
    for (const intent of this.vault.pendingIntents()) {
      if (options.profileIds && !options.profileIds.includes(intent.profileId)) continue
      if (this.inflight.has(intent.id)) continue
      const base = { intentId: intent.id, zone: intent.zoneName ?? intent.zoneId, ...(intent.keyId ? { keyId: intent.keyId } : {}) }
      try {
        const since = Date.parse(intent.startedAt)
        const until = since + this.cloudflare.createSettleMs
        const lookup = { csrPem: intent.csrPem, since, until }
        const found = await this.cloudflare.findIssuedClientCertificate(intent.profileId, intent.zoneId, lookup, options.signal)
        if (found) {
          const linked = await this.linkIfKey(intent, found)
          this.vault.finishIntent(intent.id)
          outcomes.push({ ...base, outcome: linked ? 'linked' : 'found', certificateId: found.id })
        } else if (Date.now() >= until) {
          // Looked for past the time the server could still be committing: nothing was issued.
          this.vault.finishIntent(intent.id)
          outcomes.push({ ...base, outcome: 'dropped' })
        } else {
          outcomes.push({ ...base, outcome: 'pending' })
        }
      } catch (error) {
        if (isCancellation(error)) throw error
        outcomes.push({ ...base, outcome: 'failed', message: error instanceof Error ? error.message : String(error) })
      }
      const done = outcomes.at(-1)!
      if (done.outcome !== 'pending') {
        this.activity?.record({
          action: 'cf.clientCerts.reconcile',
          target: done.certificateId ? `client certificate ${done.certificateId}` : `pending create on ${done.zone}`,
          profileId: intent.profileId,
          outcome: done.outcome === 'failed' ? 'failed' : 'ok',
          detail: { zone: done.zone, result: done.outcome, keyId: done.keyId ?? null },
        })
      }
    }
    return outcomes
  }

  private async run(
    profileId: string,
    zone: ZoneScope,
    intent: CreateIntent,
    resumed: boolean,
    csrPem: string,
    signal?: AbortSignal,
  ): Promise<IssueResult> {
    let result: ClientCertificateCreateResult
    const resumeSince = resumed ? Date.parse(intent.startedAt) : undefined
    try {
      const request = { profileId, zoneId: zone.zoneId, csrPem, validityDays: intent.validityDays }
      result = await this.cloudflare.run('clientCerts.createFromCsr', request, { signal, resumeSince })
    } catch (error) {
      // Refused, or never sent: nothing to find later. Unknown or cancelled: keep the intent pending.
      if (!outcomeUnknown(error) && !isCancellation(error)) this.vault.finishIntent(intent.id)
      throw error
    }
    const key = await this.linkIfKey(intent, result.certificate)
    this.vault.finishIntent(intent.id)
    return { ...result, ...(key ? { key } : {}), resumed }
  }

  /** Link the certificate to the intent's key (unless it already is); the key, or undefined without one. */
  private async linkIfKey(intent: CreateIntent, certificate: ClientCertificateSummary): Promise<VaultEntry | undefined> {
    if (!intent.keyId) return undefined
    // The key was deleted meanwhile: the certificate is found, there is nothing left to link it to.
    const entry = this.vault.list().find((e) => e.id === intent.keyId)
    if (!entry) return undefined
    if (entry.certificate?.cloudflareId === certificate.id) return entry
    if (!certificate.certificate) {
      const message = `Cloudflare returned certificate ${certificate.id} without its PEM, so it cannot be linked to "${entry.label}".`
      throw new AppError('cf_unexpected', message, {
        hint: 'Run `certdesk cf client-certs reconcile` (or restart Certdesk) to try again.',
      })
    }
    return this.vault.linkCertificate(intent.keyId, certificate.certificate, { cloudflareId: certificate.id, zoneId: intent.zoneId })
  }

  /** Decrypt the key before anything is sent: a certificate for a key that cannot be read is useless. */
  private async assertKeyReadable(entry: VaultEntry): Promise<void> {
    try {
      await this.vault.privateKey(entry.id)
    } catch (error) {
      if (error instanceof AppError) {
        const { hint, details } = error
        throw new AppError(error.code, `Nothing was sent to Cloudflare: ${error.message}`, { hint, details, cause: error })
      }
      throw error
    }
  }
}
