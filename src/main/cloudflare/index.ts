/**
 * CloudflareService: the one entry point the IPC handlers and the CLI use. Given a way to get a
 * profile's token and base URL, it builds an SDK client per profile on first use (rebuilt if the
 * token or URL changes), shares one rate limiter per token across every operation, and records
 * every change in the activity log — ids, names and outcomes, never tokens, keys or CSRs.
 */
import { createHash } from 'node:crypto'
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
import * as tokens from './tokens'

export type { CloudflareClient } from './client'
export type { ZoneScope } from './client-certificates'
export type { AccountScope } from './account-mtls'
export type { NamedAccessScope } from './access-mtls'
export type { LongOperation } from './progress'
export { planReplace } from './hostnames'
export { normaliseFingerprint, fingerprintOfPem } from './gateway'

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
  limiter?: RateLimiterOptions | undefined
  attemptTimeoutMs?: number | undefined
}

type ZoneScope = certs.ZoneScope
type AccountScope = accountMtls.AccountScope
type AccessScope = access.NamedAccessScope

interface CachedClient {
  key: string
  client: CloudflareClient
}

export class CloudflareService {
  private readonly clients = new Map<string, CachedClient>()
  /** One limiter per token (hashed), so two profiles on the same token share its budget. */
  private readonly limiters = new Map<string, RateLimiter>()

  constructor(private readonly options: CloudflareServiceOptions) {}

