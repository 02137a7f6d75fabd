/**
 * Every Cloudflare operation the app offers, declared once: its key (the channel `ns:verb` as
 * `ns.verb`, and `cf.ns.verb` in the activity log), its token permission, the surface-module call,
 * the job label of the long ones, and for changes how the activity log names what was changed. The
 * scope (zone, account or Access scope) follows from the request's fields and is resolved, with
 * names, by the runner (CloudflareService.run).
 *
 * Adding an operation: its schema in shared/contract/<ns>.ts, one entry here, one line in
 * main/handlers/<ns>.ts, and the SDK call in its surface module.
 */
import type { AccessCertificateSummary, ClientCertificateSummary, GatewayUploadResult } from '../../shared/cloudflare-model'
import type { accessContract } from '../../shared/contract/access'
import type { clientCertsContract } from '../../shared/contract/clientCerts'
import type { gatewayContract } from '../../shared/contract/gateway'
import type { hostnamesContract } from '../../shared/contract/hostnames'
import type { mtlsContract } from '../../shared/contract/mtls'
import type { rulesContract } from '../../shared/contract/rules'
import type { ParsedRequestOf, ResponseOf } from '../../shared/contract'
import type { ActivityInput } from '../storage/activity'
import * as access from './access-mtls'
import * as accountMtls from './account-mtls'
import * as certs from './client-certificates'
import type { CloudflareClient } from './client'
import * as gateway from './gateway'
import * as hostnames from './hostnames'
import * as rulesets from './rulesets'
import { type ZoneEnforcement, diagnoseZone } from '../enforcement/doctor'
import { ruleLabel } from '../enforcement/rules'
import { enforceDescription, planEnforce } from '../enforcement/service'
import type { LongOperation } from './progress'
import {
  ACCESS_READ,
  ACCESS_WRITE,
  ACCOUNT_SSL_READ,
  ACCOUNT_SSL_WRITE,
  read,
  SSL_READ,
  SSL_WRITE,
  STEP_OPERATIONS,
  WAF_READ,
  WAF_WRITE,
  write,
  ZT_READ,
  ZT_WRITE,
  type Operation,
  type Permission,
  type StepKey,
} from './operations'

type ZoneScope = certs.ZoneScope
type AccountScope = accountMtls.AccountScope
type AccessScope = access.NamedAccessScope

/**
 * Channels of the Cloudflare namespaces served by the KeyService (keys/service.ts): they read a vault
 * key first, then run an operation here (issuance, `gateway.uploadRoot`) or none (a root made locally).
 */
export const VAULT_KEY_CHANNELS = ['clientCerts:issueForKey', 'gateway:generateRoot', 'gateway:importRoot', 'gateway:uploadRoot'] as const

/**
 * Channels of the `rules` namespace whose handler (handlers/rules.ts) is more than one operation: the doctor over a
 * profile's zones (`mtls.list`, then `rules.zoneEnforcement` per zone) and Test access (no Cloudflare call at all).
 */
export const COMPOSED_CHANNELS = ['rules:doctorProfile', 'rules:probe'] as const

/** The channels whose handler is one line naming an operation here. */
export type OperationChannel = Exclude<
  | keyof (typeof clientCertsContract & typeof hostnamesContract & typeof accessContract & typeof mtlsContract & typeof gatewayContract)
  | keyof typeof rulesContract,
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
}

export type RunKey = KeyOf<OperationChannel> | keyof Internal
export type RunRequest<K extends RunKey> = K extends keyof Internal
  ? Internal[K]['request']
  : ParsedRequestOf<Extract<ChannelOf<K>, OperationChannel>>
export type RunResponse<K extends RunKey> = K extends keyof Internal
  ? Internal[K]['response']
  : ResponseOf<Extract<ChannelOf<K>, OperationChannel>>

