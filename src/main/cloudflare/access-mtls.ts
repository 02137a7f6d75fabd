/**
 * Access mTLS root certificates (Cloudflare docs: Add an mTLS certificate), per account or per zone,
 * and the per-hostname settings.
 * Cloudflare refuses to delete a root that still has associated hostnames, so delete detaches them
 * first; the detach and the delete can race on Cloudflare's side, so the delete is retried with
 * backoff while it is still refused as "in use".
 */
import type { Certificate as SdkAccessCertificate } from 'cloudflare/resources/zero-trust/access/certificates/certificates'
import type { CertificateSettings as SdkHostnameSetting } from 'cloudflare/resources/zero-trust/access/certificates/settings'
import type { AccessCertificateSummary, AccessHostnameSetting, AccessScope } from '../../shared/cloudflare-model'
import { AppError } from '../../shared/errors'
import { isPrivateKeyLabel, pemBeginLabels, scanPem } from '../../shared/pem'
import type { CloudflareClient } from './client'
import { guard, guarded, isCancellation, outcomeUnknown, toAppError, type ErrorContext } from './errors'
import { normaliseHostnames } from './hostnames'
import type { OperationKey } from './operation-table'
import { pause, throwIfAborted, type LongOperation } from './progress'
import { byId, callOnScope, named, scopeLabel, type ActivityObject, type OperationsOf } from './operation'
import { ACCESS_READ, ACCESS_WRITE, read, write } from './operations'

/** An Access scope plus its display name for messages. */
export type NamedAccessScope = AccessScope & { name?: string | undefined }

function ids(scope: AccessScope): { account_id: string } | { zone_id: string } {
  return scope.kind === 'account' ? { account_id: scope.accountId } : { zone_id: scope.zoneId }
}

function ctx(scope: NamedAccessScope, key: OperationKey, target?: string): ErrorContext {
  const name = scope.name ?? (scope.kind === 'account' ? scope.accountId : scope.zoneId)
  return { op: key, scope: scope.kind, ...(scope.kind === 'account' ? { account: name } : { zone: name }), ...(target ? { target } : {}) }
}

export function toAccessSummary(c: SdkAccessCertificate): AccessCertificateSummary {
  return {
    id: c.id ?? '',
    name: c.name ?? '',
    ...(c.fingerprint ? { fingerprint: c.fingerprint } : {}),
    ...(c.expires_on ? { expiresOn: c.expires_on } : {}),
    associatedHostnames: c.associated_hostnames ?? [],
  }
}

/** A single PEM certificate (Access wants the root itself), checked before upload. */
export function requireCertificatePem(pem: string, what = 'The certificate'): string {
  const text = pem.replace(/\r\n?/g, '\n').trim()
  if (pemBeginLabels(text).some(isPrivateKeyLabel)) {
    throw new AppError('bad_input', `${what} field holds a private key. Paste the certificate (BEGIN CERTIFICATE) instead.`, {
      hint: 'A private key must never be uploaded where a certificate belongs.',
    })
  }
  const [first] = scanPem(text)
  if (!first || first.start !== 0 || first.label !== 'CERTIFICATE' || first.body === '') {
    throw new AppError('bad_input', `${what} is not a PEM certificate: expected "-----BEGIN CERTIFICATE-----".`, {
      hint: 'Export the CA certificate in PEM format.',
    })
  }
  return `${text}\n`
}

const PER_PAGE = 1000

export async function listAccessCertificates(
  client: CloudflareClient,
  scope: NamedAccessScope,
  signal?: AbortSignal,
): Promise<AccessCertificateSummary[]> {
  const out: AccessCertificateSummary[] = []
  for (let page = 1; ; page++) {
    const result = await guard(ctx(scope, 'access.list'), async () =>
      client.sdk.zeroTrust.access.certificates.list({ ...ids(scope), page, per_page: PER_PAGE }, { signal }),
    )
    out.push(...result.result.map(toAccessSummary))
    const info = result.result_info as Record<string, unknown>
    const total = typeof info['total_count'] === 'number' ? info['total_count'] : null
    if (result.result.length < PER_PAGE || (total !== null && out.length >= total)) return out
  }
}

