/**
 * API Shield client certificates, issued by the zone's Cloudflare-managed CA.
 *
 * Create is not idempotent: a create whose answer is lost (timeout, dropped connection, 5xx) may
 * have issued a certificate. Before any new attempt the zone is listed and a certificate whose
 * echoed `csr` matches — issued since this create began — is taken as the answer. Only when none
 * exists is the create sent again. The SDK never repeats a create by itself (client.ts).
 */
import { isPrivateKeyLabel, pemBeginLabels, scanPem, wrapPem } from '../../shared/pem'
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
import { CLOUDFLARE_CLIENT_KEYS, CLOUDFLARE_CLIENT_KEYS_SENTENCE } from '../../shared/constants'
import { AppError } from '../../shared/errors'
import { pemLabelKind } from '../certs/pem'
import { decodeCsr } from '../certs/x509'
import { lintCsrKey } from '../lint/csr'
import type { CloudflareClient } from './client'
import { guard, isCancellation, outcomeUnknown, toAppError, zoneContext as ctx, type ErrorContext } from './errors'
import { pool } from '../concurrency'
import { pause, throwIfAborted, type LongOperation } from './progress'
import { byId, callById, named, zoneLabel, type OperationsOf } from './operation'
import { read, SSL_READ, SSL_WRITE, write } from './operations'

export interface ZoneScope {
  zoneId: string
  /** For messages ("… on zone example.com"); the id is used when absent. */
  zoneName?: string | undefined
}

/** Cloudflare's largest page for this list. */
export const MAX_PER_PAGE = 50

/** How far back (ms) an issued_on may lie before the create began and still count as ours: clock skew. */
const ISSUED_SKEW_MS = 10 * 60_000

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
    ...(c.certificate_authority
      ? { certificateAuthority: { ...opt('id', c.certificate_authority.id), ...opt('name', c.certificate_authority.name) } }
      : {}),
    ...opt('certificate', c.certificate),
  }
}

// ---------------------------------------------------------------------------------------------
// CSR handling

/** The base64 body of a PEM, whitespace removed: two PEMs of the same DER compare equal. */
export function pemBody(pem: string): string {
  const blocks = scanPem(pem)
  return blocks.length > 0 ? blocks.map((b) => b.body).join('') : pem.replace(/\s+/g, '')
}

/**
 * Check a CSR locally before Cloudflare sees it, so the user learns *why* it is wrong:
 * PEM type, DER structure, self-signature. Returns it with `\n` line ends and a final newline,
 * as Cloudflare wants ("newline-encoded").
 */
export async function normaliseCsr(csrPem: string): Promise<string> {
  const text = csrPem.replace(/\r\n?/g, '\n').trim()
  const labels = pemBeginLabels(text)
  if (labels.some(isPrivateKeyLabel)) {
    throw new AppError('bad_input', 'That is a private key, not a certificate signing request.', {
      hint: 'Select the CSR file (BEGIN CERTIFICATE REQUEST). Never upload a private key here.',
    })
  }
  if (labels.includes('CERTIFICATE')) {
    throw new AppError('bad_input', 'That is a certificate, not a certificate signing request.', {
      hint: 'Select the CSR file (BEGIN CERTIFICATE REQUEST), or generate one in Certdesk.',
    })
  }
  const block = scanPem(text).find((b) => pemLabelKind(b.label) === 'csr' && b.body !== '')
  if (!block && labels.some((label) => pemLabelKind(label) === 'csr')) {
    throw new AppError('bad_input', 'The CSR is truncated: it begins with its BEGIN line but its END line is missing.', {
      hint: 'Copy the whole CSR again, down to the "-----END CERTIFICATE REQUEST-----" line.',
      details: { reason: 'truncated' },
    })
  }
  if (!block) {
    throw new AppError('bad_input', 'The CSR is not PEM: expected "-----BEGIN CERTIFICATE REQUEST-----".', {
      hint: 'Export the CSR in PEM format (base64 between BEGIN/END CERTIFICATE REQUEST lines).',
    })
  }
  const pem = wrapPem(block.body, 'CERTIFICATE REQUEST')
  const csr = decodeCsr(pem, {
    message: 'The CSR could not be decoded: its content is damaged or not a PKCS#10 request.',
    hint: 'Generate the CSR again; copy it whole, including the BEGIN and END lines.',
  })
  assertCsrKeyAccepted(new Uint8Array(csr.publicKey.rawData))
  let valid: boolean
  try {
    valid = await csr.verify()
  } catch (error) {
    const algorithm = (csr.signatureAlgorithm as { name?: string }).name ?? 'unknown'
    throw new AppError('bad_input', `The CSR uses a key or signature algorithm Certdesk cannot check (${algorithm}).`, {
      hint: `Use ${CLOUDFLARE_CLIENT_KEYS} keys, signed with SHA-256 or better.`,
      cause: error,
    })
  }
  if (!valid) {
    throw new AppError('bad_input', 'The CSR’s signature does not match its public key: it was altered or assembled wrongly.', {
      hint: 'Generate the CSR again from the private key.',
    })
  }
  return pem
}

