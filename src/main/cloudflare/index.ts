/**
 * CloudflareService: the one entry point the IPC handlers and the CLI use. Every operation runs
 * through `run(key, request)`: the operation is declared once, in its surface module (operation.ts); the runner
 * resolves the profile's client and the zone, account or Access scope (with names for messages),
 * and records every change in the activity log under `cf.<key>` — ids, names and outcomes, never
 * tokens, keys or CSRs. Errors arrive mapped by the surface modules (errors.ts names the operation
 * from its key). One SDK client per profile, built on first use (rebuilt if the token or URL
 * changes); one rate limiter per token shared by every operation — and, through a ledger file in
 * the user-data folder, by every process (rate-ledger.ts).
 */
import type { ClientCertificateSummary, TokenIdentity } from '../../shared/cloudflare-model'
import { AppError } from '../../shared/errors'
import type { AccountRef, ZoneRef } from '../../shared/model'
import type { ActivityInput } from '../storage/activity'
import * as certs from './client-certificates'
import { createCloudflareClient, type CloudflareClient } from './client'
import { isCancellation, outcomeUnknown } from './errors'
import type { ActivityObject, Detail, RunContext, RunKey, RunRequest, RunResponse } from './operation'
import { operationTable } from './operation-table'
import type { LongOperation } from './progress'
import { RateLimiter, type RateLimiterOptions, type RateLimiterStats } from './rate-limit'
import { budgetKey, FileRateLedger } from './rate-ledger'
import * as tokens from './tokens'

export type { CloudflareClient } from './client'
export type { ZoneScope } from './client-certificates'
export type { AccountScope } from './account-mtls'
export type { NamedAccessScope } from './access-mtls'
export type { LongOperation } from './progress'
export type { RunKey, RunRequest, RunResponse } from './operation'
export { keyOf } from './operation'
export { operationTable, operationWords } from './operation-table'
export { planReplace } from './hostnames'
export { normaliseFingerprint, fingerprintOfPem } from './gateway'
export { RATE_LEDGER_DIR } from './rate-ledger'
export { rateWaitMessage, withRateWaitListener } from './rate-limit'

/** What the service needs to reach Cloudflare for a profile (profiles/connections.ts gives it). */
export interface ProfileConnection {
  token: string
  /** Absent: Cloudflare's API. A Sandbox profile gives its loopback URL. */
  baseUrl?: string | undefined
  /** Accounts known for the profile, named for messages (account-owned tokens verify per account). */
  accounts?: readonly AccountRef[] | undefined
  /** Zones known for the profile, named for messages. */
  zones?: readonly ZoneRef[] | undefined
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

/** What a run takes besides the request: the job's signal and progress, and an intent being resumed. */
export interface RunOptions extends LongOperation {
  /** A create for this CSR was sent at that time (ms) and its outcome is unknown: look for its certificate first. */
  resumeSince?: number | undefined
}

interface CachedClient {
  key: string
  client: CloudflareClient
}

/** An operation of the table as the runner sees it: its request and result are the caller's to type. */
interface AnySpec {
  scope: 'zone' | 'account' | 'access'
  call(context: RunContext<unknown>): Promise<unknown>
  audit?: {
    before(request: unknown, at: unknown): string | ActivityObject
    detail?(request: unknown, at: unknown): Detail
    after?(result: unknown, request: unknown): Partial<ActivityObject> & { detail?: Detail }
  }
}

type ScopeRequest = {
  zoneId?: string
  accountId?: string
  scope?: { kind: 'account'; accountId: string } | { kind: 'zone'; zoneId: string }
}

export class CloudflareService {
  private readonly clients = new Map<string, CachedClient>()
  /** One limiter per token and API (hashed), so two profiles on the same token share its budget. */
  private readonly limiters = new Map<string, RateLimiter>()

  constructor(private readonly options: CloudflareServiceOptions) {}

  /** The profile's client, built on first use and whenever its token or URL changed. */
  async client(profileId: string): Promise<CloudflareClient> {
    return this.connect(profileId).then((c) => c.client)
  }

