/**
 * What a Cloudflare operation is: its key (the channel `ns:verb` as `ns.verb`, and `cf.ns.verb` in the
 * activity log), its token permission, the SDK call, the job label of the long ones, and for changes how
 * the activity log names what was changed and in which words. Each surface module declares its
 * namespace's operations next to its SDK calls (`clientCertsOperations` in client-certificates.ts, …);
 * operation-table.ts joins them and the runner (CloudflareService.run) resolves the scope, with names,
 * from the request's fields.
 *
 * Adding an operation: its schema in shared/contract/<ns>.ts, one line in main/handlers/<ns>.ts, and the
 * SDK call with its row in the namespace's surface module.
 */
import type { GatewayUploadResult } from '../../shared/cloudflare-model'
import type { AopCertificate, AopKind } from '../../shared/origin-model'
import type { ZoneEnforcement } from '../enforcement/doctor'
import type { accessContract } from '../../shared/contract/access'
import type { clientCertsContract } from '../../shared/contract/clientCerts'
import type { gatewayContract } from '../../shared/contract/gateway'
import type { hostnamesContract } from '../../shared/contract/hostnames'
import type { mtlsContract } from '../../shared/contract/mtls'
import type { rulesContract } from '../../shared/contract/rules'
import type { aopContract } from '../../shared/contract/aop'
import type { originCaContract } from '../../shared/contract/originCa'
import type { Channel } from '../../shared/channels'
import type { ParsedRequestOf, ResponseOf } from '../../shared/contract'
import type { ActivityInput } from '../storage/activity'
import type { NamedAccessScope } from './access-mtls'
import type { AccountScope } from './account-mtls'
import type { CloudflareClient } from './client'
import type { CreateOptions, ZoneScope } from './client-certificates'
import type { Permission } from './operations'
import type { LongOperation } from './progress'

type AccessScope = NamedAccessScope

/**
 * Channels of the Cloudflare namespaces served by the KeyService (keys/service.ts): they read a vault
 * key first, then run an operation here (issuance, `gateway.uploadRoot`) or none (a root made locally).
 */
export const VAULT_KEY_CHANNELS = [
  'clientCerts:issueForKey',
  'gateway:generateRoot',
  'gateway:importRoot',
  'gateway:uploadRoot',
  'aop:newCertificate',
  'aop:uploadFromVault',
  'originCa:createForKey',
] as const

/**
 * Channels of the Cloudflare namespaces whose handler is more than one operation, or none: the doctor over a
 * profile's zones (`mtls.list`, then `rules.zoneEnforcement` per zone), Test access (no Cloudflare API call at all),
 * and the Origin CA's root (Cloudflare's published file, or the Sandbox's own).
 */
export const COMPOSED_CHANNELS = ['rules:doctorProfile', 'rules:probe', 'originCa:root'] as const

/** The channels whose handler is one line naming an operation. */
export type OperationChannel = Exclude<
  | keyof (typeof clientCertsContract & typeof hostnamesContract & typeof accessContract & typeof mtlsContract & typeof gatewayContract)
  | keyof (typeof rulesContract & typeof aopContract & typeof originCaContract),
  (typeof VAULT_KEY_CHANNELS)[number] | 'rules:enforce' | (typeof COMPOSED_CHANNELS)[number]
>

/** `clientCerts:revoke` → `clientCerts.revoke`, and back. */
export type KeyOf<C extends string> = C extends `${infer N}:${infer V}` ? `${N}.${V}` : never
export type ChannelOf<K extends string> = K extends `${infer N}.${infer V}` ? `${N}:${V}` : never
export const keyOf = <C extends OperationChannel>(channel: C): KeyOf<C> => channel.replace(':', '.') as KeyOf<C>

/** Operations run by the runner without a channel of their own (the KeyService calls them). */
interface Internal {
  'gateway.uploadRoot': {
    request: { profileId: string; accountId: string; name?: string | undefined; chainPem: string; privateKeyPem: string }
    response: GatewayUploadResult
  }
  /** `rules:enforce` runs it once confirmed in main (handlers/rules.ts); the CLI once confirmed on the terminal. */
  'rules.enforce': { request: ParsedRequestOf<'rules:enforce'>; response: ResponseOf<'rules:enforce'> }
  /** A zone's associations (managed CA and the BYO CAs named) and rules, for the doctor over a profile (diagnoseZones). */
  'rules.zoneEnforcement': { request: ParsedRequestOf<'rules:doctor'>; response: ZoneEnforcement }
  /** A certificate and its key, uploaded for AOP: by the KeyService from the vault, or by the CLI from files. */
  'aop.upload': {
    request: { profileId: string; zoneId: string; kind: AopKind; certificatePem: string; privateKeyPem: string }
    response: AopCertificate
  }
}

