/**
 * Zero Trust Gateway certificates: the root Gateway signs inspected traffic with (BYOPKI,
 * Cloudflare docs: Deploy custom certificate).
 * Upload goes through account mTLS certificates (ca:true with the private key); the Gateway
 * certificate is then found by the id the upload returned or, failing that, by fingerprint. Then:
 * activate -> wait for binding_status `available` (older material: `active`) -> PATCH the Gateway
 * configuration to use it. Delete only once `inactive`.
 */
import type { CertificateListResponse } from 'cloudflare/resources/zero-trust/gateway/certificates'
import { GatewayBindingStatus, type GatewayCertificateSummary, type GatewayUploadResult } from '../../shared/cloudflare-model'
import { AppError } from '../../shared/errors'
import { fingerprintOfDer, normaliseFingerprint, sameFingerprint } from '../certs/fingerprint'
import type { CloudflareClient } from './client'
import { accountContext as ctx, guard, guarded } from './errors'
import { uploadCaChain, type AccountScope, type UploadCaRequest } from './account-mtls'
import type { OperationKey } from './operation-table'
import { pause, throwIfAborted, type LongOperation } from './progress'
import { accountLabel, byId, callById, callOnScope, type ByIdCall, type OperationsOf } from './operation'
import { ACCOUNT_SSL_WRITE, read, write, ZT_READ, ZT_WRITE } from './operations'

// Fingerprints: the certificate toolkit's, exported here for the surface's callers.
export { fingerprintOfDer, fingerprintOfPem, normaliseFingerprint, sameFingerprint } from '../certs/fingerprint'

function bindingStatus(raw: string | undefined): GatewayCertificateSummary['bindingStatus'] {
  if (raw === 'active') return 'available'
  const parsed = GatewayBindingStatus.safeParse(raw)
  return parsed.success ? parsed.data : undefined
}

export function toGatewaySummary(c: CertificateListResponse): GatewayCertificateSummary {
  const status = bindingStatus(c.binding_status as string | undefined)
  const fingerprint = c.fingerprint ? (normaliseFingerprint(c.fingerprint) ?? c.fingerprint) : undefined
  return {
    id: c.id ?? '',
    ...(c.type ? { type: c.type } : {}),
    ...(status ? { bindingStatus: status } : {}),
    inUse: c.in_use ?? false,
    ...(fingerprint ? { fingerprint } : {}),
    ...(c.issuer_org ? { issuerOrg: c.issuer_org } : {}),
    ...(c.expires_on ? { expiresOn: c.expires_on } : {}),
    ...(c.uploaded_on ? { uploadedOn: c.uploaded_on } : {}),
    ...(c.created_at ? { createdAt: c.created_at } : {}),
    ...(c.certificate ? { certificate: c.certificate } : {}),
  }
}

/** One SDK call about a Gateway certificate (`id`) or the account's, answered as a summary. */
function certificateCall(scope: AccountScope, op: OperationKey, id: string | undefined, call: () => Promise<CertificateListResponse>) {
  return guarded(ctx(scope, op, id === undefined ? undefined : `Gateway certificate ${id}`), call, toGatewaySummary)
}

export async function listGatewayCertificates(
  client: CloudflareClient,
  scope: AccountScope,
  signal?: AbortSignal,
): Promise<GatewayCertificateSummary[]> {
  const list = () => client.sdk.zeroTrust.gateway.certificates.list({ account_id: scope.accountId }, { signal })
  return guarded(ctx(scope, 'gateway.list'), list, (page) => page.result.map(toGatewaySummary))
}

export const getGatewayCertificate: ByIdCall<AccountScope, GatewayCertificateSummary> = async (client, scope, id, signal) => {
  return certificateCall(scope, 'gateway.get', id, () =>
    client.sdk.zeroTrust.gateway.certificates.get(id, { account_id: scope.accountId }, { signal }),
  )
}

/** How long a Cloudflare-generated Gateway root is valid unless asked otherwise (5 years). */
export const DEFAULT_VALIDITY_DAYS = 1825