  private async connect(profileId: string): Promise<{ client: CloudflareClient; connection: ProfileConnection }> {
    const connection = await this.options.connect(profileId)
    const key = budgetKey(connection.baseUrl ?? '', connection.token)
    const cached = this.clients.get(profileId)
    if (cached?.key === key) return { client: cached.client, connection }
    let limiter = this.limiters.get(key)
    if (!limiter) {
      const { rateLedgerDir } = this.options
      const ledger = rateLedgerDir ? { ledger: new FileRateLedger(rateLedgerDir, key) } : {}
      limiter = new RateLimiter({ ...this.options.limiter, ...ledger })
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
    return { client, connection }
  }

  /** Drop the cached client (profile removed or token replaced). */
  forget(profileId: string): void {
    this.clients.delete(profileId)
  }

  async rateStats(profileId: string): Promise<RateLimiterStats> {
    return (await this.client(profileId)).limiter.stats()
  }

  /** How long (ms) after a create was sent its certificate may still appear. */
  get createSettleMs(): number {
    return this.options.createSettleMs ?? certs.DEFAULT_SETTLE_MS
  }

  /**
   * Run one operation of the table for the request's profile and scope. A change is recorded:
   * succeeded, or failed / cancelled / unknown (the answer was lost) with the error's message as the
   * reason; bad input is not recorded (nothing was sent).
   */
  async run<K extends RunKey>(key: K, request: RunRequest<K>, options: RunOptions = {}): Promise<RunResponse<K>> {
    const spec = operationTable()[key] as unknown as AnySpec
    const { profileId } = request as { profileId: string }
    const { client, connection } = await this.connect(profileId)
    const at = scopeOf(spec.scope, request as ScopeRequest, connection)
    const action = `cf.${key}`
    const record = (entry: Omit<ActivityInput, 'profileId'>) => this.options.activity.record({ ...entry, profileId })
    const notes: Detail = {}
    const context: RunContext<unknown> = {
      client,
      at: at as never,
      request,
      signal: options.signal,
      onProgress: options.onProgress,
      create: { settleMs: this.options.createSettleMs, pollMs: this.options.createPollMs, resumeSince: options.resumeSince },
      note: (detail) => Object.assign(notes, detail),
      record: (entry) => record({ ...entry, action: entry.action || action }),
    }
    const audit = spec.audit
    if (!audit) return (await spec.call(context)) as RunResponse<K>
    const before = audit.before(request, at)
    const object: ActivityObject = typeof before === 'string' ? { target: before } : before
    const detail = audit.detail?.(request, at) ?? {}
    try {
      const result = await spec.call(context)
      const { detail: extra, ...named } = audit.after?.(result, request) ?? {}
      record({ action, ...object, ...named, detail: { ...detail, ...notes, ...extra } })
      return result as RunResponse<K>
    } catch (error) {
      const code = error instanceof AppError ? String(error.code) : 'internal'
      if (code !== 'bad_input') {
        const outcome = isCancellation(error) ? 'cancelled' : outcomeUnknown(error) ? 'unknown' : 'failed'
        const reason = error instanceof AppError ? error.message : 'An unexpected error (see the app log).'
        record({ action, ...object, outcome, reason, detail: { ...detail, error: code } })
      }
      throw error
    }
  }

  /** The job label of a long operation, or undefined for one that runs plainly. */
  jobLabel<K extends RunKey>(key: K, request: RunRequest<K>): string | undefined {
    const job = (operationTable()[key] as { job?: string | ((request: RunRequest<K>) => string) }).job
    return typeof job === 'function' ? job(request) : job
  }

  /** A zone of the profile, named for messages ("… on zone example.com"); the id alone when unknown. */
  async zoneScope(profileId: string, zoneId: string): Promise<certs.ZoneScope> {
    return scopeOf('zone', { zoneId }, await this.options.connect(profileId)) as certs.ZoneScope
  }

  // --- the token and what it reaches (user scope, never recorded) ---------------------------

  async identity(profileId: string, signal?: AbortSignal): Promise<TokenIdentity> {
    const { client, connection } = await this.connect(profileId)
    return tokens.tokenIdentity(
      client,
      (connection.accounts ?? []).map((a) => a.id),
      signal,
    )
  }

  async listAccounts(profileId: string, signal?: AbortSignal): Promise<AccountRef[]> {
    return tokens.listAccounts(await this.client(profileId), signal)
  }

  async listZones(profileId: string, accountId?: string, signal?: AbortSignal): Promise<tokens.ZoneWithAccount[]> {
    return tokens.listZones(await this.client(profileId), { accountId, signal })
  }

  /** The certificate issued for this CSR since `since` (ms), looked for until `until` (ms, with backoff), or null. */
  async findIssuedClientCertificate(
    profileId: string,
    zoneId: string,
    request: { csrPem: string; since: number; until: number },
    signal?: AbortSignal,
  ): Promise<ClientCertificateSummary | null> {
    const { client, connection } = await this.connect(profileId)
    const zone = scopeOf('zone', { zoneId }, connection) as certs.ZoneScope
    const settle = { signal, settleMs: this.options.createSettleMs, pollMs: this.options.createPollMs }
    return certs.awaitIssued(client, zone, request.csrPem, request.since, request.until, settle, undefined)
  }
}

/** The request's zone, account or Access scope, named from the profile's known zones and accounts. */
function scopeOf(kind: 'zone' | 'account' | 'access', request: ScopeRequest, connection: ProfileConnection): unknown {
  const zoneName = (id: string) => connection.zones?.find((z) => z.id === id)?.name
  const accountName = (id: string) => connection.accounts?.find((a) => a.id === id)?.name
  if (kind === 'zone') return { zoneId: request.zoneId, zoneName: zoneName(request.zoneId ?? '') }
  if (kind === 'account') return { accountId: request.accountId, accountName: accountName(request.accountId ?? '') }
  const scope = request.scope!
  return { ...scope, name: scope.kind === 'account' ? accountName(scope.accountId) : zoneName(scope.zoneId) }
}
