/**
 * API Shield client certificates, issued by the zone's Cloudflare-managed CA.
 *
 * Create is not idempotent: a create whose answer is lost (timeout, dropped connection, 5xx) may
 * have issued a certificate. Before any new attempt the zone is listed and a certificate whose
 * echoed `csr` matches — issued since this create began — is taken as the answer. Only when none
 * exists is the create sent again. The SDK never repeats a create by itself (client.ts).
 */
import * as x509 from '@peculiar/x509'
import type { ClientCertificate } from 'cloudflare/resources/client-certificates/client-certificates'
import {
  ClientCertStatus,
  MAX_VALIDITY_DAYS,
  type BulkFailure,
  type BulkResult,
  type BulkRevokeItem,
  type BulkRevokeResult,
  type ClientCertificateCreateResult,
  type ClientCertificatePage,
  type ClientCertificateSummary,
  type ClientCertStatusFilter,
} from '../../shared/cloudflare-model'
import { AppError } from '../../shared/errors'
import type { CloudflareClient } from './client'
import { guard, isCancellation, outcomeUnknown, toAppError, type ErrorContext } from './errors'
import { pool } from '../concurrency'
import { throwIfAborted, type LongOperation } from './progress'

export interface ZoneScope {
  zoneId: string
  /** For messages ("… on zone example.com"); the id is used when absent. */
  zoneName?: string | undefined
}

/** Cloudflare's largest page for this list. */
export const MAX_PER_PAGE = 50

/** How far back (ms) an issued_on may lie before the create began and still count as ours: clock skew. */
const ISSUED_SKEW_MS = 10 * 60_000

function ctx(scope: ZoneScope, op: ErrorContext['op'], target?: string): ErrorContext {
  return { op, zone: scope.zoneName ?? scope.zoneId, ...(target ? { target } : {}) }
}

export function toClientCertificateSummary(c: ClientCertificate, zoneId: string): ClientCertificateSummary {
  const status = ClientCertStatus.safeParse(c.status)
  const opt = <K extends string>(key: K, value: string | undefined) => (value ? { [key]: value } : {}) as Partial<Record<K, string>>
  return {
    id: c.id ?? '',
    zoneId,
    status: status.success ? status.data : 'active',
    commonName: c.common_name ?? '',
    ...opt('organization', c.organization),
    ...opt('organizationalUnit', c.organizational_unit),
    ...opt('country', c.country),
    ...opt('state', c.state),
    ...opt('location', c.location),
    ...opt('serialNumber', c.serial_number),
    ...opt('fingerprintSha256', c.fingerprint_sha256),
    ...opt('ski', c.ski),
    ...opt('signature', c.signature),
    ...opt('issuedOn', c.issued_on),
    ...opt('expiresOn', c.expires_on),
    ...(typeof c.validity_days === 'number' ? { validityDays: c.validity_days } : {}),
    ...(c.certificate_authority ? { certificateAuthority: { ...opt('id', c.certificate_authority.id), ...opt('name', c.certificate_authority.name) } } : {}),
    ...opt('certificate', c.certificate),
  }
}

// ---------------------------------------------------------------------------------------------
// CSR handling

/** The base64 body of a PEM, whitespace removed: two PEMs of the same DER compare equal. */
export function pemBody(pem: string): string {
  return pem
    .replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, '')
    .replace(/\s+/g, '')
}

/**
 * Check a CSR locally before Cloudflare sees it, so the user learns *why* it is wrong:
 * PEM type, DER structure, self-signature. Returns it with `\n` line ends and a final newline,
 * as Cloudflare wants ("newline-encoded").
 */