/**
 * Refuse a CSR whose key the certificate lint fails or Cloudflare does not issue for, before any
 * request: the first error's rule, its fix, and what Cloudflare accepts.
 */
export function assertCsrKeyAccepted(spki: Uint8Array): void {
  const errors = lintCsrKey(spki).filter((f) => f.severity === 'error')
  const first = errors[0]
  if (!first) return
  const accepted = first.message.includes(CLOUDFLARE_CLIENT_KEYS_SENTENCE) ? '' : ` ${CLOUDFLARE_CLIENT_KEYS_SENTENCE}`
  const message = `The CSR’s key cannot get a Cloudflare client certificate: ${first.message} (rule ${first.ruleId}).${accepted}`
  throw new AppError('bad_input', message, {
    hint: first.fix,
    details: { rule: first.ruleId, rules: errors.map((f) => f.ruleId).join(' ') },
  })
}

export function validateValidityDays(days: number): number {
  if (!Number.isInteger(days) || days < 1 || days > MAX_VALIDITY_DAYS) {
    throw new AppError('bad_input', `Validity must be a whole number of days from 1 to ${MAX_VALIDITY_DAYS}, got ${days}.`, {
      hint: 'The dashboard offers 1, 2, 3, 5, 10 (default) and 15 years: 365 to 5475 days.',
    })
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
    const result = await guard(ctx(scope, 'clientCerts.list'), async () =>
      client.sdk.clientCertificates.list({ zone_id: scope.zoneId, status, page, per_page: perPage }, { signal: options.signal }),
    )
    // result_info carries total_count/total_pages on the wire though the SDK's type omits them.
    const info = result.result_info as Record<string, unknown>
    const raw = result.result
    seen += raw.length
    const totalCount = typeof info.total_count === 'number' ? info.total_count : null
    const totalPages =
      typeof info.total_pages === 'number' ? info.total_pages : totalCount === null ? null : Math.ceil(totalCount / perPage)
    options.onProgress?.({ done: seen, total: totalCount, message: `Page ${page}${totalPages ? ` of ${totalPages}` : ''}` })
    yield { raw, page, perPage, totalCount, totalPages }
    const last = raw.length < perPage || (totalPages !== null && page >= totalPages) || (totalCount !== null && seen >= totalCount)
    if (last) return
  }
}

/** Every page of the list, one at a time as it arrives, with progress after each. */
export async function* listClientCertificatePages(
  client: CloudflareClient,
  scope: ZoneScope,
  options: ListOptions = {},
): AsyncGenerator<ClientCertificatePage> {
  for await (const { raw, ...info } of rawPages(client, scope, options)) {
    yield { items: raw.map((c) => toClientCertificateSummary(c, scope.zoneId)), ...info }
  }
}

export async function listClientCertificates(
  client: CloudflareClient,
  scope: ZoneScope,
  options: ListOptions = {},
): Promise<ClientCertificateSummary[]> {
  const all: ClientCertificateSummary[] = []
  for await (const page of listClientCertificatePages(client, scope, options)) all.push(...page.items)
  return all
}

export async function getClientCertificate(
  client: CloudflareClient,
  scope: ZoneScope,
  id: string,
  signal?: AbortSignal,
): Promise<ClientCertificateSummary> {
  const c = await guard(ctx(scope, 'clientCerts.get', `client certificate ${id}`), async () =>
    client.sdk.clientCertificates.get(id, { zone_id: scope.zoneId }, { signal }),
  )
  return toClientCertificateSummary(c, scope.zoneId)
}