/** A Cloudflare-generated Gateway root; validity 1..10950 days, 1825 by default. */
export async function createGatewayCertificate(
  client: CloudflareClient,
  scope: AccountScope,
  validityDays = DEFAULT_VALIDITY_DAYS,
  signal?: AbortSignal,
): Promise<GatewayCertificateSummary> {
  if (!Number.isInteger(validityDays) || validityDays < 1 || validityDays > 10_950) {
    throw new AppError('bad_input', `Gateway certificate validity must be 1 to 10950 days, got ${validityDays}.`, {
      hint: 'The default is 1825 days (5 years).',
    })
  }
  const body = { account_id: scope.accountId, validity_period_days: validityDays }
  return certificateCall(scope, 'gateway.create', undefined, () =>
    client.sdk.zeroTrust.gateway.certificates.create(body, { signal, maxRetries: 0 }),
  )
}

/**
 * Upload the custom root (and key) as an account mTLS CA, then find the Gateway certificate it
 * became — by the returned id, else by the fingerprint of a chain certificate (the example in
 * Cloudflare docs: Deploy custom certificate shows two different ids). Polls briefly: the Gateway
 * object may lag.
 */
export async function uploadCustomRoot(
  client: CloudflareClient,
  scope: AccountScope,
  request: UploadCaRequest,
  options: LongOperation & { lookupAttempts?: number } = {},
): Promise<GatewayUploadResult> {
  if (!request.privateKeyPem) {
    throw new AppError('bad_input', 'A Gateway custom root needs its private key: Gateway signs inspected traffic with it.', {
      hint: 'Paste the root’s private key. Cloudflare stores it encrypted and never returns it.',
    })
  }
  options.onProgress?.({ done: 0, total: 2, message: 'Uploading the root certificate' })
  const uploaded = await uploadCaChain(client, scope, request, options.signal)
  const fingerprints = uploaded.chain.certificates.map((c) => fingerprintOfDer(new Uint8Array(c.rawData)))
  options.onProgress?.({ done: 1, total: 2, message: 'Finding the Gateway certificate' })
  const attempts = Math.max(1, options.lookupAttempts ?? 5)
  for (let attempt = 1; attempt <= attempts; attempt++) {
    throwIfAborted(options.signal, 'Uploading the Gateway root')
    const all = await listGatewayCertificates(client, scope, options.signal)
    const byId = all.find((g) => g.id === uploaded.id)
    const byFingerprint = byId ? undefined : all.find((g) => fingerprints.some((f) => sameFingerprint(g.fingerprint, f)))
    const found = byId ?? byFingerprint
    if (found) {
      options.onProgress?.({ done: 2, total: 2, message: 'Uploaded' })
      return { mtlsCertificateId: uploaded.id, gateway: found, matchedBy: byId ? 'id' : 'fingerprint' }
    }
    if (attempt < attempts)
      await pause(
        (ms, sig) => client.limiter.wait(ms, sig),
        client.limiter.backoffDelay(attempt),
        options.signal,
        'Uploading the Gateway root',
      )
  }
  throw new AppError('not_found', 'The root was uploaded, but no Gateway certificate with its id or fingerprint appeared.', {
    hint: 'Check Zero Trust → Traffic settings → Certificates in the dashboard; Gateway custom certificates need an Enterprise plan.',
    details: { mtlsCertificateId: uploaded.id },
  })
}

/** Activate or deactivate: Gateway deploys the certificate to its edge, or withdraws it (its binding status says how far). */
export async function switchGatewayCertificate(
  client: CloudflareClient,
  scope: AccountScope,
  id: string,
  to: 'activate' | 'deactivate',
  signal?: AbortSignal,
): Promise<GatewayCertificateSummary> {
  const account = { account_id: scope.accountId }
  return certificateCall(scope, `gateway.${to}`, id, () =>
    client.sdk.zeroTrust.gateway.certificates[to](id, account, { signal, maxRetries: 0 }),
  )
}