export async function normaliseCsr(csrPem: string): Promise<string> {
  const text = csrPem.replace(/\r\n?/g, '\n').trim()
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    throw new AppError('bad_input', 'That is a private key, not a certificate signing request.', { hint: 'Select the CSR file (BEGIN CERTIFICATE REQUEST). Never upload a private key here.' })
  }
  if (/-----BEGIN CERTIFICATE-----/.test(text)) {
    throw new AppError('bad_input', 'That is a certificate, not a certificate signing request.', { hint: 'Select the CSR file (BEGIN CERTIFICATE REQUEST), or generate one in Certdesk.' })
  }
  const match = /-----BEGIN (NEW )?CERTIFICATE REQUEST-----\n[\s\S]+?\n-----END (NEW )?CERTIFICATE REQUEST-----/.exec(text)
  if (!match) {
    throw new AppError('bad_input', 'The CSR is not PEM: expected "-----BEGIN CERTIFICATE REQUEST-----".', { hint: 'Export the CSR in PEM format (base64 between BEGIN/END CERTIFICATE REQUEST lines).' })
  }
  const pem = match[0].replace(/(BEGIN|END) NEW CERTIFICATE REQUEST/g, '$1 CERTIFICATE REQUEST')
  let csr: x509.Pkcs10CertificateRequest
  try {
    csr = new x509.Pkcs10CertificateRequest(pem)
  } catch (error) {
    throw new AppError('bad_input', 'The CSR could not be decoded: its content is damaged or not a PKCS#10 request.', { hint: 'Generate the CSR again; copy it whole, including the BEGIN and END lines.', cause: error })
  }
  let valid: boolean
  try {
    valid = await csr.verify()
  } catch (error) {
    throw new AppError('bad_input', `The CSR uses a key or signature algorithm Certdesk cannot check (${(csr.signatureAlgorithm as { name?: string }).name ?? 'unknown'}).`, { hint: 'Use RSA 2048+ or ECDSA P-256/P-384 with SHA-256 or better.', cause: error })
  }
  if (!valid) {
    throw new AppError('bad_input', 'The CSR’s signature does not match its public key: it was altered or assembled wrongly.', { hint: 'Generate the CSR again from the private key.' })
  }
  return `${pem}\n`
}

export function validateValidityDays(days: number): number {
  if (!Number.isInteger(days) || days < 1 || days > MAX_VALIDITY_DAYS) {
    throw new AppError('bad_input', `Validity must be a whole number of days from 1 to ${MAX_VALIDITY_DAYS}, got ${days}.`, { hint: 'The dashboard offers 1, 2, 3, 5, 10 (default) and 15 years: 365 to 5475 days.' })
  }
  return days
}

// ---------------------------------------------------------------------------------------------
// Reads

export interface ListOptions extends LongOperation {
  status?: ClientCertStatusFilter | undefined
  perPage?: number | undefined
}

interface RawPage {
  raw: ClientCertificate[]
  page: number
  perPage: number
  totalCount: number | null
  totalPages: number | null
}

/** Pages as the SDK returns them; stops on the last page by result_info (the SDK's own iterator asks for one empty page past the end). */
async function* rawPages(client: CloudflareClient, scope: ZoneScope, options: ListOptions): AsyncGenerator<RawPage> {
  const perPage = Math.min(MAX_PER_PAGE, Math.max(5, options.perPage ?? MAX_PER_PAGE))
  const status = options.status ?? 'all'
  let seen = 0
  for (let page = 1; ; page++) {
    throwIfAborted(options.signal, 'Listing client certificates')
    const result = await guard(ctx(scope, 'clientCertificates.list'), async () =>
      client.sdk.clientCertificates.list({ zone_id: scope.zoneId, status, page, per_page: perPage }, { signal: options.signal }),
    )
    // result_info carries total_count/total_pages on the wire though the SDK's type omits them.
    const info = result.result_info as Record<string, unknown>
    const raw = result.result
    seen += raw.length
    const totalCount = typeof info.total_count === 'number' ? info.total_count : null
    const totalPages = typeof info.total_pages === 'number' ? info.total_pages : totalCount === null ? null : Math.ceil(totalCount / perPage)
    options.onProgress?.({ done: seen, total: totalCount, message: `Page ${page}${totalPages ? ` of ${totalPages}` : ''}` })
    yield { raw, page, perPage, totalCount, totalPages }
    const last = raw.length < perPage || (totalPages !== null && page >= totalPages) || (totalCount !== null && seen >= totalCount)
    if (last) return
  }
}

/** Every page of the list, one at a time as it arrives, with progress after each. */
export async function* listClientCertificatePages(client: CloudflareClient, scope: ZoneScope, options: ListOptions = {}): AsyncGenerator<ClientCertificatePage> {
  for await (const { raw, ...info } of rawPages(client, scope, options)) {
    yield { items: raw.map((c) => toClientCertificateSummary(c, scope.zoneId)), ...info }
  }
}

