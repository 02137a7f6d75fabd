/**
 * The pieces every route shares: Cloudflare's envelope, API errors with their codes, the request
 * context (auth, permissions, lookups) and small input readers.
 */
import type { AddressInfo, Server } from 'node:net'
import { PkiInputError } from './ca'
import type { FaultController } from './faults'
import type { AccountRecord, Limits, Permission, SandboxState, TokenRecord, ZoneRecord } from './state'

/**
 * Error codes. Those documented by Cloudflare are used as documented; where Cloudflare's exact code
 * is not documented the Sandbox picks one in the same family and says so here.
 */
export const CODES = {
  invalidToken: 1000, // "Invalid API Token" (401)
  missingPermission: 10000, // "Authentication error" (403), Cloudflare's code; message names the permission
  noRoute: 7000, // "No route for that URI"
  methodNotAllowed: 7001, // "Method not allowed"
  unknownObject: 7003, // "Could not route to ..., perhaps your object identifier is invalid?"
  invalidRequest: 1001, // sandbox choice: malformed JSON, bad query or body fields
  notFound: 1002, // sandbox choice: the certificate/object id does not exist
  badCsr: 1100, // sandbox choice: CSR not PEM, undecodable or badly signed
  invalidState: 1406, // sandbox choice: reactivate when not pending_revocation, etc.
  clientCertQuota: 1445, // documented: per-zone client certificate quota
  certificateParse: 1410, // sandbox choice: "Unable to parse certificate"
  notCa: 1411, // sandbox choice: ca:true with a certificate that is not a CA
  inUse: 1412, // sandbox choice: delete refused while the certificate is in use
  hostnameNotInZone: 1413, // sandbox choice
  caQuota: 1489, // documented: "Hit maximum CA cert allocation"
  gatewayNoCertificate: 2211, // documented: TLS decryption on with no certificate
  gatewayCertState: 2212, // sandbox choice: certificate not in the binding state the action needs
  gatewayQuota: 2213, // sandbox choice: 3 new per day / 10 available at once
  accessHostnameNotInAccount: 12036, // documented: settings hostname not in the account's zones
  accessInUse: 12131, // sandbox choice: delete refused while associated_hostnames is not empty
  accessDuplicate: 12132, // sandbox choice: the same root is already uploaded here
  accessQuota: 12130, // documented: "maximum number of certificates has been reached"
  rateLimited: 1015, // Cloudflare's "You are being rate limited"
  serverError: 10002, // sandbox choice for injected 5xx
  tenantOnly: 1018, // sandbox choice: account creation is for tenant admins
  aopCertificateExpired: 1414, // sandbox choice: an expired AOP certificate upload
  aopKeyMismatch: 1415, // sandbox choice: AOP private key unreadable or not the certificate's
  aopHostnameCertQuota: 1416, // sandbox choice: 10 per-hostname AOP certificates per zone
  aopHostnamesPerCert: 1417, // sandbox choice: 100 hostnames per AOP certificate
  originCaHostname: 1010, // sandbox choice (as community reports show it): "Failed to validate requested hostname"
  originCaValidity: 1201, // sandbox choice: requested_validity not an allowed value
  originCaRequestType: 1202, // sandbox choice: request_type does not match the CSR key
  originCaPrivateKey: 1203, // sandbox choice: a private key sent to the Origin CA
} as const

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

export interface ResultInfo {
  page: number
  per_page: number
  count: number
  total_count: number
  total_pages?: number
}

export interface RouteResult {
  status?: number
  result: unknown
  resultInfo?: ResultInfo
}

export interface RouteContext {
  state: SandboxState
  params: Record<string, string>
  query: URLSearchParams
  body: unknown
  token: TokenRecord
  now: number
  timing: Required<SandboxTiming>
  limits: Limits
  faults: FaultController
}

export interface SandboxTiming {
  revocationMs?: number
  reactivationMs?: number
  gatewayDeployMs?: number
  /** Authenticated Origin Pulls certificates: pending_deployment -> active, and pending_deletion -> gone. */
  aopDeployMs?: number
}