  /** The profile's client, built on first use and whenever its token or URL changed. */
  async client(profileId: string): Promise<CloudflareClient> {
    const connection = await this.options.connect(profileId)
    const tokenKey = createHash('sha256').update(connection.token).digest('hex')
    const key = `${tokenKey}|${connection.baseUrl ?? ''}`
    const cached = this.clients.get(profileId)
    if (cached?.key === key) return cached.client
    let limiter = this.limiters.get(tokenKey)
    if (!limiter) {
      limiter = new RateLimiter(this.options.limiter)
      this.limiters.set(tokenKey, limiter)
    }
    const client = createCloudflareClient({ token: connection.token, baseUrl: connection.baseUrl, fetch: this.options.fetch, limiter, attemptTimeoutMs: this.options.attemptTimeoutMs })
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

  /** Run a change and record it, ok or failed. `describe` turns the result into target and detail. */
  private async change<T>(
    profileId: string,
    action: string,
    target: string,
    detail: Record<string, string | number | boolean | null>,
    work: () => Promise<T>,
    describe?: (result: T) => { target?: string; detail?: Record<string, string | number | boolean | null> },
  ): Promise<T> {
    try {
      const result = await work()
      const extra = describe?.(result) ?? {}
      this.options.activity.record({ action, target: extra.target ?? target, profileId, detail: { ...detail, ...extra.detail } })
      return result
    } catch (error) {
      const code = error instanceof AppError ? String(error.code) : 'internal'
      if (code !== 'bad_input') this.options.activity.record({ action, target, profileId, outcome: 'failed', detail: { ...detail, error: code } })
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

  async *clientCertificatePages(profileId: string, zone: ZoneScope, options: certs.ListOptions = {}): AsyncGenerator<ClientCertificatePage> {
    yield* certs.listClientCertificatePages(await this.client(profileId), zone, options)
  }

  async listClientCertificates(profileId: string, zone: ZoneScope, options: certs.ListOptions = {}): Promise<ClientCertificateSummary[]> {
    return certs.listClientCertificates(await this.client(profileId), zone, options)
  }

  async getClientCertificate(profileId: string, zone: ZoneScope, id: string, signal?: AbortSignal): Promise<ClientCertificateSummary> {
    return certs.getClientCertificate(await this.client(profileId), zone, id, signal)
  }

  async createClientCertificate(profileId: string, zone: ZoneScope, request: { csrPem: string; validityDays: number }, signal?: AbortSignal): Promise<ClientCertificateCreateResult> {
    const client = await this.client(profileId)
    return this.change(
      profileId,
      'cf.clientCertificate.create',
      `zone ${zone.zoneName ?? zone.zoneId}`,
      { zone: zone.zoneName ?? zone.zoneId, validityDays: request.validityDays },
      () => certs.createClientCertificate(client, zone, request, { signal }),
      (r) => ({ target: `${r.certificate.commonName} (${r.certificate.id})`, detail: { recovered: r.recovered, serial: r.certificate.serialNumber ?? null } }),
    )
  }

  async revokeClientCertificate(profileId: string, zone: ZoneScope, id: string, signal?: AbortSignal): Promise<ClientCertificateSummary> {
    const client = await this.client(profileId)
    return this.change(profileId, 'cf.clientCertificate.revoke', id, { zone: zone.zoneName ?? zone.zoneId }, () => certs.revokeClientCertificate(client, zone, id, signal), (r) => ({
      target: `${r.commonName} (${r.id})`,
      detail: { status: r.status },
    }))
  }

  async reactivateClientCertificate(profileId: string, zone: ZoneScope, id: string, signal?: AbortSignal): Promise<ClientCertificateSummary> {
    const client = await this.client(profileId)
    return this.change(profileId, 'cf.clientCertificate.reactivate', id, { zone: zone.zoneName ?? zone.zoneId }, () => certs.reactivateClientCertificate(client, zone, id, signal), (r) => ({
      target: `${r.commonName} (${r.id})`,
      detail: { status: r.status },
    }))
  }

  /**
   * One activity entry per certificate (the drawer reads history by certificate id), saying what
   * became of it: detail.outcome is done, failed, not_sent or unknown.
   */
  async bulkRevoke(profileId: string, zone: ZoneScope, ids: readonly string[], options: certs.BulkOptions = {}): Promise<BulkRevokeResult> {
    const client = await this.client(profileId)
    const result = await certs.bulkRevoke(client, zone, ids, options)
    const errors = new Map(result.failed.map((f) => [f.id, f.code]))
    for (const item of result.items) {
      this.options.activity.record({
        action: 'cf.clientCertificate.revoke',
        target: item.commonName || item.id,
        profileId,
        outcome: item.outcome === 'done' ? 'ok' : 'failed',
        detail: {
          zone: zone.zoneName ?? zone.zoneId,
          id: item.id,
          outcome: item.outcome,
          bulk: true,
          ...(item.status ? { status: item.status } : {}),
          ...(errors.has(item.id) ? { error: errors.get(item.id)! } : {}),
        },
      })
    }
    return result
  }

  async bulkCreate(profileId: string, zone: ZoneScope, items: readonly certs.BulkCreateItem[], options: Parameters<typeof certs.bulkCreate>[3] = {}): Promise<certs.BulkCreateResult> {
    const client = await this.client(profileId)
    const result = await certs.bulkCreate(client, zone, items, options)
    this.options.activity.record({
      action: 'cf.clientCertificate.bulkCreate',
      target: `${items.length} certificate(s) in zone ${zone.zoneName ?? zone.zoneId}`,
      profileId,
      outcome: result.failed.length ? 'failed' : 'ok',
      detail: { issued: result.issued.length, recovered: result.issued.filter((i) => i.recovered).length, failed: result.failed.length, cancelled: result.cancelled, retries: result.retries },
    })
    return result
  }

  // --- hostname associations ------------------------------------------------------------------

  async getHostnames(profileId: string, zone: ZoneScope, ca: hostnames.CaRef = {}, signal?: AbortSignal): Promise<string[]> {
    return hostnames.getHostnameAssociations(await this.client(profileId), zone, ca, signal)
  }

  /** The plan for the review screen: the live list and what replacing it with `next` does. */
  async planHostnames(profileId: string, zone: ZoneScope, ca: hostnames.CaRef, next: readonly string[], signal?: AbortSignal): Promise<{ current: string[]; plan: HostnamePlan }> {
    const normalised = hostnames.normaliseHostnames(next)
    const current = await this.getHostnames(profileId, zone, ca, signal)
    return { current, plan: hostnames.planReplace(current, normalised) }
  }

  async replaceHostnames(profileId: string, zone: ZoneScope, request: hostnames.ReplaceRequest, signal?: AbortSignal): Promise<hostnames.ReplaceResult> {
    const client = await this.client(profileId)
    const ca = request.mtlsCertificateId ? `CA ${request.mtlsCertificateId}` : 'managed CA'
    return this.change(profileId, 'cf.hostnames.replace', `${ca} on zone ${zone.zoneName ?? zone.zoneId}`, {}, () => hostnames.replaceHostnameAssociations(client, zone, request, signal), (r) => ({
      detail: { added: r.plan.added.join(' '), removed: r.plan.removed.join(' '), changed: r.changed },
    }))
  }

  // --- Access mTLS ----------------------------------------------------------------------------

  async listAccessCertificates(profileId: string, scope: AccessScope, signal?: AbortSignal): Promise<AccessCertificateSummary[]> {
    return access.listAccessCertificates(await this.client(profileId), scope, signal)
  }

  async addAccessCertificate(profileId: string, scope: AccessScope, request: access.AddAccessCertificate, signal?: AbortSignal): Promise<AccessCertificateSummary> {
    const client = await this.client(profileId)
    return this.change(profileId, 'cf.access.add', request.name, { scope: scopeLabel(scope), hostnames: (request.hostnames ?? []).join(' ') }, () => access.addAccessCertificate(client, scope, request, signal), (r) => ({
      target: `${r.name} (${r.id})`,
    }))
  }

  async updateAccessHostnames(profileId: string, scope: AccessScope, id: string, next: readonly string[], signal?: AbortSignal): Promise<AccessCertificateSummary> {
    const client = await this.client(profileId)
    return this.change(profileId, 'cf.access.updateHostnames', id, { scope: scopeLabel(scope), hostnames: next.join(' ') }, () => access.updateAccessHostnames(client, scope, id, next, signal), (r) => ({
      target: `${r.name} (${r.id})`,
    }))
  }

  async deleteAccessCertificate(profileId: string, scope: AccessScope, id: string, options: access.DeleteOptions = {}): Promise<{ id: string; detached: string[]; attempts: number }> {
    const client = await this.client(profileId)
    return this.change(profileId, 'cf.access.delete', id, { scope: scopeLabel(scope) }, () => access.deleteAccessCertificate(client, scope, id, options), (r) => ({
      detail: { detached: r.detached.join(' '), attempts: r.attempts },
    }))
  }

  async getAccessSettings(profileId: string, scope: AccessScope, signal?: AbortSignal): Promise<AccessHostnameSetting[]> {
    return access.getAccessHostnameSettings(await this.client(profileId), scope, signal)
  }

  async updateAccessSettings(profileId: string, scope: AccessScope, settings: readonly AccessHostnameSetting[], signal?: AbortSignal): Promise<AccessHostnameSetting[]> {
    const client = await this.client(profileId)
    return this.change(profileId, 'cf.access.settings', scopeLabel(scope), { hostnames: settings.map((s) => s.hostname).join(' ') }, () => access.updateAccessHostnameSettings(client, scope, settings, signal))
  }

  // --- account mTLS ---------------------------------------------------------------------------

  async listMtlsCertificates(profileId: string, scope: AccountScope, types?: readonly MtlsCertificateType[], signal?: AbortSignal): Promise<MtlsCertificateSummary[]> {
    return accountMtls.listMtlsCertificates(await this.client(profileId), scope, types, signal)
  }

  async uploadCa(profileId: string, scope: AccountScope, request: accountMtls.UploadCaRequest, signal?: AbortSignal): Promise<MtlsCertificateSummary> {
    const client = await this.client(profileId)
    const uploaded = await this.change(profileId, 'cf.mtls.upload', request.name ?? 'CA certificate', { account: scope.accountName ?? scope.accountId, withPrivateKey: Boolean(request.privateKeyPem) }, () => accountMtls.uploadCaChain(client, scope, request, signal), (r) => ({
      target: `${r.name ?? r.issuer ?? 'CA'} (${r.id})`,
      detail: { chainLength: r.chain.certificates.length },
    }))
    const { chain: _chain, ...summary } = uploaded
    return summary
  }

  async mtlsAssociations(profileId: string, scope: AccountScope, id: string, signal?: AbortSignal): Promise<MtlsAssociation[]> {
    return accountMtls.getMtlsAssociations(await this.client(profileId), scope, id, signal)
  }

  async deleteMtlsCertificate(profileId: string, scope: AccountScope, id: string, signal?: AbortSignal): Promise<{ id: string }> {
    const client = await this.client(profileId)
    return this.change(profileId, 'cf.mtls.delete', id, { account: scope.accountName ?? scope.accountId }, () => accountMtls.deleteMtlsCertificate(client, scope, id, signal))
  }

  // --- Gateway --------------------------------------------------------------------------------

  async listGatewayCertificates(profileId: string, scope: AccountScope, signal?: AbortSignal): Promise<GatewayCertificateSummary[]> {
    return gateway.listGatewayCertificates(await this.client(profileId), scope, signal)
  }

  async createGatewayCertificate(profileId: string, scope: AccountScope, validityDays?: number, signal?: AbortSignal): Promise<GatewayCertificateSummary> {
    const client = await this.client(profileId)
    return this.change(profileId, 'cf.gateway.create', 'Gateway certificate', { validityDays: validityDays ?? 1825 }, () => gateway.createGatewayCertificate(client, scope, validityDays, signal), (r) => ({ target: r.id }))
  }

  async uploadGatewayRoot(profileId: string, scope: AccountScope, request: accountMtls.UploadCaRequest, options: LongOperation = {}): Promise<GatewayUploadResult> {
    const client = await this.client(profileId)
    return this.change(profileId, 'cf.gateway.uploadRoot', request.name ?? 'Gateway root', { account: scope.accountName ?? scope.accountId }, () => gateway.uploadCustomRoot(client, scope, request, options), (r) => ({
      target: `${request.name ?? 'Gateway root'} (${r.gateway.id})`,
      detail: { matchedBy: r.matchedBy, mtlsCertificateId: r.mtlsCertificateId },
    }))
  }

  /** Activate and, unless `wait` is false, watch until available. */
  async activateGatewayCertificate(profileId: string, scope: AccountScope, id: string, options: gateway.WatchOptions & { wait?: boolean } = {}): Promise<GatewayCertificateSummary> {
    const client = await this.client(profileId)
    return this.change(profileId, 'cf.gateway.activate', id, {}, () => (options.wait === false ? gateway.activateGatewayCertificate(client, scope, id, options.signal) : gateway.activateAndWait(client, scope, id, options)), (r) => ({
      detail: { bindingStatus: r.bindingStatus ?? null },
    }))
  }

  async watchGatewayCertificate(profileId: string, scope: AccountScope, id: string, options: gateway.WatchOptions = {}): Promise<GatewayCertificateSummary> {
    return gateway.watchBindingStatus(await this.client(profileId), scope, id, options)
  }

  async useGatewayCertificateForInspection(profileId: string, scope: AccountScope, id: string, signal?: AbortSignal): Promise<{ certificateId: string }> {
    const client = await this.client(profileId)
    return this.change(profileId, 'cf.gateway.useForInspection', id, {}, () => gateway.useForInspection(client, scope, id, signal))
  }

  async inspectionCertificateId(profileId: string, scope: AccountScope, signal?: AbortSignal): Promise<string | null> {
    return gateway.inspectionCertificateId(await this.client(profileId), scope, signal)
  }

  async deactivateGatewayCertificate(profileId: string, scope: AccountScope, id: string, signal?: AbortSignal): Promise<GatewayCertificateSummary> {
    const client = await this.client(profileId)
    return this.change(profileId, 'cf.gateway.deactivate', id, {}, () => gateway.deactivateGatewayCertificate(client, scope, id, signal), (r) => ({ detail: { bindingStatus: r.bindingStatus ?? null } }))
  }

  async deleteGatewayCertificate(profileId: string, scope: AccountScope, id: string, signal?: AbortSignal): Promise<{ id: string }> {
    const client = await this.client(profileId)
    return this.change(profileId, 'cf.gateway.delete', id, {}, () => gateway.deleteGatewayCertificate(client, scope, id, signal))
  }
}

function scopeLabel(scope: AccessScope): string {
  return scope.kind === 'account' ? `account ${scope.name ?? scope.accountId}` : `zone ${scope.name ?? scope.zoneId}`
}