export async function listClientCertificates(client: CloudflareClient, scope: ZoneScope, options: ListOptions = {}): Promise<ClientCertificateSummary[]> {
  const all: ClientCertificateSummary[] = []
  for await (const page of listClientCertificatePages(client, scope, options)) all.push(...page.items)
  return all
}

export async function getClientCertificate(client: CloudflareClient, scope: ZoneScope, id: string, signal?: AbortSignal): Promise<ClientCertificateSummary> {
  const c = await guard(ctx(scope, 'clientCertificates.get', `client certificate ${id}`), async () => client.sdk.clientCertificates.get(id, { zone_id: scope.zoneId }, { signal }))
  return toClientCertificateSummary(c, scope.zoneId)
}

/**
 * The certificate issued for this CSR since `issuedSince` (ms), the newest if several, or null.
 * Certificates issued earlier for the same CSR are not ours: a CSR may be reused on purpose.
 */
export async function findByCsr(client: CloudflareClient, scope: ZoneScope, csrPem: string, issuedSince: number, signal?: AbortSignal): Promise<ClientCertificateSummary | null> {
  const wanted = pemBody(csrPem)
  let best: ClientCertificate | null = null
  let bestTime = -Infinity
  for await (const page of rawPages(client, scope, { status: 'all', signal })) {
    for (const item of page.raw) {
      if (!item.csr || pemBody(item.csr) !== wanted) continue
      const issued = item.issued_on ? Date.parse(item.issued_on) : NaN
      if (Number.isFinite(issued) && issued < issuedSince - ISSUED_SKEW_MS) continue
      const time = Number.isFinite(issued) ? issued : 0
      if (time >= bestTime) {
        best = item
        bestTime = time
      }
    }
  }
  return best ? toClientCertificateSummary(best, scope.zoneId) : null
}

// ---------------------------------------------------------------------------------------------
// Writes

export interface CreateOptions {
  signal?: AbortSignal | undefined
  /** Creates sent at most, counting the first (each after a lookup found nothing). */
  maxAttempts?: number | undefined
}

/**
 * Issue a certificate for a CSR. A lost answer is resolved by looking the CSR up before any new
 * attempt, so a create never issues twice. `recovered` says the answer came from the lookup.
 */
export async function createClientCertificate(
  client: CloudflareClient,
  scope: ZoneScope,
  request: { csrPem: string; validityDays: number },
  options: CreateOptions = {},
): Promise<ClientCertificateCreateResult> {
  const csr = await normaliseCsr(request.csrPem)
  const validityDays = validateValidityDays(request.validityDays)
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3)
  const context = ctx(scope, 'clientCertificates.create')
  const began = Date.now()
  let lastError: unknown
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    throwIfAborted(options.signal, 'Creating the client certificate')
    try {
      const created = await client.sdk.clientCertificates.create({ zone_id: scope.zoneId, csr, validity_days: validityDays }, { signal: options.signal, maxRetries: 0 })
      return { certificate: toClientCertificateSummary(created, scope.zoneId), recovered: false, attempts: attempt }
    } catch (error) {
      if (!outcomeUnknown(error) || isCancellation(error)) throw toAppError(error, context)
      lastError = error
    }
    // The create may have been carried out: look before trying again.
    let found: ClientCertificateSummary | null
    try {
      found = await findByCsr(client, scope, csr, began, options.signal)
    } catch (lookupError) {
      const mapped = toAppError(lastError, context)
      throw new AppError(mapped.code, `${mapped.message} Certdesk could not check whether the certificate was issued anyway (${toAppError(lookupError, ctx(scope, 'clientCertificates.list')).message}).`, {
        hint: 'Refresh the certificate list before creating it again: a certificate for this CSR may exist already.',
        details: { ...mapped.details, outcomeUnknown: true },
        cause: lookupError,
      })
    }
    if (found) return { certificate: found, recovered: true, attempts: attempt }
  }
  throw toAppError(lastError, context)
}