export async function getAccessCertificate(
  client: CloudflareClient,
  scope: NamedAccessScope,
  id: string,
  signal?: AbortSignal,
): Promise<AccessCertificateSummary> {
  const target = `Access certificate ${id}`
  return guarded(
    ctx(scope, 'access.get', target),
    () => client.sdk.zeroTrust.access.certificates.get(id, ids(scope), { signal }),
    toAccessSummary,
  )
}

export interface AddAccessCertificate {
  name: string
  certificatePem: string
  hostnames?: readonly string[] | undefined
}

export async function addAccessCertificate(
  client: CloudflareClient,
  scope: NamedAccessScope,
  request: AddAccessCertificate,
  signal?: AbortSignal,
): Promise<AccessCertificateSummary> {
  const name = request.name.trim()
  if (!name) throw new AppError('bad_input', 'Give the certificate a name.', { hint: 'For example "Allow devs".' })
  const certificate = requireCertificatePem(request.certificatePem)
  const hostnames = normaliseHostnames(request.hostnames ?? [])
  const body = { ...ids(scope), name, certificate, ...(hostnames.length ? { associated_hostnames: hostnames } : {}) }
  const create = () => client.sdk.zeroTrust.access.certificates.create(body, { signal, maxRetries: 0 })
  return guarded(ctx(scope, 'access.add', `"${name}"`), create, toAccessSummary)
}

export async function updateAccessHostnames(
  client: CloudflareClient,
  scope: NamedAccessScope,
  id: string,
  hostnames: readonly string[],
  signal?: AbortSignal,
): Promise<AccessCertificateSummary> {
  const list = normaliseHostnames(hostnames)
  const update = () => client.sdk.zeroTrust.access.certificates.update(id, { ...ids(scope), associated_hostnames: list }, { signal })
  return guarded(ctx(scope, 'access.updateHostnames', `Access certificate ${id}`), update, toAccessSummary)
}

export interface DeleteOptions extends LongOperation {
  /** Delete attempts while Cloudflare still calls the root in use after the detach. */
  maxAttempts?: number | undefined
}

function isInUse(error: unknown): boolean {
  const mapped = toAppError(error, { op: 'access.delete' })
  return mapped.code === 'cf_in_use'
}

/**
 * Detach every hostname, then delete; a delete refused as "in use" right after the detach is the
 * known race and is retried with backoff. Progress: 0/2 detaching, 1/2 deleting, 2/2 done.
 */
export async function deleteAccessCertificate(
  client: CloudflareClient,
  scope: NamedAccessScope,
  id: string,
  options: DeleteOptions = {},
): Promise<{ id: string; detached: string[]; attempts: number }> {
  const { signal, onProgress } = options
  const current = await getAccessCertificate(client, scope, id, signal)
  const detached = current.associatedHostnames
  if (detached.length) {
    onProgress?.({ done: 0, total: 2, message: `Removing ${detached.length} hostname(s) from ${current.name}` })
    await updateAccessHostnames(client, scope, id, [], signal)
  }
  onProgress?.({ done: 1, total: 2, message: `Deleting ${current.name}` })
  const maxAttempts = Math.max(1, options.maxAttempts ?? 6)
  const context = ctx(scope, 'access.delete', `Access certificate "${current.name}"`)
  for (let attempt = 1; ; attempt++) {
    throwIfAborted(signal, 'Deleting the Access certificate')
    try {
      await client.sdk.zeroTrust.access.certificates.delete(id, ids(scope), { signal })
      onProgress?.({ done: 2, total: 2, message: `Deleted ${current.name}` })
      return { id, detached, attempts: attempt }
    } catch (error) {
      if (isCancellation(error)) throw toAppError(error, context)
      // A repeated delete after a lost answer: gone is what we wanted.
      if ((error as { status?: unknown }).status === 404 && attempt > 1) return { id, detached, attempts: attempt }
      const retry = (isInUse(error) || outcomeUnknown(error)) && attempt < maxAttempts
      if (!retry) throw toAppError(error, context)
      onProgress?.({ done: 1, total: 2, message: `Cloudflare still sees ${current.name} in use; retrying (${attempt}/${maxAttempts - 1})` })
      await pause(
        (ms, sig) => client.limiter.wait(ms, sig),
        client.limiter.backoffDelay(attempt),
        signal,
        'Deleting the Access certificate',
      )
    }
  }
}

