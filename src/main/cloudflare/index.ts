/**
 * CloudflareService: the one entry point the IPC handlers and the CLI use. Given a way to get a
 * profile's token and base URL, it builds an SDK client per profile on first use (rebuilt if the
 * token or URL changes), shares one rate limiter per token across every operation — and, through a
 * ledger file in the user-data folder, across every process (rate-ledger.ts) — and records
 * every change in the activity log — ids, names and outcomes, never tokens, keys or CSRs.
 */
import type {
  AccessCertificateSummary,
  AccessHostnameSetting,
  BulkRevokeResult,
  ClientCertificateCreateResult,
  ClientCertificatePage,
  ClientCertificateSummary,
  GatewayCertificateSummary,
  GatewayUploadResult,
  HostnamePlan,
  MtlsAssociation,
  MtlsCertificateSummary,
  MtlsCertificateType,
  TokenIdentity,
} from '../../shared/cloudflare-model'
import { AppError } from '../../shared/errors'
import { isCancellation, outcomeUnknown } from './errors'
import type { AccountRef } from '../../shared/model'
import type { ActivityInput } from '../storage/activity'
import * as access from './access-mtls'
import * as accountMtls from './account-mtls'
import * as certs from './client-certificates'
import { createCloudflareClient, type CloudflareClient } from './client'
import * as gateway from './gateway'
import * as hostnames from './hostnames'
import type { LongOperation } from './progress'
import { RateLimiter, type RateLimiterOptions, type RateLimiterStats } from './rate-limit'
import { budgetKey, FileRateLedger } from './rate-ledger'
import * as tokens from './tokens'

export type { CloudflareClient } from './client'
export type { ZoneScope } from './client-certificates'
export type { AccountScope } from './account-mtls'
export type { NamedAccessScope } from './access-mtls'
export type { LongOperation } from './progress'
export { planReplace } from './hostnames'
export { normaliseFingerprint, fingerprintOfPem } from './gateway'
export { RATE_LEDGER_DIR } from './rate-ledger'
export { rateWaitMessage, withRateWaitListener } from './rate-limit'

/** What the service needs to reach Cloudflare for a profile. */
export interface ProfileConnection {
  token: string
  /** Absent: Cloudflare's API. A Sandbox profile gives its loopback URL. */
  baseUrl?: string | undefined
  /** Accounts known for the profile (account-owned tokens verify per account). */
  accountIds?: readonly string[] | undefined
}

export interface CloudflareServiceOptions {
  connect(profileId: string): Promise<ProfileConnection>
  activity: { record(input: ActivityInput): unknown }
  /** Electron passes `net.fetch`; the global fetch otherwise. */
  fetch?: typeof fetch | undefined
  /** Limiter options for every token (share, onWaiting, ...); the ledger is chosen per token here. */
  limiter?: Omit<RateLimiterOptions, 'ledger'> | undefined
  /**
   * Folder of the shared rate ledgers (user data / rate-limit): every process given the same
   * folder shares one budget per token. Absent: each limiter counts in memory, for this process only.
   */
  rateLedgerDir?: string | undefined
  attemptTimeoutMs?: number | undefined
  /** After a create's answer is lost, how long (ms) to keep looking for its certificate (default 30 s) and the first pause. */
  createSettleMs?: number | undefined
  createPollMs?: number | undefined
}

/** What a change acts on, for the activity log: a one-line target, and the object's own id and name. */
interface ActivityObject {
  target: string
  objectId?: string
  objectName?: string
}

/** An object known by its id before the call (its name comes from the result). */
const byId = (id: string): ActivityObject => ({ target: id, objectId: id })

type ZoneScope = certs.ZoneScope
type AccountScope = accountMtls.AccountScope
type AccessScope = access.NamedAccessScope

interface CachedClient {
  key: string
  client: CloudflareClient
}

export class CloudflareService {
  private readonly clients = new Map<string, CachedClient>()
  /** One limiter per token and API (hashed), so two profiles on the same token share its budget. */
  private readonly limiters = new Map<string, RateLimiter>()

  constructor(private readonly options: CloudflareServiceOptions) {}

