/**
 * Cloudflare failures -> AppError with a message a person can act on and a hint saying what to do.
 * Branches on the HTTP status first (as Cloudflare advises), then on the documented error codes
 * (1445, 1489, 2211, 12036, 12130) and, where Cloudflare documents no code, on the operation
 * and the message (CSR rejected, delete refused while in use).
 *
 * Cloudflare's own messages are shown (they name the field at fault) but passed through redact():
 * an error message must never carry a token or key, whatever the server echoes.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'cloudflare'
import { AppError } from '../../shared/errors'
import { CLOUDFLARE_CLIENT_KEYS_SENTENCE } from '../../shared/constants'
import { redact } from '../log'
import { AttemptTimeoutError } from './rate-limit'
import type { Operation, Scope } from './operations'
import { operation, type OperationKey } from './operation-table'

export interface ErrorContext {
  op: OperationKey
  /** Access endpoints exist per account and per zone: which one was called. */
  scope?: Scope | undefined
  /** Where it ran, for messages: the zone or account name (or id when the name is unknown). */
  zone?: string
  account?: string
  /** The object acted on, e.g. `client certificate 3bb9…`. */
  target?: string
}

/** Cloudflare error codes Certdesk explains specifically. */
export const CF_CODES = {
  clientCertQuota: 1445,
  caAllocation: 1489,
  tlsDecryptNoCertificate: 2211,
  accessHostnameNotInAccount: 12036,
  accessQuota: 12130,
} as const

interface CfErrorItem {
  code: number | null
  message: string
}

function errorItems(error: APIError): CfErrorItem[] {
  const items: CfErrorItem[] = []
  const list = Array.isArray(error.errors) ? error.errors : []
  for (const item of list as unknown[]) {
    if (typeof item !== 'object' || item === null) continue
    const code = (item as { code?: unknown }).code
    const message = (item as { message?: unknown }).message
    items.push({ code: typeof code === 'number' ? code : null, message: typeof message === 'string' ? redact(message) : '' })
  }
  return items
}

function resolveOp(ctx: ErrorContext): Operation {
  const op = operation(ctx.op)
  return ctx.scope ? { ...op, scope: ctx.scope } : op
}

function where(ctx: ErrorContext, op: Operation): string {
  if (op.scope === 'zone' && ctx.zone) return ` on zone ${ctx.zone}`
  if (op.scope === 'account' && ctx.account) return ` on account ${ctx.account}`
  if (ctx.zone) return ` on zone ${ctx.zone}`
  if (ctx.account) return ` on account ${ctx.account}`
  return ''
}

function summary(items: CfErrorItem[]): string {
  return items
    .filter((i) => i.message)
    .map((i) => (i.code === null ? i.message : `${i.message} (code ${i.code})`))
    .join('; ')
}

function causeText(error: unknown): string {
  let cause: unknown = error
  for (let depth = 0; depth < 4 && cause; depth++) {
    const code = (cause as { code?: unknown }).code
    if (typeof code === 'string' && /^E[A-Z]+/.test(code)) return code
    cause = (cause as { cause?: unknown }).cause
  }
  return ''
}

/** True when the error leaves it unknown whether the server acted (lost answer, dropped connection, 5xx). */
export function outcomeUnknown(error: unknown): boolean {
  if (error instanceof APIUserAbortError) return false
  if (error instanceof APIConnectionError || error instanceof AttemptTimeoutError) return true
  if (error instanceof APIError && typeof error.status === 'number' && error.status >= 500) return true
  if (error instanceof AppError) return error.details?.['outcomeUnknown'] === true
  return false
}

export function isCancellation(error: unknown): boolean {
  if (error instanceof APIUserAbortError) return true
  if (error instanceof AppError) return error.code === 'cancelled'
  return error instanceof Error && error.name === 'AbortError'
}