export interface WatchOptions extends LongOperation {
  /** The state to wait for; `available` (legacy `active` counts). */
  until?: NonNullable<GatewayCertificateSummary['bindingStatus']>
  intervalMs?: number
  timeoutMs?: number
}

/** Polls binding_status until it reaches `until` (default `available`), reporting each state seen. */
export async function watchBindingStatus(
  client: CloudflareClient,
  scope: AccountScope,
  id: string,
  options: WatchOptions = {},
): Promise<GatewayCertificateSummary> {
  const until = options.until ?? 'available'
  const interval = options.intervalMs ?? 2000
  const deadline = Date.now() + (options.timeoutMs ?? 10 * 60_000)
  let polls = 0
  for (;;) {
    throwIfAborted(options.signal, 'Waiting for the Gateway certificate')
    const cert = await getGatewayCertificate(client, scope, id, options.signal)
    polls++
    const reached = cert.bindingStatus === until
    options.onProgress?.({ done: reached ? 1 : 0, total: 1, message: `Binding status: ${cert.bindingStatus ?? 'unknown'}` })
    if (reached) return cert
    if (until === 'available' && (cert.bindingStatus === 'inactive' || cert.bindingStatus === 'pending_deletion')) {
      throw new AppError(
        'cf_invalid_state',
        `Gateway certificate ${id} is ${cert.bindingStatus?.replace('_', ' ')}, so it will not become available.`,
        { hint: 'Activate it first.' },
      )
    }
    if (Date.now() + interval > deadline) {
      throw new AppError('cf_timeout', `Gateway certificate ${id} was still ${cert.bindingStatus ?? 'unknown'} after ${polls} checks.`, {
        hint: 'Deployment across Cloudflare’s network can take a while; check again later.',
      })
    }
    await pause((ms, sig) => client.limiter.wait(ms, sig), interval, options.signal, 'Waiting for the Gateway certificate')
  }
}

/** Activate, then wait until deployed. */
export async function activateAndWait(
  client: CloudflareClient,
  scope: AccountScope,
  id: string,
  options: WatchOptions = {},
): Promise<GatewayCertificateSummary> {
  const activated = await switchGatewayCertificate(client, scope, id, 'activate', options.signal)
  if (activated.bindingStatus === 'available') return activated
  return watchBindingStatus(client, scope, id, { ...options, until: 'available' })
}

/** Turn the certificate on for TLS inspection: PATCH, not PUT (PUT would replace every Gateway setting). */
export const useForInspection: ByIdCall<AccountScope, { certificateId: string }> = async (client, scope, id, signal) => {
  const cert = await getGatewayCertificate(client, scope, id, signal)
  if (cert.bindingStatus !== 'available') {
    throw new AppError(
      'cf_invalid_state',
      `Gateway certificate ${id} is ${cert.bindingStatus ?? 'not deployed'}; only an available certificate can be used for inspection.`,
      { hint: 'Activate it and wait until its status is available.' },
    )
  }
  const result = await guard(ctx(scope, 'gateway.useForInspection', `Gateway certificate ${id}`), async () =>
    client.sdk.zeroTrust.gateway.configurations.edit({ account_id: scope.accountId, settings: { certificate: { id } } }, { signal }),
  )
  return { certificateId: result.settings?.certificate?.id ?? id }
}

/** The certificate Gateway inspects with, or null for Cloudflare's own root. */
export async function inspectionCertificateId(client: CloudflareClient, scope: AccountScope, signal?: AbortSignal): Promise<string | null> {
  const result = await guard(ctx(scope, 'gateway.inspectionCertificate'), async () =>
    client.sdk.zeroTrust.gateway.configurations.get({ account_id: scope.accountId }, { signal }),
  )
  const id = result.settings?.certificate?.id
  return id && !/^0{8}-0{4}-0{4}-0{4}-0{12}$/.test(id) ? id : null
}