  /** The profile's client, built on first use and whenever its token or URL changed. */
  async client(profileId: string): Promise<CloudflareClient> {
    const connection = await this.options.connect(profileId)
    const key = budgetKey(connection.baseUrl ?? '', connection.token)
    const cached = this.clients.get(profileId)
    if (cached?.key === key) return cached.client
    let limiter = this.limiters.get(key)
    if (!limiter) {
      const { rateLedgerDir } = this.options
      limiter = new RateLimiter({ ...this.options.limiter, ...(rateLedgerDir ? { ledger: new FileRateLedger(rateLedgerDir, key) } : {}) })
      this.limiters.set(key, limiter)
    }
    const client = createCloudflareClient({
      token: connection.token,
      baseUrl: connection.baseUrl,
      fetch: this.options.fetch,
      limiter,
      attemptTimeoutMs: this.options.attemptTimeoutMs,
    })
    this.clients.set(profileId, { key, client })
    return client
  }

  /** Drop the cached client (profile removed or token replaced). */
  forget(profileId: string): void {
    this.clients.delete(profileId)
  }

  async rateStats(profileId: string): Promise<RateLimiterStats> {
    return (await this.client(profileId)).limiter.stats()
  }

  /**
   * Run a change and record it: succeeded, or failed / cancelled / unknown (the answer was lost) with
   * the error's message as the reason. `target` names the object before the call (an id, or a
   * `{ target, objectId, objectName }`); `describe` turns the result into its name, id and detail.
   */
  private async change<T>(
    profileId: string,
    action: string,
    target: string | ActivityObject,
    detail: Record<string, string | number | boolean | null>,
    work: () => Promise<T>,
    describe?: (result: T) => Partial<ActivityObject> & { detail?: Record<string, string | number | boolean | null> },
  ): Promise<T> {
    const before: ActivityObject = typeof target === 'string' ? { target } : target
    try {
      const result = await work()
      const { detail: extra, ...named } = describe?.(result) ?? {}
      this.options.activity.record({ action, ...before, ...named, profileId, detail: { ...detail, ...extra } })
      return result
    } catch (error) {
      const code = error instanceof AppError ? String(error.code) : 'internal'
      if (code !== 'bad_input') {
        const outcome = isCancellation(error) ? 'cancelled' : outcomeUnknown(error) ? 'unknown' : 'failed'
        const reason = error instanceof AppError ? error.message : 'An unexpected error (see the app log).'
        this.options.activity.record({ action, ...before, profileId, outcome, reason, detail: { ...detail, error: code } })
      }
      throw error
    }
  }

  // --- identity -------------------------------------------------------------------------------

  async identity(profileId: string, signal?: AbortSignal): Promise<TokenIdentity> {
    const connection = await this.options.connect(profileId)
    return tokens.tokenIdentity(await this.client(profileId), connection.accountIds ?? [], signal)
  }

  async verify(profileId: string, signal?: AbortSignal): Promise<tokens.TokenVerification> {
    const connection = await this.options.connect(profileId)
    return tokens.verifyToken(await this.client(profileId), connection.accountIds ?? [], signal)
  }

  async listAccounts(profileId: string, signal?: AbortSignal): Promise<AccountRef[]> {
    return tokens.listAccounts(await this.client(profileId), signal)
  }

  async listZones(profileId: string, accountId?: string, signal?: AbortSignal): Promise<tokens.ZoneWithAccount[]> {
    return tokens.listZones(await this.client(profileId), { accountId, signal })
  }

  // --- client certificates --------------------------------------------------------------------

  async *clientCertificatePages(
    profileId: string,
    zone: ZoneScope,
    options: certs.ListOptions = {},
  ): AsyncGenerator<ClientCertificatePage> {
    yield* certs.listClientCertificatePages(await this.client(profileId), zone, options)
  }

  async listClientCertificates(profileId: string, zone: ZoneScope, options: certs.ListOptions = {}): Promise<ClientCertificateSummary[]> {
    return certs.listClientCertificates(await this.client(profileId), zone, options)
  }