const REVOKED_OR_REVOKING = new Set(['pending_revocation', 'revoked'])
const ACTIVE_OR_REACTIVATING = new Set(['pending_reactivation', 'active'])

/**
 * Revoke: `pending_revocation`, later `revoked`; the certificate stays listed. Revoking one that is
 * already revoked or being revoked succeeds with its current state (a repeated DELETE after a lost
 * answer lands here too).
 */
export async function revokeClientCertificate(client: CloudflareClient, scope: ZoneScope, id: string, signal?: AbortSignal): Promise<ClientCertificateSummary> {
  const context = ctx(scope, 'clientCertificates.revoke', `client certificate ${id}`)
  try {
    const c = await client.sdk.clientCertificates.delete(id, { zone_id: scope.zoneId }, { signal })
    return toClientCertificateSummary(c, scope.zoneId)
  } catch (error) {
    const settled = await settledState(client, scope, id, error, REVOKED_OR_REVOKING, signal)
    if (settled) return settled
    throw toAppError(error, context)
  }
}

/** Reactivate: only while `pending_revocation`; goes `pending_reactivation` then `active`. */
export async function reactivateClientCertificate(client: CloudflareClient, scope: ZoneScope, id: string, signal?: AbortSignal): Promise<ClientCertificateSummary> {
  const context = ctx(scope, 'clientCertificates.reactivate', `client certificate ${id}`)
  try {
    const c = await client.sdk.clientCertificates.edit(id, { zone_id: scope.zoneId, reactivate: true }, { signal, maxRetries: 0 })
    return toClientCertificateSummary(c, scope.zoneId)
  } catch (error) {
    const settled = await settledState(client, scope, id, error, ACTIVE_OR_REACTIVATING, signal)
    if (settled?.status === 'pending_reactivation') return settled
    if (settled?.status === 'active' && outcomeUnknown(error)) return settled
    const mapped = toAppError(error, context)
    if (mapped.code === 'cf_request_rejected' && settled === null) {
      const current = await getClientCertificate(client, scope, id, signal).catch(() => null)
      if (current && current.status !== 'pending_revocation') {
        throw new AppError('cf_invalid_state', `Client certificate ${current.commonName || id} is ${current.status.replace('_', ' ')}: only a certificate pending revocation can be reactivated.`, {
          hint: current.status === 'revoked' ? 'A revoked certificate cannot come back: create a new one from the same CSR.' : 'Nothing to do.',
          details: { ...mapped.details, status: current.status },
          cause: error,
        })
      }
    }
    throw mapped
  }
}

/**
 * After a failed revoke/reactivate: when the failure is a lost answer or a state conflict, read the
 * certificate; if it is already where the call wanted it, the call succeeded. Null otherwise.
 */
async function settledState(client: CloudflareClient, scope: ZoneScope, id: string, error: unknown, wanted: Set<string>, signal?: AbortSignal): Promise<ClientCertificateSummary | null> {
  if (isCancellation(error)) return null
  const status = (error as { status?: unknown }).status
  const conflict = status === 400 || status === 409
  if (!conflict && !outcomeUnknown(error)) return null
  try {
    const current = await getClientCertificate(client, scope, id, signal)
    return wanted.has(current.status) ? current : null
  } catch {
    return null
  }
}

export interface BulkOptions extends LongOperation {
  /** Requests in flight at once; the shared limiter paces them. */
  concurrency?: number | undefined
}

function failure(id: string, error: unknown, context: ErrorContext): BulkFailure {
  const app = toAppError(error, context)
  return { id, code: String(app.code), message: app.message, ...(app.hint ? { hint: app.hint } : {}) }
}

/**
 * Revoke many; each failure is reported with its reason, the rest carry on. `items` says what became
 * of every certificate. On cancel, requests not yet sent are `not_sent`; one in flight may still have
 * been carried out, so after the job one read of the zone settles those (and names the unsent ones):
 * revoked or pending revocation is `done`, unchanged is `not_sent`, and without an answer `unknown`.
 * The read also names the certificates no answer named.
 */