/** Map anything thrown by the SDK or our fetch wrapper to an AppError. AppErrors pass through. */
export function toAppError(error: unknown, ctx: ErrorContext): AppError {
  if (error instanceof AppError) return error
  const op = resolveOp(ctx)
  const on = where(ctx, op)
  const what = ctx.target ? `${op.label} (${ctx.target})` : op.label

  if (isCancellation(error)) {
    return new AppError('cancelled', `Cancelled while trying to ${what}.`, { cause: error })
  }
  if (error instanceof APIConnectionTimeoutError || error instanceof AttemptTimeoutError) {
    return new AppError('cf_timeout', `Cloudflare did not answer in time while trying to ${what}${on}.`, {
      hint: op.write
        ? 'The change may or may not have been made. Refresh the list to see its state before trying again.'
        : 'Check your connection and try again; a slow proxy or VPN can cause this.',
      details: { outcomeUnknown: op.write },
      cause: error,
    })
  }
  if (error instanceof APIConnectionError) {
    const code = causeText(error)
    return new AppError('cf_network', `Could not reach Cloudflare while trying to ${what}${code ? ` (${code})` : ''}.`, {
      hint:
        'Check the network connection, proxy and firewall. ' +
        'Behind TLS inspection, the inspecting root must be trusted by this computer.',
      details: { outcomeUnknown: op.write, ...(code ? { cause: code } : {}) },
      cause: error,
    })
  }
  if (!(error instanceof APIError) || typeof error.status !== 'number') {
    const message = error instanceof Error ? redact(error.message) : String(error)
    return new AppError('internal', `Unexpected failure while trying to ${what}: ${message}`, { cause: error })
  }

  const status = error.status
  const items = errorItems(error)
  const codes = items.map((i) => i.code).filter((c): c is number => c !== null)
  const has = (code: number) => codes.includes(code)
  const theirs = summary(items)
  const ray = error.headers?.get('cf-ray') ?? undefined
  const details: Record<string, unknown> = { status, codes, ...(ray ? { cfRay: ray } : {}) }
  const make = (code: string, message: string, hint: string) => new AppError(code, message, { hint, details, cause: error })

  // Documented codes first: they are precise whatever the status.
  if (has(CF_CODES.clientCertQuota)) {
    return make(
      'cf_quota',
      `This zone has reached its quota of client certificates${ctx.zone ? ` (${ctx.zone})` : ''}.`,
      'Revoke certificates that are no longer used: revoking frees a slot. Or ask Cloudflare to raise the quota.',
    )
  }
  if (has(CF_CODES.caAllocation)) {
    return make(
      'cf_ca_quota',
      `The account has used all of its CA certificate slots${ctx.account ? ` (${ctx.account})` : ''}: ` +
        '5 per Enterprise account, shared by API Shield BYO CA, Workers mTLS and Gateway.',
      'Delete an unused CA under Account mTLS certificates, or contact your Cloudflare account team for more.',
    )
  }
  if (has(CF_CODES.accessQuota)) {
    return make(
      'cf_quota',
      `The maximum number of Access mTLS certificates has been reached${on}.`,
      'Delete an Access mTLS root that is no longer used, or contact your Cloudflare account team.',
    )
  }
  if (has(CF_CODES.accessHostnameNotInAccount)) {
    return make(
      'cf_hostname_not_in_account',
      `A hostname is not in any zone of this account: ${theirs}`,
      'Use hostnames of zones in this Cloudflare account (check for typos and for the right account).',
    )
  }
  if (has(CF_CODES.tlsDecryptNoCertificate)) {
    return make(
      'cf_no_inspection_certificate',
      'TLS decryption cannot be turned on without a certificate available for inspection.',
      'Activate a Gateway certificate and wait until it is available, then turn it on for inspection.',
    )
  }

  if (status === 401) {
    return make(
      'cf_token_invalid',
      'Cloudflare rejected the API token: it is revoked, expired or unknown.',
      'Create a new API token in the Cloudflare dashboard (My Profile → API Tokens) and update the profile with it.',
    )
  }
  if (status === 403) {
    if (op.permission) {
      const scopeName = op.scope === 'zone' ? ctx.zone : op.scope === 'account' ? ctx.account : undefined
      const on2 = scopeName ? ` on ${op.scope} ${scopeName}` : ''
      const alt = op.accepted.length > 1 && !op.write ? ` (or ${op.accepted.filter((p) => p !== op.permission).join(', ')})` : ''
      return make(
        'cf_permission',
        `This token lacks *${op.permission}*${on2}.`,
        `Edit the token in the Cloudflare dashboard (My Profile → API Tokens) and add "${op.permission}"${alt}` +
          `${scopeName ? ` for ${scopeName}` : ''}, or use a token that has it.`,
      )
    }
    return make(
      'cf_permission',
      `This token is not allowed to ${op.label}${on}${theirs ? `: ${theirs}` : ''}.`,
      'Check the token’s permissions and resources in the Cloudflare dashboard (My Profile → API Tokens).',
    )
  }
  if (status === 429) {
    return make(
      'cf_rate_limited',
      `Cloudflare kept rate-limiting this token while trying to ${what}.`,
      'The API allows 1200 requests per 5 minutes per token. ' +
        'Wait a few minutes, and avoid running other tools on the same token meanwhile.',
    )
  }
  if (status >= 500) {
    return new AppError('cf_server_error', `Cloudflare answered ${status} (a server error) while trying to ${what}${on}.`, {
      hint: op.write
        ? 'The change may or may not have been made: refresh to check, then try again. See https://www.cloudflarestatus.com.'
        : 'Try again in a minute. See https://www.cloudflarestatus.com.',
      details: { ...details, outcomeUnknown: op.write },
      cause: error,
    })
  }

  const key = ctx.op
  if (key === 'clientCerts.createFromCsr' && status === 400 && /csr|certificate request|signing request|pem|key|signature/i.test(theirs)) {
    const hint = `Use a PEM "CERTIFICATE REQUEST" with a valid self-signature and a supported key: ${CLOUDFLARE_CLIENT_KEYS_SENTENCE}`
    const message = `Cloudflare rejected the CSR: ${theirs || 'no reason given'}.`
    return make('cf_csr_rejected', message, `${hint} Certdesk can make one for you in the create dialog.`)
  }
  if (
    (key === 'mtls.delete' || key === 'access.delete' || key === 'gateway.delete') &&
    status >= 400 &&
    status < 500 &&
    /in use|associat|hostname|active|inactive|deactivat|binding/i.test(theirs)
  ) {
    const hint =
      key === 'access.delete'
        ? 'Remove its associated hostnames first (Certdesk does this for you when you delete from the app).'
        : key === 'gateway.delete'
          ? 'Deactivate the certificate and wait until it is inactive, then delete it.'
          : 'Remove it from the services that use it (see its associations), then delete it.'
    return make('cf_in_use', `Cloudflare refused to delete it because it is still in use: ${theirs}.`, hint)
  }
  if (status === 404) {
    const unknownObject = has(7003) || has(7000)
    return make(
      'not_found',
      unknownObject
        ? `Cloudflare does not know this ${op.scope === 'user' ? 'resource' : op.scope}: ${theirs}`
        : `${ctx.target ? ctx.target.charAt(0).toUpperCase() + ctx.target.slice(1) : 'It'} was not found${on}.`,
      unknownObject
        ? `Check that the token can see this ${op.scope}, and that the id is right.`
        : 'It may have been deleted elsewhere. Refresh the list.',
    )
  }
  return make(
    'cf_request_rejected',
    `Cloudflare refused to ${what}${on}: ${theirs || `HTTP ${status}`}.`,
    'Check the values entered; Cloudflare’s message says which one it did not accept.',
  )
}

/** Run one SDK call and map whatever it throws. */
export async function guard<T>(ctx: ErrorContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    throw toAppError(error, ctx)
  }
}

/** The shape of most surface calls: one SDK call under its error context, its answer mapped into Certdesk's model. */
export async function guarded<R, T>(ctx: ErrorContext, fn: () => Promise<R>, map: (raw: R) => T): Promise<T> {
  return map(await guard(ctx, fn))
}

/** The error context of a call on one zone (client certificates, rules, the origin leg): the zone by name, else by id. */
export function zoneContext(scope: { zoneId: string; zoneName?: string | undefined }, op: OperationKey, target?: string): ErrorContext {
  return { op, zone: scope.zoneName ?? scope.zoneId, ...(target ? { target } : {}) }
}

/** The error context of a call in one account (account mTLS, Gateway): the account by name, else by id. */
export function accountContext(
  scope: { accountId: string; accountName?: string | undefined },
  op: OperationKey,
  target?: string,
): ErrorContext {
  return { op, account: scope.accountName ?? scope.accountId, ...(target ? { target } : {}) }
}