  async getClientCertificate(profileId: string, zone: ZoneScope, id: string, signal?: AbortSignal): Promise<ClientCertificateSummary> {
    return certs.getClientCertificate(await this.client(profileId), zone, id, signal)
  }

  /** The create options every create shares: how long a lost answer is looked for. */
  private settle(): Pick<certs.CreateOptions, 'settleMs' | 'pollMs'> {
    return { settleMs: this.options.createSettleMs, pollMs: this.options.createPollMs }
  }

  /** How long (ms) after a create was sent its certificate may still appear. */
  get createSettleMs(): number {
    return this.options.createSettleMs ?? certs.DEFAULT_SETTLE_MS
  }

  /**
   * `resumeSince`: a create for this CSR was sent at that time and its outcome is unknown — look for
   * its certificate before sending anything (see ClientCertIssuer).
   */
  async createClientCertificate(
    profileId: string,
    zone: ZoneScope,
    request: { csrPem: string; validityDays: number },
    signal?: AbortSignal,
    resumeSince?: number,
  ): Promise<ClientCertificateCreateResult> {
    const client = await this.client(profileId)
    return this.change(
      profileId,
      'cf.clientCertificate.create',
      `zone ${zone.zoneName ?? zone.zoneId}`,
      { zone: zone.zoneName ?? zone.zoneId, validityDays: request.validityDays },
      () => certs.createClientCertificate(client, zone, request, { signal, resumeSince, ...this.settle() }),
      (r) => ({
        target: `${r.certificate.commonName} (${r.certificate.id})`,
        objectId: r.certificate.id,
        objectName: r.certificate.commonName,
        detail: { recovered: r.recovered, serial: r.certificate.serialNumber ?? null },
      }),
    )
  }

  /** The certificate issued for this CSR since `since` (ms), looked for until `until` (ms, with backoff), or null. */
  async findIssuedClientCertificate(
    profileId: string,
    zone: ZoneScope,
    request: { csrPem: string; since: number; until: number },
    signal?: AbortSignal,
  ): Promise<ClientCertificateSummary | null> {
    const client = await this.client(profileId)
    return certs.awaitIssued(client, zone, request.csrPem, request.since, request.until, { signal, ...this.settle() }, undefined)
  }

  async revokeClientCertificate(profileId: string, zone: ZoneScope, id: string, signal?: AbortSignal): Promise<ClientCertificateSummary> {
    const client = await this.client(profileId)
    return this.change(
      profileId,
      'cf.clientCertificate.revoke',
      byId(id),
      { zone: zone.zoneName ?? zone.zoneId },
      () => certs.revokeClientCertificate(client, zone, id, signal),
      (r) => ({
        target: `${r.commonName} (${r.id})`,
        objectName: r.commonName,
        detail: { status: r.status },
      }),
    )
  }

  async reactivateClientCertificate(
    profileId: string,
    zone: ZoneScope,
    id: string,
    signal?: AbortSignal,
  ): Promise<ClientCertificateSummary> {
    const client = await this.client(profileId)
    return this.change(
      profileId,
      'cf.clientCertificate.reactivate',
      byId(id),
      { zone: zone.zoneName ?? zone.zoneId },
      () => certs.reactivateClientCertificate(client, zone, id, signal),
      (r) => ({
        target: `${r.commonName} (${r.id})`,
        objectName: r.commonName,
        detail: { status: r.status },
      }),
    )
  }