export type RouteHandler = (ctx: RouteContext) => RouteResult | Promise<RouteResult>

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** Path under /client/v4 with `:name` parameters, e.g. `/zones/:zone_id/client_certificates`. */
  path: string
  handler: RouteHandler
}

export function envelope(result: RouteResult | null, errors: { code: number; message: string }[] = []): Record<string, unknown> {
  if (!result) return { success: false, errors, messages: [], result: null }
  return {
    success: true,
    errors: [],
    messages: [],
    result: result.result,
    ...(result.resultInfo ? { result_info: result.resultInfo } : {}),
  }
}

/** 403 naming the permission, so the app can tell the user exactly what to add to the token. */
export function requirePermission(ctx: RouteContext, ...anyOf: Permission[]): void {
  if (anyOf.some((p) => ctx.token.permissions.includes(p))) return
  throw new ApiError(403, CODES.missingPermission, `Authentication error: this API token lacks the "${anyOf[0]}" permission.`)
}

/** Reads are allowed by either the Read or the Write permission, as Cloudflare's token groups say. */
function requireRead(ctx: RouteContext, read: Permission, write: Permission): void {
  requirePermission(ctx, read, write)
}

/** A route's handler once its scope (account, zone…) was found and the token's permission checked. */
type ScopedHandler<S> = (ctx: RouteContext, scope: S) => RouteResult | Promise<RouteResult>
type ScopedRoute<S> = (method: Route['method'], path: string, handler: ScopedHandler<S>) => Route
export interface ScopedRoutes<S> {
  read: ScopedRoute<S>
  write: ScopedRoute<S>
}

/**
 * Routes of one family: each finds its scope from the path first (an unknown id is a 404 before any
 * permission check, as Cloudflare answers), then checks the Read-or-Write (`read`) or the Write
 * (`write`) permission.
 */
export function scopedRoutes<S>(
  findScope: (ctx: RouteContext) => S,
  permissions: { read: Permission; write: Permission },
): ScopedRoutes<S> {
  const make =
    (check: (ctx: RouteContext) => void): ScopedRoute<S> =>
    (method, path, handler) => ({
      method,
      path,
      handler: (ctx) => {
        const scope = findScope(ctx)
        check(ctx)
        return handler(ctx, scope)
      },
    })
  return {
    read: make((ctx) => requireRead(ctx, permissions.read, permissions.write)),
    write: make((ctx) => requirePermission(ctx, permissions.write)),
  }
}

export function findAccount(ctx: RouteContext, id: string | undefined): AccountRecord {
  const account = ctx.state.accounts.find((a) => a.id === id)
  if (!account)
    throw new ApiError(404, CODES.unknownObject, `Could not route to /accounts/${id ?? ''}, perhaps your object identifier is invalid?`)
  return account
}

function findZone(ctx: RouteContext, id: string | undefined): ZoneRecord {
  const zone = ctx.state.zones.find((z) => z.id === id)
  if (!zone)
    throw new ApiError(404, CODES.unknownObject, `Could not route to /zones/${id ?? ''}, perhaps your object identifier is invalid?`)
  return zone
}

/** The account named by the path's `:account_id`. */
export function accountFromPath(ctx: RouteContext): AccountRecord {
  return findAccount(ctx, ctx.params['account_id'])
}

/** The zone named by the path's `:zone_id`. */
export function zoneFromPath(ctx: RouteContext): ZoneRecord {
  return findZone(ctx, ctx.params['zone_id'])
}

export function invalid(message: string): ApiError {
  return new ApiError(400, CODES.invalidRequest, message)
}

export function notFound(what: string, id: string): ApiError {
  return new ApiError(404, CODES.notFound, `${what} ${id} not found.`)
}

/** The item `match` picks, or 404 "<what> <id> not found.". */
export function findOr404<T>(items: T[], what: string, id: string, match: (item: T) => boolean): T {
  const item = items.find(match)
  if (item === undefined) throw notFound(what, id)
  return item
}

/** `parse()` (sync or async), with a PkiInputError (an unreadable CSR, certificate or key) answered as a 400 with `code`. */
export function pkiInput<T>(code: number, parse: () => T): T {
  const as400 = (error: unknown): never => {
    if (error instanceof PkiInputError) throw new ApiError(400, code, error.message)
    throw error
  }
  try {
    const value = parse()
    return (value instanceof Promise ? value.catch(as400) : value) as T
  } catch (error) {
    return as400(error)
  }
}