export type RunKey = KeyOf<OperationChannel> | keyof Internal
export type RunRequest<K extends RunKey> = K extends keyof Internal
  ? Internal[K]['request']
  : ParsedRequestOf<Extract<ChannelOf<K>, Channel>>
export type RunResponse<K extends RunKey> = K extends keyof Internal ? Internal[K]['response'] : ResponseOf<Extract<ChannelOf<K>, Channel>>

/** Which scope a request names: a zone, an account or an Access scope (account or zone). */
export type ScopeKind<Req> = Req extends { zoneId: string } ? 'zone' : Req extends { accountId: string } ? 'account' : 'access'
export type ScopeOf<Req> = { zone: ZoneScope; account: AccountScope; access: AccessScope }[ScopeKind<Req>]

export type Detail = Record<string, string | number | boolean | null>

/** What a change acts on, for the activity log: a one-line target, and the object's own id and name. */
export interface ActivityObject {
  target: string
  objectId?: string
  objectName?: string
}

/** What an operation's call is given: the profile's client, the resolved scope, the request and the job. */
export interface RunContext<Req> extends LongOperation {
  client: CloudflareClient
  at: ScopeOf<Req>
  request: Req
  /** A create's lost-answer settling (how long, first pause) and, when resuming an intent, when it was sent. */
  create: Pick<CreateOptions, 'settleMs' | 'pollMs' | 'resumeSince'>
  /** Adds detail to the activity entry of a change that succeeds. */
  note(detail: Detail): void
  /** Writes an activity entry of its own, for operations that record one per object (bulk revoke). */
  record(entry: Omit<ActivityInput, 'profileId'>): void
}

/** How a change is recorded; reads have none and are never recorded. */
export interface Audit<Req, Res> {
  /** The change in the activity log's words, past tense: "Revoked client certificate". */
  words: string
  /** The object before the call: its id alone, or a target with its name. */
  before(request: Req, at: ScopeOf<Req>): string | ActivityObject
  detail?(request: Req, at: ScopeOf<Req>): Detail
  /** What the result tells: the object's name and id, more detail. */
  after?(result: Res, request: Req): Partial<ActivityObject> & { detail?: Detail }
}

export interface OperationSpec<Req, Res> {
  scope: ScopeKind<Req>
  /** What it needs of the token; `write` exactly when the runner records it (audit or recordsItself). */
  permission: Permission
  /** Run as a job (progress, cancel) when the renderer gave a job id. */
  job?: string | ((request: Req) => string)
  call(context: RunContext<Req>): Promise<Res>
  /** Changes only: recorded under `cf.<key>` (succeeded, failed, cancelled or unknown; not bad input). */
  audit?: Audit<Req, Res>
  /** Writes its own entries through `record` instead. */
  recordsItself?: true
}

/** A namespace's operations, as its surface module declares them: every key `ns.*` once. */
export type OperationsOf<N extends string> = {
  [K in RunKey as K extends `${N}.${string}` ? K : never]: OperationSpec<RunRequest<K>, RunResponse<K>>
}

/** The zone, account or Access scope by name for messages and the log; the id when the name is unknown. */
export const zoneLabel = (zone: ZoneScope): string => zone.zoneName ?? zone.zoneId
export const accountLabel = (account: AccountScope): string => account.accountName ?? account.accountId
export function scopeLabel(scope: AccessScope): string {
  return scope.kind === 'account' ? `account ${scope.name ?? scope.accountId}` : `zone ${scope.name ?? scope.zoneId}`
}

/** An object known by its id before the call (its name comes from the result). */
export const byId = (request: { id: string }): ActivityObject => ({ target: request.id, objectId: request.id })
/** A result that names itself: `name (id)`. */
export const named = (name: string, id: string): ActivityObject => ({ target: `${name} (${id})`, objectId: id, objectName: name })

/** A surface function on one object of a scope, known by its id: `(client, scope, id, signal)`. */
export type ByIdCall<S, T> = (client: CloudflareClient, at: S, id: string, signal?: AbortSignal) => Promise<T>

/** A call that hands the object's id to its surface function. */
export const callById =
  <S, T>(fn: ByIdCall<S, T>) =>
  ({ client, at, request, signal }: { client: CloudflareClient; at: S; request: { id: string }; signal?: AbortSignal | undefined }) =>
    fn(client, at, request.id, signal)
/** A call on the whole scope: `(client, scope, signal)`. */
export const callOnScope =
  <S, T>(fn: (client: CloudflareClient, at: S, signal?: AbortSignal) => Promise<T>) =>
  ({ client, at, signal }: { client: CloudflareClient; at: S; signal?: AbortSignal | undefined }) =>
    fn(client, at, signal)