  /**
   * One activity entry per certificate (the drawer reads history by certificate id), saying what
   * became of it: detail.outcome is done, failed, not_sent or unknown.
   */
  async bulkRevoke(profileId: string, zone: ZoneScope, ids: readonly string[], options: certs.BulkOptions = {}): Promise<BulkRevokeResult> {
    const client = await this.client(profileId)
    const result = await certs.bulkRevoke(client, zone, ids, options)
    const errors = new Map(result.failed.map((f) => [f.id, f]))
    // The audit outcome of each certificate: revoked, failed (with why), never sent, or sent but unanswered.
    const OUTCOMES = { done: 'ok', failed: 'failed', not_sent: 'cancelled', unknown: 'unknown' } as const
    for (const item of result.items) {
      const failure = errors.get(item.id)
      this.options.activity.record({
        action: 'cf.clientCertificate.revoke',
        target: item.commonName || item.id,
        objectId: item.id,
        ...(item.commonName ? { objectName: item.commonName } : {}),
        profileId,
        outcome: OUTCOMES[item.outcome],
        ...(failure ? { reason: failure.message } : item.outcome === 'not_sent' ? { reason: 'Cancelled before it was sent.' } : {}),
        detail: {
          zone: zone.zoneName ?? zone.zoneId,
          id: item.id,
          outcome: item.outcome,
          bulk: true,
          ...(item.status ? { status: item.status } : {}),
          ...(failure ? { error: failure.code } : {}),
        },
      })
    }
    return result
  }

  async bulkCreate(
    profileId: string,
    zone: ZoneScope,
    items: readonly certs.BulkCreateItem[],
    options: Parameters<typeof certs.bulkCreate>[3] = {},
  ): Promise<certs.BulkCreateResult> {
    const client = await this.client(profileId)
    const result = await certs.bulkCreate(client, zone, items, { ...this.settle(), ...options })
    this.options.activity.record({
      action: 'cf.clientCertificate.bulkCreate',
      target: `${items.length} certificate(s) in zone ${zone.zoneName ?? zone.zoneId}`,
      profileId,
      outcome: result.failed.length ? 'failed' : 'ok',
      detail: {
        issued: result.issued.length,
        recovered: result.issued.filter((i) => i.recovered).length,
        failed: result.failed.length,
        cancelled: result.cancelled,
        retries: result.retries,
      },
    })
    return result
  }

  // --- hostname associations ------------------------------------------------------------------

  async getHostnames(profileId: string, zone: ZoneScope, ca: hostnames.CaRef = {}, signal?: AbortSignal): Promise<string[]> {
    return hostnames.getHostnameAssociations(await this.client(profileId), zone, ca, signal)
  }

  /** The plan for the review screen: the live list and what replacing it with `next` does. */
  async planHostnames(
    profileId: string,
    zone: ZoneScope,
    ca: hostnames.CaRef,
    next: readonly string[],
    signal?: AbortSignal,
  ): Promise<{ current: string[]; plan: HostnamePlan }> {
    const normalised = hostnames.normaliseHostnames(next)
    const current = await this.getHostnames(profileId, zone, ca, signal)
    return { current, plan: hostnames.planReplace(current, normalised) }
  }

  async replaceHostnames(
    profileId: string,
    zone: ZoneScope,
    request: hostnames.ReplaceRequest,
    signal?: AbortSignal,
  ): Promise<hostnames.ReplaceResult> {
    const client = await this.client(profileId)
    const ca = request.mtlsCertificateId ? `CA ${request.mtlsCertificateId}` : 'managed CA'
    const on = `${ca} on zone ${zone.zoneName ?? zone.zoneId}`
    return this.change(
      profileId,
      'cf.hostnames.replace',
      { target: on, objectId: zone.zoneId, objectName: on },
      {},
      () => hostnames.replaceHostnameAssociations(client, zone, request, signal),
      (r) => ({
        detail: { added: r.plan.added.join(' '), removed: r.plan.removed.join(' '), changed: r.changed },
      }),
    )
  }

  // --- Access mTLS ----------------------------------------------------------------------------

  async listAccessCertificates(profileId: string, scope: AccessScope, signal?: AbortSignal): Promise<AccessCertificateSummary[]> {
    return access.listAccessCertificates(await this.client(profileId), scope, signal)
  }

  async addAccessCertificate(
    profileId: string,
    scope: AccessScope,
    request: access.AddAccessCertificate,
    signal?: AbortSignal,
  ): Promise<AccessCertificateSummary> {
    const client = await this.client(profileId)
    return this.change(
      profileId,
      'cf.access.add',
      { target: request.name, objectName: request.name },
      { scope: scopeLabel(scope), hostnames: (request.hostnames ?? []).join(' ') },
      () => access.addAccessCertificate(client, scope, request, signal),
      (r) => ({
        target: `${r.name} (${r.id})`,
        objectId: r.id,
        objectName: r.name,
      }),
    )
  }