/** The request body as an object; Cloudflare's endpoints that take no body accept `{}` or nothing. */
export function bodyObject(ctx: RouteContext): Record<string, unknown> {
  if (ctx.body === undefined || ctx.body === null) return {}
  if (typeof ctx.body !== 'object' || Array.isArray(ctx.body)) throw invalid('The request body must be a JSON object.')
  return ctx.body as Record<string, unknown>
}

export function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key]
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw invalid(`"${key}" must be a string.`)
  return value
}

export function requiredString(body: Record<string, unknown>, key: string): string {
  const value = optionalString(body, key)
  if (value === undefined || value === '') throw invalid(`"${key}" is required.`)
  return value
}

export function stringArray(body: Record<string, unknown>, key: string, required: boolean): string[] | undefined {
  const value = body[key]
  if (value === undefined && !required) return undefined
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw invalid(`"${key}" must be an array of strings.`)
  return value as string[]
}

/** A numeric query parameter within bounds (inclusive); absent gives the default. */
function queryInt(query: URLSearchParams, key: string, fallback: number, min: number, max: number): number {
  const text = query.get(key)
  if (text === null || text === '') return fallback
  const value = Number(text)
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalid(`Query parameter "${key}" must be a whole number from ${min} to ${max}, got "${text}".`)
  }
  return value
}

interface PageRequest {
  page: number
  perPage: number
}

/** `page` (from 1) and `per_page` (the endpoint's default and bounds) from the query. */
export function pageRequest(query: URLSearchParams, perPage: { fallback: number; min: number; max: number }): PageRequest {
  return {
    page: queryInt(query, 'page', 1, 1, Number.MAX_SAFE_INTEGER),
    perPage: queryInt(query, 'per_page', perPage.fallback, perPage.min, perPage.max),
  }
}

/** One page of `items`, each shown with `view`, and Cloudflare's result_info for it. */
export function pageResult<T>(items: T[], { page, perPage }: PageRequest, view: (item: T) => unknown): RouteResult {
  const start = (page - 1) * perPage
  const slice = items.slice(start, start + perPage)
  return {
    result: slice.map(view),
    resultInfo: {
      page,
      per_page: perPage,
      count: slice.length,
      total_count: items.length,
      total_pages: Math.max(1, Math.ceil(items.length / perPage)),
    },
  }
}

/**
 * A list these endpoints answer in one page: result_info counts it all. `perPage` is what they
 * report as the page size (the list's length unless said otherwise).
 */
export function wholeList(result: unknown[], perPage = result.length): RouteResult {
  return {
    result,
    resultInfo: { page: 1, per_page: perPage, count: result.length, total_count: result.length, total_pages: 1 },
  }
}

/**
 * `hostnames` lower-cased without repeats; any not in one of `zones` is refused with a 400 `code` naming them
 * ("Hostnames not in `where`: …").
 */
export function hostnamesInZones(hostnames: string[], zones: ZoneRecord[], code: number, where: string): string[] {
  const clean = [...new Set(hostnames.map((h) => h.toLowerCase()))]
  const outside = clean.filter((h) => !zones.some((z) => hostnameInZone(h, z.name)))
  if (outside.length) throw new ApiError(400, code, `Hostnames not in ${where}: ${outside.join(', ')}.`)
  return clean
}

/** The hostname list `body[key]` (absent: none), checked as hostnamesInZones does. */
export function bodyHostnames(body: Record<string, unknown>, key: string, zones: ZoneRecord[], code: number, where: string): string[] {
  return hostnamesInZones(stringArray(body, key, false) ?? [], zones, code, where)
}

/** Whether `hostname` is the zone apex or below it. */
export function hostnameInZone(hostname: string, zoneName: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '')
  return host === zoneName || host.endsWith(`.${zoneName}`)
}

/** Starts `server` on 127.0.0.1 (port 0: a free one) and resolves to the port it got; a failure to bind rejects. */
export async function listenOnLoopback(server: Server, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  return (server.address() as AddressInfo).port
}