export async function bulkRevoke(client: CloudflareClient, scope: ZoneScope, ids: readonly string[], options: BulkOptions = {}): Promise<BulkRevokeResult> {
  const before = client.limiter.stats().retries
  const succeeded: string[] = []
  const failed: BulkFailure[] = []
  const items = new Map<string, BulkRevokeItem>()
  const { cancelled } = await pool(ids, options.concurrency ?? 8, options.signal, async (id) => {
    try {
      const c = await revokeClientCertificate(client, scope, id, options.signal)
      succeeded.push(id)
      items.set(id, { id, commonName: c.commonName, outcome: 'done', status: c.status })
    } catch (error) {
      if (isCancellation(error)) items.set(id, { id, commonName: '', outcome: 'unknown' })
      else {
        failed.push(failure(id, error, ctx(scope, 'clientCertificates.revoke', `client certificate ${id}`)))
        items.set(id, { id, commonName: '', outcome: 'failed' })
      }
    }
    options.onProgress?.({ done: succeeded.length + failed.length, total: ids.length, message: `Revoked ${succeeded.length} of ${ids.length}` })
  })
  // Cut short: items never started, or whose request the cancel interrupted.
  const cutShort = cancelled || ids.some((id) => items.get(id)?.outcome !== 'done' && items.get(id)?.outcome !== 'failed')
  const unsettled = ids.filter((id) => items.get(id)?.outcome !== 'done')
  const current = unsettled.length ? await readAfterwards(client, scope) : null
  for (const id of ids) {
    const item = items.get(id) ?? { id, commonName: '', outcome: 'not_sent' as const }
    const now = current?.get(id)
    if (now) {
      item.commonName ||= now.commonName
      if (item.outcome !== 'done') item.status = now.status
      // Only a request that went out can have revoked it; an unsent one stays not_sent whatever its state.
      if (item.outcome === 'unknown') item.outcome = REVOKED_OR_REVOKING.has(now.status) ? 'done' : 'not_sent'
    }
    if (item.outcome === 'done' && !succeeded.includes(id)) succeeded.push(id)
    items.set(id, item)
  }
  return {
    succeeded,
    failed,
    retries: client.limiter.stats().retries - before,
    cancelled: cutShort,
    items: ids.map((id) => items.get(id)!),
  }
}

/** After a bulk job: the zone's certificates by id, read without the job's (maybe aborted) signal; null when the read fails. */
async function readAfterwards(client: CloudflareClient, scope: ZoneScope): Promise<Map<string, ClientCertificateSummary> | null> {
  try {
    const all = await listClientCertificates(client, scope, { status: 'all', signal: AbortSignal.timeout(30_000) })
    return new Map(all.map((c) => [c.id, c]))
  } catch {
    return null
  }
}

export interface BulkCreateItem {
  /** Caller's key for the item (a file name, a device id); echoed in results and failures. */
  key: string
  csrPem: string
  validityDays: number
}

export interface BulkCreateResult extends BulkResult {
  issued: Array<{ key: string; certificate: ClientCertificateSummary; recovered: boolean }>
}

/** Create many, paced by the shared limiter; `onIssued` sees each certificate as it arrives. */
export async function bulkCreate(
  client: CloudflareClient,
  scope: ZoneScope,
  items: readonly BulkCreateItem[],
  options: BulkOptions & { onIssued?: (key: string, result: ClientCertificateCreateResult) => void | Promise<void> } = {},
): Promise<BulkCreateResult> {
  const before = client.limiter.stats().retries
  const issued: BulkCreateResult['issued'] = []
  const failed: BulkFailure[] = []
  const { cancelled } = await pool(items, options.concurrency ?? 8, options.signal, async (item) => {
    try {
      const result = await createClientCertificate(client, scope, item, { signal: options.signal })
      issued.push({ key: item.key, certificate: result.certificate, recovered: result.recovered })
      await options.onIssued?.(item.key, result)
    } catch (error) {
      if (!isCancellation(error)) failed.push(failure(item.key, error, ctx(scope, 'clientCertificates.create')))
    }
    options.onProgress?.({ done: issued.length + failed.length, total: items.length, message: `Issued ${issued.length} of ${items.length}` })
  })
  return {
    issued,
    succeeded: issued.map((i) => i.key),
    failed,
    retries: client.limiter.stats().retries - before,
    cancelled: cancelled || (Boolean(options.signal?.aborted) && issued.length + failed.length < items.length),
  }
}