  async updateAccessHostnames(
    profileId: string,
    scope: AccessScope,
    id: string,
    next: readonly string[],
    signal?: AbortSignal,
  ): Promise<AccessCertificateSummary> {
    const client = await this.client(profileId)
    return this.change(
      profileId,
      'cf.access.updateHostnames',
      byId(id),
      { scope: scopeLabel(scope), hostnames: next.join(' ') },
      () => access.updateAccessHostnames(client, scope, id, next, signal),
      (r) => ({
        target: `${r.name} (${r.id})`,
        objectId: r.id,
        objectName: r.name,
      }),
    )
  }

  async deleteAccessCertificate(
    profileId: string,
    scope: AccessScope,
    id: string,
    options: access.DeleteOptions = {},
  ): Promise<{ id: string; detached: string[]; attempts: number }> {
    const client = await this.client(profileId)
    return this.change(
      profileId,
      'cf.access.delete',
      byId(id),
      { scope: scopeLabel(scope) },
      () => access.deleteAccessCertificate(client, scope, id, options),
      (r) => ({
        detail: { detached: r.detached.join(' '), attempts: r.attempts },
      }),
    )
  }

  async getAccessSettings(profileId: string, scope: AccessScope, signal?: AbortSignal): Promise<AccessHostnameSetting[]> {
    return access.getAccessHostnameSettings(await this.client(profileId), scope, signal)
  }

  async updateAccessSettings(
    profileId: string,
    scope: AccessScope,
    settings: readonly AccessHostnameSetting[],
    signal?: AbortSignal,
  ): Promise<AccessHostnameSetting[]> {
    const client = await this.client(profileId)
    return this.change(profileId, 'cf.access.settings', scopeLabel(scope), { hostnames: settings.map((s) => s.hostname).join(' ') }, () =>
      access.updateAccessHostnameSettings(client, scope, settings, signal),
    )
  }

  // --- account mTLS ---------------------------------------------------------------------------

  async listMtlsCertificates(
    profileId: string,
    scope: AccountScope,
    types?: readonly MtlsCertificateType[],
    signal?: AbortSignal,
  ): Promise<MtlsCertificateSummary[]> {
    return accountMtls.listMtlsCertificates(await this.client(profileId), scope, types, signal)
  }

  async uploadCa(
    profileId: string,
    scope: AccountScope,
    request: accountMtls.UploadCaRequest,
    signal?: AbortSignal,
  ): Promise<MtlsCertificateSummary> {
    const client = await this.client(profileId)
    const uploaded = await this.change(
      profileId,
      'cf.mtls.upload',
      { target: request.name ?? 'CA certificate', ...(request.name ? { objectName: request.name } : {}) },
      { account: scope.accountName ?? scope.accountId, withPrivateKey: Boolean(request.privateKeyPem) },
      () => accountMtls.uploadCaChain(client, scope, request, signal),
      (r) => ({
        target: `${r.name ?? r.issuer ?? 'CA'} (${r.id})`,
        objectId: r.id,
        objectName: r.name ?? r.issuer ?? 'CA',
        detail: { chainLength: r.chain.certificates.length },
      }),
    )
    const { chain: _chain, ...summary } = uploaded
    return summary
  }

  async mtlsAssociations(profileId: string, scope: AccountScope, id: string, signal?: AbortSignal): Promise<MtlsAssociation[]> {
    return accountMtls.getMtlsAssociations(await this.client(profileId), scope, id, signal)
  }

  async deleteMtlsCertificate(profileId: string, scope: AccountScope, id: string, signal?: AbortSignal): Promise<{ id: string }> {
    const client = await this.client(profileId)
    return this.change(profileId, 'cf.mtls.delete', byId(id), { account: scope.accountName ?? scope.accountId }, () =>
      accountMtls.deleteMtlsCertificate(client, scope, id, signal),
    )
  }

  // --- Gateway --------------------------------------------------------------------------------