/** Deleting an active certificate has returned HTTP 500 at Cloudflare: refuse unless inactive. */
export const deleteGatewayCertificate: ByIdCall<AccountScope, { id: string }> = async (client, scope, id, signal) => {
  const cert = await getGatewayCertificate(client, scope, id, signal)
  if (cert.inUse) {
    throw new AppError('cf_in_use', `Gateway certificate ${id} is in use for inspection and cannot be deleted.`, {
      hint: 'Switch inspection to another certificate, deactivate this one, then delete it.',
    })
  }
  if (cert.bindingStatus !== 'inactive') {
    throw new AppError(
      'cf_in_use',
      `Gateway certificate ${id} is ${cert.bindingStatus?.replace('_', ' ') ?? 'deployed'}; only an inactive certificate can be deleted.`,
      { hint: 'Deactivate it and wait until it is inactive, then delete it.' },
    )
  }
  await guard(ctx(scope, 'gateway.delete', `Gateway certificate ${id}`), async () =>
    client.sdk.zeroTrust.gateway.certificates.delete(id, { account_id: scope.accountId }, { signal }),
  )
  return { id }
}

const binding = (r: { bindingStatus?: string | undefined }) => ({ detail: { bindingStatus: r.bindingStatus ?? null } })

/** The operations of `gateway:*` (what an operation declares: operation.ts). */
export const gatewayOperations = {
  'gateway.list': {
    scope: 'account',
    permission: read('list Gateway certificates', ZT_READ),
    call: callOnScope(listGatewayCertificates),
  },
  'gateway.create': {
    scope: 'account',
    permission: write('create a Gateway certificate', ZT_WRITE),
    call: ({ client, at, request, signal }) => createGatewayCertificate(client, at, request.validityDays, signal),
    audit: {
      words: 'Created Gateway certificate',
      before: () => 'Gateway certificate',
      detail: (request) => ({ validityDays: request.validityDays ?? DEFAULT_VALIDITY_DAYS }),
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
        ? activateAndWait(client, at, request.id, { signal, onProgress })
        : switchGatewayCertificate(client, at, request.id, 'activate', signal),
    audit: { words: 'Activated Gateway certificate', before: byId, after: binding },
  },
  'gateway.watch': {
    scope: 'account',
    permission: read('watch a Gateway certificate deploy', ZT_READ),
    job: 'Waiting for the certificate to deploy',
    call: ({ client, at, request, signal, onProgress }) => watchBindingStatus(client, at, request.id, { signal, onProgress }),
  },
  'gateway.useForInspection': {
    scope: 'account',
    permission: write('change the Gateway inspection certificate', ZT_WRITE),
    call: callById(useForInspection),
    audit: { words: 'Chose Gateway certificate for inspection', before: byId },
  },
  'gateway.inspectionCertificate': {
    scope: 'account',
    permission: read('read the Gateway configuration', ZT_READ),
    call: async ({ client, at, signal }) => ({ certificateId: await inspectionCertificateId(client, at, signal) }),
  },
  'gateway.deactivate': {
    scope: 'account',
    permission: write('deactivate a Gateway certificate', ZT_WRITE),
    call: ({ client, at, request, signal }) => switchGatewayCertificate(client, at, request.id, 'deactivate', signal),
    audit: { words: 'Deactivated Gateway certificate', before: byId, after: binding },
  },
  'gateway.delete': {
    scope: 'account',
    permission: write('delete a Gateway certificate', ZT_WRITE),
    call: callById(deleteGatewayCertificate),
    audit: { words: 'Deleted Gateway certificate', before: byId },
  },
  /** The vault's root and key, uploaded as a Gateway certificate (the KeyService reads them from the vault). */
  'gateway.uploadRoot': {
    scope: 'account',
    permission: write('upload a Gateway root', ACCOUNT_SSL_WRITE),
    job: 'Uploading the Gateway root',
    call: ({ client, at, request, signal, onProgress }) => uploadCustomRoot(client, at, request, { signal, onProgress }),
    audit: {
      words: 'Uploaded Gateway root',
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
} as const satisfies OperationsOf<'gateway'>