function toHostnameSetting(s: SdkHostnameSetting): AccessHostnameSetting {
  return { hostname: s.hostname, chinaNetwork: s.china_network, clientCertificateForwarding: s.client_certificate_forwarding }
}

export async function getAccessHostnameSettings(
  client: CloudflareClient,
  scope: NamedAccessScope,
  signal?: AbortSignal,
): Promise<AccessHostnameSetting[]> {
  const get = () => client.sdk.zeroTrust.access.certificates.settings.get(ids(scope), { signal })
  return guarded(ctx(scope, 'access.settings'), get, (page) => page.result.map(toHostnameSetting))
}

/** Replaces the settings list (Cloudflare answers 202 with the new list). */
export async function updateAccessHostnameSettings(
  client: CloudflareClient,
  scope: NamedAccessScope,
  settings: readonly AccessHostnameSetting[],
  signal?: AbortSignal,
): Promise<AccessHostnameSetting[]> {
  const body = settings.map((s) => ({
    hostname: s.hostname.trim().toLowerCase(),
    china_network: s.chinaNetwork,
    client_certificate_forwarding: s.clientCertificateForwarding,
  }))
  for (const s of body) normaliseHostnames([s.hostname])
  const update = () => client.sdk.zeroTrust.access.certificates.settings.update({ ...ids(scope), settings: body }, { signal })
  return guarded(ctx(scope, 'access.updateSettings'), update, (page) => page.result.map(toHostnameSetting))
}

/** An Access root added or its hostnames changed: the scope and the hostnames asked for, named by the answer. */
const accessRoot = <R>(words: string, before: (request: R) => ActivityObject) => ({
  words,
  before,
  detail: (request: R & { hostnames?: readonly string[] | undefined }, at: AccessScope) => ({
    scope: scopeLabel(at),
    hostnames: (request.hostnames ?? []).join(' '),
  }),
  after: (r: AccessCertificateSummary) => named(r.name, r.id),
})

/** The operations of `access:*` (what an operation declares: operation.ts). */
export const accessOperations = {
  'access.list': {
    scope: 'access',
    permission: read('list Access mTLS certificates', ACCESS_READ),
    call: callOnScope(listAccessCertificates),
  },
  'access.add': {
    scope: 'access',
    permission: write('add an Access mTLS certificate', ACCESS_WRITE),
    call: ({ client, at, request, signal }) => addAccessCertificate(client, at, request, signal),
    audit: accessRoot('Added Access mTLS root', (request: { name: string }) => ({ target: request.name, objectName: request.name })),
  },
  'access.updateHostnames': {
    scope: 'access',
    permission: write('update an Access mTLS certificate', ACCESS_WRITE),
    call: ({ client, at, request, signal }) => updateAccessHostnames(client, at, request.id, request.hostnames, signal),
    audit: accessRoot('Changed Access root hostnames', byId),
  },
  'access.delete': {
    scope: 'access',
    permission: write('delete an Access mTLS certificate', ACCESS_WRITE),
    job: 'Deleting the Access root',
    call: ({ client, at, request, signal, onProgress }) => deleteAccessCertificate(client, at, request.id, { signal, onProgress }),
    audit: {
      words: 'Deleted Access mTLS root',
      before: byId,
      detail: (_, at) => ({ scope: scopeLabel(at) }),
      after: (r) => ({ detail: { detached: r.detached.join(' '), attempts: r.attempts } }),
    },
  },
  'access.settings': {
    scope: 'access',
    permission: read('read Access mTLS hostname settings', ACCESS_READ),
    call: callOnScope(getAccessHostnameSettings),
  },
  'access.updateSettings': {
    scope: 'access',
    permission: write('update Access mTLS hostname settings', ACCESS_WRITE),
    call: ({ client, at, request, signal }) => updateAccessHostnameSettings(client, at, request.settings, signal),
    audit: {
      words: 'Changed Access client-certificate forwarding',
      before: (_, at) => scopeLabel(at),
      detail: (request) => ({ hostnames: request.settings.map((s) => s.hostname).join(' ') }),
    },
  },
} as const satisfies OperationsOf<'access'>