  async listGatewayCertificates(profileId: string, scope: AccountScope, signal?: AbortSignal): Promise<GatewayCertificateSummary[]> {
    return gateway.listGatewayCertificates(await this.client(profileId), scope, signal)
  }

  async createGatewayCertificate(
    profileId: string,
    scope: AccountScope,
    validityDays?: number,
    signal?: AbortSignal,
  ): Promise<GatewayCertificateSummary> {
    const client = await this.client(profileId)
    return this.change(
      profileId,
      'cf.gateway.create',
      'Gateway certificate',
      { validityDays: validityDays ?? 1825 },
      () => gateway.createGatewayCertificate(client, scope, validityDays, signal),
      (r) => ({ target: r.id, objectId: r.id }),
    )
  }

  async uploadGatewayRoot(
    profileId: string,
    scope: AccountScope,
    request: accountMtls.UploadCaRequest,
    options: LongOperation = {},
  ): Promise<GatewayUploadResult> {
    const client = await this.client(profileId)
    return this.change(
      profileId,
      'cf.gateway.uploadRoot',
      request.name ?? 'Gateway root',
      { account: scope.accountName ?? scope.accountId },
      () => gateway.uploadCustomRoot(client, scope, request, options),
      (r) => ({
        target: `${request.name ?? 'Gateway root'} (${r.gateway.id})`,
        objectId: r.gateway.id,
        objectName: request.name ?? 'Gateway root',
        detail: { matchedBy: r.matchedBy, mtlsCertificateId: r.mtlsCertificateId },
      }),
    )
  }

  /** Activate and, unless `wait` is false, watch until available. */
  async activateGatewayCertificate(
    profileId: string,
    scope: AccountScope,
    id: string,
    options: gateway.WatchOptions & { wait?: boolean } = {},
  ): Promise<GatewayCertificateSummary> {
    const client = await this.client(profileId)
    return this.change(
      profileId,
      'cf.gateway.activate',
      byId(id),
      {},
      () =>
        options.wait === false
          ? gateway.activateGatewayCertificate(client, scope, id, options.signal)
          : gateway.activateAndWait(client, scope, id, options),
      (r) => ({
        detail: { bindingStatus: r.bindingStatus ?? null },
      }),
    )
  }

  async watchGatewayCertificate(
    profileId: string,
    scope: AccountScope,
    id: string,
    options: gateway.WatchOptions = {},
  ): Promise<GatewayCertificateSummary> {
    return gateway.watchBindingStatus(await this.client(profileId), scope, id, options)
  }

  async useGatewayCertificateForInspection(
    profileId: string,
    scope: AccountScope,
    id: string,
    signal?: AbortSignal,
  ): Promise<{ certificateId: string }> {
    const client = await this.client(profileId)
    return this.change(profileId, 'cf.gateway.useForInspection', byId(id), {}, () => gateway.useForInspection(client, scope, id, signal))
  }

  async inspectionCertificateId(profileId: string, scope: AccountScope, signal?: AbortSignal): Promise<string | null> {
    return gateway.inspectionCertificateId(await this.client(profileId), scope, signal)
  }

  async deactivateGatewayCertificate(
    profileId: string,
    scope: AccountScope,
    id: string,
    signal?: AbortSignal,
  ): Promise<GatewayCertificateSummary> {
    const client = await this.client(profileId)
    return this.change(
      profileId,
      'cf.gateway.deactivate',
      byId(id),
      {},
      () => gateway.deactivateGatewayCertificate(client, scope, id, signal),
      (r) => ({ detail: { bindingStatus: r.bindingStatus ?? null } }),
    )
  }

  async deleteGatewayCertificate(profileId: string, scope: AccountScope, id: string, signal?: AbortSignal): Promise<{ id: string }> {
    const client = await this.client(profileId)
    return this.change(profileId, 'cf.gateway.delete', byId(id), {}, () => gateway.deleteGatewayCertificate(client, scope, id, signal))
  }
}

function scopeLabel(scope: AccessScope): string {
  return scope.kind === 'account' ? `account ${scope.name ?? scope.accountId}` : `zone ${scope.name ?? scope.zoneId}`
}