/** Which scope a request names: a zone, an account or an Access scope (account or zone). */
type ScopeKind<Req> = Req extends { zoneId: string } ? 'zone' : Req extends { accountId: string } ? 'account' : 'access'
type ScopeOf<Req> = { zone: ZoneScope; account: AccountScope; access: AccessScope }[ScopeKind<Req>]

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
  create: Pick<certs.CreateOptions, 'settleMs' | 'pollMs' | 'resumeSince'>
  /** Adds detail to the activity entry of a change that succeeds. */
  note(detail: Detail): void
  /** Writes an activity entry of its own, for operations that record one per object (bulk revoke). */
  record(entry: Omit<ActivityInput, 'profileId'>): void
}

/** How a change is recorded; reads have none and are never recorded. */
export interface Audit<Req, Res> {
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

/** The zone, account or Access scope by name for messages and the log; the id when the name is unknown. */
export const zoneLabel = (zone: ZoneScope): string => zone.zoneName ?? zone.zoneId
export const accountLabel = (account: AccountScope): string => account.accountName ?? account.accountId
export function scopeLabel(scope: AccessScope): string {
  return scope.kind === 'account' ? `account ${scope.name ?? scope.accountId}` : `zone ${scope.name ?? scope.zoneId}`
}

/** An object known by its id before the call (its name comes from the result). */
const byId = (request: { id: string }): ActivityObject => ({ target: request.id, objectId: request.id })
/** A result that names itself: `name (id)`. */
const named = (name: string, id: string): ActivityObject => ({ target: `${name} (${id})`, objectId: id, objectName: name })
const binding = (r: { bindingStatus?: string | undefined }) => ({ detail: { bindingStatus: r.bindingStatus ?? null } })

/** A client certificate's state changed (revoke, reactivate): known by id, named by the answer. */
const certificateState = {
  before: byId,
  detail: (_: unknown, at: ZoneScope) => ({ zone: zoneLabel(at) }),
  after: (r: ClientCertificateSummary) => ({ target: `${r.commonName} (${r.id})`, objectName: r.commonName, detail: { status: r.status } }),
}

/** An Access root added or its hostnames changed: the scope and the hostnames asked for, named by the answer. */
const accessRoot = <R>(before: (request: R) => ActivityObject) => ({
  before,
  detail: (request: R & { hostnames?: readonly string[] | undefined }, at: AccessScope) => ({
    scope: scopeLabel(at),
    hostnames: (request.hostnames ?? []).join(' '),
  }),
  after: (r: AccessCertificateSummary) => named(r.name, r.id),
})

/**
 * A call that hands the object's id to its surface function: `(client, scope, id, signal)`. It takes the
 * function while the modules load, and a surface module may still be loading then (it imports errors.ts,
 * which reads permissions from this table when a call fails): surface functions are therefore declared
 * with `function` (hoisted), not as `const` arrows.
 */
const callById =
  <S, T>(fn: (client: CloudflareClient, at: S, id: string, signal?: AbortSignal) => Promise<T>) =>
  ({ client, at, request, signal }: { client: CloudflareClient; at: S; request: { id: string }; signal?: AbortSignal | undefined }) =>
    fn(client, at, request.id, signal)
/** A call on the whole scope: `(client, scope, signal)`. */
const callOnScope =
  <S, T>(fn: (client: CloudflareClient, at: S, signal?: AbortSignal) => Promise<T>) =>
  ({ client, at, signal }: { client: CloudflareClient; at: S; signal?: AbortSignal | undefined }) =>
    fn(client, at, signal)

/** The audit outcome of each certificate of a bulk revoke: revoked, failed (with why), never sent, or sent but unanswered. */
const BULK_OUTCOMES = { done: 'ok', failed: 'failed', not_sent: 'cancelled', unknown: 'unknown' } as const

export const OPERATION_TABLE = {
  // --- client certificates (zone) -----------------------------------------------------------
  'clientCerts.list': {
    scope: 'zone',
    permission: read('list client certificates', SSL_READ),
    job: 'Loading client certificates',
    call: ({ client, at, request, signal, onProgress }) =>
      certs.listClientCertificates(client, at, { status: request.status, signal, onProgress }),
  },
  'clientCerts.get': {
    scope: 'zone',
    permission: read('read a client certificate', SSL_READ),
    call: callById(certs.getClientCertificate),
  },
  'clientCerts.createFromCsr': {
    scope: 'zone',
    permission: write('create a client certificate', SSL_WRITE),
    call: ({ client, at, request, signal, create }) =>
      certs.createClientCertificate(client, at, { csrPem: request.csrPem, validityDays: request.validityDays }, { signal, ...create }),
    audit: {
      before: (_, at) => `zone ${zoneLabel(at)}`,
      detail: (request, at) => ({ zone: zoneLabel(at), validityDays: request.validityDays }),
      after: (r) => ({
        ...named(r.certificate.commonName, r.certificate.id),
        detail: { recovered: r.recovered, serial: r.certificate.serialNumber ?? null },
      }),
    },
  },
  'clientCerts.revoke': {
    scope: 'zone',
    permission: write('revoke a client certificate', SSL_WRITE),
    call: callById(certs.revokeClientCertificate),
    audit: certificateState,
  },
  'clientCerts.reactivate': {
    scope: 'zone',
    permission: write('reactivate a client certificate', SSL_WRITE),
    call: callById(certs.reactivateClientCertificate),
    audit: certificateState,
  },
  /** One entry per certificate, as a revoke (the drawer reads history by certificate id): detail.outcome says what became of it. */
  'clientCerts.bulkRevoke': {
    scope: 'zone',
    permission: write('revoke client certificates', SSL_WRITE),
    job: (request) => `Revoking ${request.ids.length} certificates`,
    recordsItself: true,
    call: async ({ client, at, request, signal, onProgress, record }) => {
      const result = await certs.bulkRevoke(client, at, request.ids, { signal, onProgress })
      const errors = new Map(result.failed.map((f) => [f.id, f]))
      for (const item of result.items) {
        const failure = errors.get(item.id)
        record({
          action: 'cf.clientCerts.revoke',
          target: item.commonName || item.id,
          objectId: item.id,
          ...(item.commonName ? { objectName: item.commonName } : {}),
          outcome: BULK_OUTCOMES[item.outcome],
          ...(failure ? { reason: failure.message } : item.outcome === 'not_sent' ? { reason: 'Cancelled before it was sent.' } : {}),
          detail: {
            zone: zoneLabel(at),
            id: item.id,
            outcome: item.outcome,
            bulk: true,
            ...(item.status ? { status: item.status } : {}),
            ...(failure ? { error: failure.code } : {}),
          },
        })
      }
      return result
    },
  },

  // --- hostname associations (zone) ---------------------------------------------------------
  'hostnames.get': {
    scope: 'zone',
    permission: read('read hostname associations', SSL_READ),
    call: ({ client, at, request, signal }) =>
      hostnames.getHostnameAssociations(client, at, { mtlsCertificateId: request.mtlsCertificateId }, signal),
  },
  /** The plan for the review screen: the live list and what replacing it with `hostnames` does. */
  'hostnames.plan': {
    scope: 'zone',
    permission: read('plan a change of hostname associations', SSL_READ),
    call: async ({ client, at, request, signal }) => {
      const next = hostnames.normaliseHostnames(request.hostnames)
      const current = await hostnames.getHostnameAssociations(client, at, { mtlsCertificateId: request.mtlsCertificateId }, signal)
      return { current, plan: hostnames.planReplace(current, next) }
    },
  },
  'hostnames.replace': {
    scope: 'zone',
    permission: write('replace hostname associations', SSL_WRITE),
    call: ({ client, at, request, signal }) => hostnames.replaceHostnameAssociations(client, at, request, signal),
    audit: {
      before: (request, at) => {
        const ca = request.mtlsCertificateId ? `CA ${request.mtlsCertificateId}` : 'managed CA'
        const on = `${ca} on zone ${zoneLabel(at)}`
        return { target: on, objectId: at.zoneId, objectName: on }
      },
      after: (r) => ({ detail: { added: r.plan.added.join(' '), removed: r.plan.removed.join(' '), changed: r.changed } }),
    },
  },

  // --- Access mTLS (account or zone) --------------------------------------------------------
  'access.list': {
    scope: 'access',
    permission: read('list Access mTLS certificates', ACCESS_READ),
    call: callOnScope(access.listAccessCertificates),
  },
  'access.add': {
    scope: 'access',
    permission: write('add an Access mTLS certificate', ACCESS_WRITE),
    call: ({ client, at, request, signal }) => access.addAccessCertificate(client, at, request, signal),
    audit: accessRoot((request: { name: string }) => ({ target: request.name, objectName: request.name })),
  },
  'access.updateHostnames': {
    scope: 'access',
    permission: write('update an Access mTLS certificate', ACCESS_WRITE),
    call: ({ client, at, request, signal }) => access.updateAccessHostnames(client, at, request.id, request.hostnames, signal),
    audit: accessRoot(byId),
  },
  'access.delete': {
    scope: 'access',
    permission: write('delete an Access mTLS certificate', ACCESS_WRITE),
    job: 'Deleting the Access root',
    call: ({ client, at, request, signal, onProgress }) => access.deleteAccessCertificate(client, at, request.id, { signal, onProgress }),
    audit: {
      before: byId,
      detail: (_, at) => ({ scope: scopeLabel(at) }),
      after: (r) => ({ detail: { detached: r.detached.join(' '), attempts: r.attempts } }),
    },
  },
  'access.settings': {
    scope: 'access',
    permission: read('read Access mTLS hostname settings', ACCESS_READ),
    call: callOnScope(access.getAccessHostnameSettings),
  },
  'access.updateSettings': {
    scope: 'access',
    permission: write('update Access mTLS hostname settings', ACCESS_WRITE),
    call: ({ client, at, request, signal }) => access.updateAccessHostnameSettings(client, at, request.settings, signal),
    audit: {
      before: (_, at) => scopeLabel(at),
      detail: (request) => ({ hostnames: request.settings.map((s) => s.hostname).join(' ') }),
    },
  },

  // --- account mTLS certificates (account) --------------------------------------------------
  'mtls.list': {
    scope: 'account',
    permission: read('list account mTLS certificates', ACCOUNT_SSL_READ),
    call: ({ client, at, request, signal }) => accountMtls.listMtlsCertificates(client, at, request.types, signal),
  },
  /** The prepared chain stays out of the answer: the summary is what the renderer shows. */
  'mtls.upload': {
    scope: 'account',
    permission: write('upload a CA certificate', ACCOUNT_SSL_WRITE),
    call: async ({ client, at, request, signal, note }) => {
      const { chain, ...summary } = await accountMtls.uploadCaChain(client, at, request, signal)
      note({ chainLength: chain.certificates.length })
      return summary
    },
    audit: {
      before: (request) => ({ target: request.name ?? 'CA certificate', ...(request.name ? { objectName: request.name } : {}) }),
      detail: (_, at) => ({ account: accountLabel(at), withPrivateKey: false }),
      after: (r) => named(r.name ?? r.issuer ?? 'CA', r.id),
    },
  },
  'mtls.associations': {
    scope: 'account',
    permission: read('list where a CA certificate is used', ACCOUNT_SSL_READ),
    call: callById(accountMtls.getMtlsAssociations),
  },
  'mtls.delete': {
    scope: 'account',
    permission: write('delete an account mTLS certificate', ACCOUNT_SSL_WRITE),
    call: callById(accountMtls.deleteMtlsCertificate),
    audit: { before: byId, detail: (_, at) => ({ account: accountLabel(at) }) },
  },

  // --- Gateway (account) --------------------------------------------------------------------
  'gateway.list': {
    scope: 'account',
    permission: read('list Gateway certificates', ZT_READ),
    call: callOnScope(gateway.listGatewayCertificates),
  },
  'gateway.create': {
    scope: 'account',
    permission: write('create a Gateway certificate', ZT_WRITE),
    call: ({ client, at, request, signal }) => gateway.createGatewayCertificate(client, at, request.validityDays, signal),
    audit: {
      before: () => 'Gateway certificate',
      detail: (request) => ({ validityDays: request.validityDays ?? gateway.DEFAULT_VALIDITY_DAYS }),
      after: (r) => ({ target: r.id, objectId: r.id }),
    },
  },
  /** Activate and, when `wait`, watch until available. */
  'gateway.activate': {
    scope: 'account',
    permission: write('activate a Gateway certificate', ZT_WRITE),
    job: 'Activating the Gateway certificate',
    call: ({ client, at, request, signal, onProgress }) =>
      request.wait
        ? gateway.activateAndWait(client, at, request.id, { signal, onProgress })
        : gateway.switchGatewayCertificate(client, at, request.id, 'activate', signal),
    audit: { before: byId, after: binding },
  },
  'gateway.watch': {
    scope: 'account',
    permission: read('watch a Gateway certificate deploy', ZT_READ),
    job: 'Waiting for the certificate to deploy',
    call: ({ client, at, request, signal, onProgress }) => gateway.watchBindingStatus(client, at, request.id, { signal, onProgress }),
  },
  'gateway.useForInspection': {
    scope: 'account',
    permission: write('change the Gateway inspection certificate', ZT_WRITE),
    call: callById(gateway.useForInspection),
    audit: { before: byId },
  },
  'gateway.inspectionCertificate': {
    scope: 'account',
    permission: read('read the Gateway configuration', ZT_READ),
    call: async ({ client, at, signal }) => ({ certificateId: await gateway.inspectionCertificateId(client, at, signal) }),
  },
  'gateway.deactivate': {
    scope: 'account',
    permission: write('deactivate a Gateway certificate', ZT_WRITE),
    call: ({ client, at, request, signal }) => gateway.switchGatewayCertificate(client, at, request.id, 'deactivate', signal),
    audit: { before: byId, after: binding },
  },
  'gateway.delete': {
    scope: 'account',
    permission: write('delete a Gateway certificate', ZT_WRITE),
    call: callById(gateway.deleteGatewayCertificate),
    audit: { before: byId },
  },
  /** The vault's root and key, uploaded as a Gateway certificate (the KeyService reads them from the vault). */
  'gateway.uploadRoot': {
    scope: 'account',
    permission: write('upload a Gateway root', ACCOUNT_SSL_WRITE),
    job: 'Uploading the Gateway root',
    call: ({ client, at, request, signal, onProgress }) => gateway.uploadCustomRoot(client, at, request, { signal, onProgress }),
    audit: {
      before: (request) => request.name ?? 'Gateway root',
      detail: (_, at) => ({ account: accountLabel(at) }),
      after: (r, request) => ({
        target: `${request.name ?? 'Gateway root'} (${r.gateway.id})`,
        objectId: r.gateway.id,
        objectName: request.name ?? 'Gateway root',
        detail: { matchedBy: r.matchedBy, mtlsCertificateId: r.mtlsCertificateId },
      }),
    },
  },

  // --- WAF custom rules (zone): mTLS enforcement -------------------------------------------
  'rules.get': {
    scope: 'zone',
    permission: read('read the custom rules', WAF_READ),
    call: ({ client, at, signal }) => rulesets.getCustomRules(client, at, signal),
  },
  /** The associations of the managed CA (and of the BYO CAs asked for) against the zone's rules as they are now. */
  'rules.doctor': {
    scope: 'zone',
    permission: read('check mTLS enforcement', WAF_READ),
    call: async ({ client, at, request, signal }) => {
      const zone = await zoneEnforcement(client, at, request.caIds, signal)
      return { zone: zoneLabel(at), ...diagnoseZone(zone) }
    },
  },
  'rules.zoneEnforcement': {
    scope: 'zone',
    permission: read('check mTLS enforcement', WAF_READ),
    call: ({ client, at, request, signal }) => zoneEnforcement(client, at, request.caIds, signal),
  },
  'rules.planEnforce': {
    scope: 'zone',
    permission: read('plan an mTLS rule', WAF_READ),
    call: async ({ client, at, request, signal }) => {
      const { version, before, after } = planEnforce(await rulesets.getCustomRules(client, at, signal), request)
      return { version, after, ...(before === undefined ? {} : { before }) }
    },
  },
  /** The plan is made again from the rules read now, and written only if they are still at the version planned from. */
  'rules.enforce': {
    scope: 'zone',
    permission: write('change the custom rules', WAF_WRITE),
    call: async ({ client, at, request, signal, note }) => {
      const plan = planEnforce(await rulesets.getCustomRules(client, at, signal), request)
      const written = await rulesets.replaceCustomRules(client, at, { ...plan, version: request.version }, signal)
      note({ rule: ruleLabel(plan.after), version: written.version })
      return written
    },
    audit: {
      /** A new rule is named by the description Enforce gives it; a changed one by its id (its description comes from the plan). */
      before: (request, at) => {
        const rule =
          request.ruleId ??
          enforceDescription(
            request.hostnames.map((h) => h.trim().toLowerCase()),
            request.paths,
          )
        return { target: `rule "${rule}" on zone ${zoneLabel(at)}`, objectId: request.ruleId ?? at.zoneId, objectName: rule }
      },
      detail: (request, at) => ({
        zone: zoneLabel(at),
        hostnames: request.hostnames.join(' '),
        ...(request.paths?.length ? { paths: request.paths.join(' ') } : {}),
        ...(request.ruleId ? { ruleId: request.ruleId } : {}),
        plannedFrom: request.version,
      }),
    },
  },
} as const satisfies { [K in RunKey]: OperationSpec<RunRequest<K>, RunResponse<K>> }

/** What the doctor reads of a zone: the associations of its managed CA and of the BYO CAs named, and its custom rules. */
async function zoneEnforcement(
  client: CloudflareClient,
  at: ZoneScope,
  caIds: readonly string[] = [],
  signal?: AbortSignal,
): Promise<ZoneEnforcement> {
  const cas = [undefined, ...caIds]
  const [rules, ...lists] = await Promise.all([
    rulesets.getCustomRules(client, at, signal),
    ...cas.map((ca) => hostnames.getHostnameAssociations(client, at, { mtlsCertificateId: ca }, signal)),
  ])
  const associations = lists.flatMap((list, i) => list.map((hostname) => ({ hostname, ...(cas[i] ? { ca: cas[i] } : {}) })))
  return { zone: zoneLabel(at), associations, rules: rules.rules }
}

export type OperationTable = typeof OPERATION_TABLE

/** Every key whose permission errors.ts can name: the table's operations and the steps without a channel. */
export type OperationKey = RunKey | StepKey

/**
 * The permission of an operation and the scope it applies on (an Access operation's account, unless the
 * caller says it ran on a zone). Read when a call fails, never while modules load: errors.ts, which the
 * surface modules import, reaches the table through here.
 */
export function operation(key: OperationKey): Operation {
  if (key in STEP_OPERATIONS) return STEP_OPERATIONS[key as StepKey]
  const spec: { scope: 'zone' | 'account' | 'access'; permission: Permission } = OPERATION_TABLE[key as RunKey]
  return { ...spec.permission, scope: spec.scope === 'access' ? 'account' : spec.scope }
}