/**
 * The certificate issued for this CSR since `issuedSince` (ms), the newest if several, or null.
 * Certificates issued earlier for the same CSR are not ours: a CSR may be reused on purpose.
 */
export async function findByCsr(
  client: CloudflareClient,
  scope: ZoneScope,
  csrPem: string,
  issuedSince: number,
  signal?: AbortSignal,
): Promise<ClientCertificateSummary | null> {
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

/** How long (ms) after a create whose answer was lost the list is watched for it: the server may still be committing. */
export const DEFAULT_SETTLE_MS = 30_000
const DEFAULT_POLL_MS = 500
const MAX_POLL_MS = 5_000

export interface CreateOptions {
  signal?: AbortSignal | undefined
  /** Creates sent at most, counting the first (each after the lookups found nothing). */
  maxAttempts?: number | undefined
  /** After a lost answer, keep looking for the certificate this long (ms) after the create was sent. Default 30 s. */
  settleMs?: number | undefined
  /** First pause (ms) between those lookups; it doubles, up to 5 s. Default 500 ms. */
  pollMs?: number | undefined
  /**
   * A create for this CSR may already have been sent, at this time (ms; a pending intent): look for
   * its certificate first — until `resumeSince + settleMs` — and send a create only if none appears.
   */
  resumeSince?: number | undefined
}

/**
 * Look for the certificate issued for `csr` since `since`, again and again with backoff until
 * `until`: a create the server is still committing appears in the list only later. Null when none
 * appeared. A failed lookup is an outcome-unknown AppError that says a certificate may exist.
 */
export async function awaitIssued(
  client: CloudflareClient,
  scope: ZoneScope,
  csr: string,
  since: number,
  until: number,
  options: CreateOptions,
  lostAnswer: unknown,
): Promise<ClientCertificateSummary | null> {
  let wait = Math.max(10, options.pollMs ?? DEFAULT_POLL_MS)
  for (;;) {
    let found: ClientCertificateSummary | null
    try {
      found = await findByCsr(client, scope, csr, since, options.signal)
    } catch (lookupError) {
      if (isCancellation(lookupError)) throw toAppError(lookupError, ctx(scope, 'clientCerts.list'))
      const reason = toAppError(lookupError, ctx(scope, 'clientCerts.list')).message
      const lost = lostAnswer === undefined ? null : toAppError(lostAnswer, ctx(scope, 'clientCerts.createFromCsr'))
      const message = lost
        ? `${lost.message} Certdesk could not check whether the certificate was issued anyway (${reason}).`
        : `A create for this CSR was sent before and its outcome is unknown; Certdesk could not check whether it was issued (${reason}).`
      throw new AppError(lost?.code ?? 'cf_network', message, {
        hint: 'Try again later: Certdesk will look for the certificate first and never sends the create again before it has looked.',
        details: { ...lost?.details, outcomeUnknown: true },
        cause: lookupError,
      })
    }
    if (found) return found
    const left = until - Date.now()
    if (left <= 0) return null
    await pause((ms, sig) => client.limiter.wait(ms, sig), Math.min(wait, left), options.signal, 'Looking for the issued certificate')
    wait = Math.min(wait * 2, MAX_POLL_MS)
  }
}

/**
 * Issue a certificate for a CSR. A lost answer is resolved by looking the CSR up — for up to
 * `settleMs`, as the server may commit late — before any new attempt, so a create never issues
 * twice. `recovered` says the answer came from the lookup.
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
  const settleMs = Math.max(0, options.settleMs ?? DEFAULT_SETTLE_MS)
  const context = ctx(scope, 'clientCerts.createFromCsr')
  const began = options.resumeSince ?? Date.now()
  if (options.resumeSince !== undefined) {
    const found = await awaitIssued(client, scope, csr, began, options.resumeSince + settleMs, options, undefined)
    if (found) return { certificate: found, recovered: true, attempts: 1 }
  }
  let lastError: unknown
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    throwIfAborted(options.signal, 'Creating the client certificate')
    const sentAt = Date.now()
    try {
      const created = await client.sdk.clientCertificates.create(
        { zone_id: scope.zoneId, csr, validity_days: validityDays },
        { signal: options.signal, maxRetries: 0 },
      )
      return { certificate: toClientCertificateSummary(created, scope.zoneId), recovered: false, attempts: attempt }
    } catch (error) {
      if (!outcomeUnknown(error) || isCancellation(error)) throw toAppError(error, context)
      lastError = error
    }
    // The create may have been carried out, or be still committing: look before trying again.
    const found = await awaitIssued(client, scope, csr, began, sentAt + settleMs, options, lastError)
    if (found) return { certificate: found, recovered: true, attempts: attempt }
  }
  const mapped = toAppError(lastError, context)
  throw new AppError(mapped.code, mapped.message, {
    hint:
      `No certificate for this CSR appeared within ${Math.round(settleMs / 1000)} s of any of the ${maxAttempts} attempts. ` +
      'Try again later: Certdesk looks for it before sending anything, so it is never issued twice.',
    details: { ...mapped.details, outcomeUnknown: true, attempts: maxAttempts },
    cause: lastError,
  })
}

/** What each state change sends, and the states in which it counts as done. */
const STATE_CHANGES = {
  revoke: {
    key: 'clientCerts.revoke',
    wanted: new Set(['pending_revocation', 'revoked']),
    send: (client: CloudflareClient, zoneId: string, id: string, signal?: AbortSignal) =>
      client.sdk.clientCertificates.delete(id, { zone_id: zoneId }, { signal }),
  },
  reactivate: {
    key: 'clientCerts.reactivate',
    wanted: new Set(['pending_reactivation', 'active']),
    send: (client: CloudflareClient, zoneId: string, id: string, signal?: AbortSignal) =>
      client.sdk.clientCertificates.edit(id, { zone_id: zoneId, reactivate: true }, { signal, maxRetries: 0 }),
  },
} as const

/**
 * Revoke: `pending_revocation`, later `revoked`; the certificate stays listed. Revoking one that is
 * already revoked or being revoked succeeds with its current state (a repeated DELETE after a lost
 * answer lands here too).
 */
export function revokeClientCertificate(client: CloudflareClient, scope: ZoneScope, id: string, signal?: AbortSignal) {
  return changeState(client, scope, id, 'revoke', signal)
}

/** Reactivate: only while `pending_revocation`; goes `pending_reactivation` then `active`. */
export function reactivateClientCertificate(client: CloudflareClient, scope: ZoneScope, id: string, signal?: AbortSignal) {
  return changeState(client, scope, id, 'reactivate', signal)
}

/**
 * Send a revoke or reactivate. After a failure that is a lost answer or a state conflict, read the
 * certificate: if it is already where the call wanted it, the call succeeded (a reactivate only
 * when its answer was lost or the certificate is still pending reactivation).
 */
async function changeState(
  client: CloudflareClient,
  scope: ZoneScope,
  id: string,
  change: keyof typeof STATE_CHANGES,
  signal?: AbortSignal,
): Promise<ClientCertificateSummary> {
  const { key, wanted, send } = STATE_CHANGES[change]
  try {
    return toClientCertificateSummary(await send(client, scope.zoneId, id, signal), scope.zoneId)
  } catch (error) {
    const settled = await settledState(client, scope, id, error, wanted, signal)
    if (settled && (change === 'revoke' || settled.status === 'pending_reactivation' || outcomeUnknown(error))) return settled
    const mapped = toAppError(error, ctx(scope, key, `client certificate ${id}`))
    if (change === 'reactivate' && mapped.code === 'cf_request_rejected' && settled === null) {
      const current = await getClientCertificate(client, scope, id, signal).catch(() => null)
      if (current && current.status !== 'pending_revocation') {
        throw new AppError(
          'cf_invalid_state',
          `Client certificate ${current.commonName || id} is ${current.status.replace('_', ' ')}: ` +
            'only a certificate pending revocation can be reactivated.',
          {
            hint:
              current.status === 'revoked'
                ? 'A revoked certificate cannot come back: create a new one from the same CSR.'
                : 'Nothing to do.',
            details: { ...mapped.details, status: current.status },
            cause: error,
          },
        )
      }
    }
    throw mapped
  }
}

/** The certificate's state after a failed change, when the failure may hide a success; null otherwise or when not as wanted. */
async function settledState(
  client: CloudflareClient,
  scope: ZoneScope,
  id: string,
  error: unknown,
  wanted: ReadonlySet<string>,
  signal?: AbortSignal,
): Promise<ClientCertificateSummary | null> {
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
export async function bulkRevoke(
  client: CloudflareClient,
  scope: ZoneScope,
  ids: readonly string[],
  options: BulkOptions = {},
): Promise<BulkRevokeResult> {
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
        failed.push(failure(id, error, ctx(scope, 'clientCerts.revoke', `client certificate ${id}`)))
        items.set(id, { id, commonName: '', outcome: 'failed' })
      }
    }
    options.onProgress?.({
      done: succeeded.length + failed.length,
      total: ids.length,
      message: `Revoked ${succeeded.length} of ${ids.length}`,
    })
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
      if (item.outcome === 'unknown') item.outcome = STATE_CHANGES.revoke.wanted.has(now.status) ? 'done' : 'not_sent'
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
  options: BulkOptions &
    Pick<CreateOptions, 'settleMs' | 'pollMs'> & {
      onIssued?: (key: string, result: ClientCertificateCreateResult) => void | Promise<void>
    } = {},
): Promise<BulkCreateResult> {
  const before = client.limiter.stats().retries
  const issued: BulkCreateResult['issued'] = []
  const failed: BulkFailure[] = []
  const { cancelled } = await pool(items, options.concurrency ?? 8, options.signal, async (item) => {
    try {
      const { signal, settleMs, pollMs } = options
      const result = await createClientCertificate(client, scope, item, { signal, settleMs, pollMs })
      issued.push({ key: item.key, certificate: result.certificate, recovered: result.recovered })
      await options.onIssued?.(item.key, result)
    } catch (error) {
      if (!isCancellation(error)) failed.push(failure(item.key, error, ctx(scope, 'clientCerts.createFromCsr')))
    }
    options.onProgress?.({
      done: issued.length + failed.length,
      total: items.length,
      message: `Issued ${issued.length} of ${items.length}`,
    })
  })
  return {
    issued,
    succeeded: issued.map((i) => i.key),
    failed,
    retries: client.limiter.stats().retries - before,
    cancelled: cancelled || (Boolean(options.signal?.aborted) && issued.length + failed.length < items.length),
  }
}

/** A client certificate's state changed (revoke, reactivate): known by id, named by the answer. */
const certificateState = {
  before: byId,
  detail: (_: unknown, at: ZoneScope) => ({ zone: zoneLabel(at) }),
  after: (r: ClientCertificateSummary) => ({ target: `${r.commonName} (${r.id})`, objectName: r.commonName, detail: { status: r.status } }),
}

/** The audit outcome of each certificate of a bulk revoke: revoked, failed (with why), never sent, or sent but unanswered. */
const BULK_OUTCOMES = { done: 'ok', failed: 'failed', not_sent: 'cancelled', unknown: 'unknown' } as const

/** The operations of `clientCerts:*` (what an operation declares: operation.ts). */
export const clientCertsOperations = {
  'clientCerts.list': {
    scope: 'zone',
    permission: read('list client certificates', SSL_READ),
    job: 'Loading client certificates',
    call: ({ client, at, request, signal, onProgress }) =>
      listClientCertificates(client, at, { status: request.status, signal, onProgress }),
  },
  'clientCerts.get': {
    scope: 'zone',
    permission: read('read a client certificate', SSL_READ),
    call: callById(getClientCertificate),
  },
  'clientCerts.createFromCsr': {
    scope: 'zone',
    permission: write('create a client certificate', SSL_WRITE),
    call: ({ client, at, request, signal, create }) =>
      createClientCertificate(client, at, { csrPem: request.csrPem, validityDays: request.validityDays }, { signal, ...create }),
    audit: {
      words: 'Issued client certificate',
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
    call: callById(revokeClientCertificate),
    audit: { words: 'Revoked client certificate', ...certificateState },
  },
  'clientCerts.reactivate': {
    scope: 'zone',
    permission: write('reactivate a client certificate', SSL_WRITE),
    call: callById(reactivateClientCertificate),
    audit: { words: 'Reactivated client certificate', ...certificateState },
  },
  /** One entry per certificate, as a revoke (the drawer reads history by certificate id): detail.outcome says what became of it. */
  'clientCerts.bulkRevoke': {
    scope: 'zone',
    permission: write('revoke client certificates', SSL_WRITE),
    job: (request) => `Revoking ${request.ids.length} certificates`,
    recordsItself: true,
    call: async ({ client, at, request, signal, onProgress, record }) => {
      const result = await bulkRevoke(client, at, request.ids, { signal, onProgress })
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
} as const satisfies OperationsOf<'clientCerts'>
