/**
 * Who is this token? Verify it (user tokens at /user/tokens/verify; account-owned tokens get 401
 * there and verify at /accounts/{id}/tokens/verify), list the accounts and zones it sees, and find
 * which of the permissions Certdesk needs it lacks.
 *
 * Permissions are probed, not guessed: reads by a one-item read of the endpoint; writes by a create
 * with its required fields left out — Cloudflare checks the permission first (403) and then
 * rejects the body (400), so nothing is ever created. Zero Trust Write has no create with required
 * fields (an empty Gateway create would make a certificate), so it is reported as unknown.
 */
import { APIError } from 'cloudflare'
import type { AccountRef, ZoneRef } from '../../shared/model'
import type { PermissionCheck, TokenIdentity, TokenStatus } from '../../shared/cloudflare-model'
import { AppError } from '../../shared/errors'
import type { CloudflareClient } from './client'
import { guard, toAppError } from './errors'
import { WRITE_PERMISSION } from '../../shared/constants'

export interface TokenVerification {
  id: string
  status: TokenStatus
  owner: 'user' | 'account'
  expiresOn?: string
  notBefore?: string
  /** For an account-owned token: the account it verified against. */
  accountId?: string
}

export async function listAccounts(client: CloudflareClient, signal?: AbortSignal): Promise<AccountRef[]> {
  const out: AccountRef[] = []
  for (let page = 1; ; page++) {
    const result = await guard({ op: 'accounts.list' }, async () => client.sdk.accounts.list({ page, per_page: 50 }, { signal }))
    out.push(...result.result.map((a) => ({ id: a.id, name: a.name })))
    if (result.result.length < 50) return out
  }
}

export type ZoneWithAccount = ZoneRef & { accountId?: string }

export async function listZones(
  client: CloudflareClient,
  options: { accountId?: string | undefined; signal?: AbortSignal | undefined } = {},
): Promise<ZoneWithAccount[]> {
  const out: ZoneWithAccount[] = []
  for (let page = 1; ; page++) {
    const result = await guard({ op: 'zones.list' }, async () =>
      client.sdk.zones.list(
        { page, per_page: 50, ...(options.accountId ? { account: { id: options.accountId } } : {}) },
        { signal: options.signal },
      ),
    )
    out.push(...result.result.map((z) => ({ id: z.id, name: z.name, ...(z.account?.id ? { accountId: z.account.id } : {}) })))
    if (result.result.length < 50) return out
  }
}

function verification(
  r: { id: string; status: TokenStatus; expires_on?: string; not_before?: string },
  owner: 'user' | 'account',
  accountId?: string,
): TokenVerification {
  return {
    id: r.id,
    status: r.status,
    owner,
    ...(r.expires_on ? { expiresOn: r.expires_on } : {}),
    ...(r.not_before ? { notBefore: r.not_before } : {}),
    ...(accountId ? { accountId } : {}),
  }
}

/**
 * Verify the token. On 401 at the user endpoint, try each known account (and, failing those, the
 * accounts the token can list) at the account endpoint before calling the token invalid.
 */
export async function verifyToken(
  client: CloudflareClient,
  knownAccountIds: readonly string[] = [],
  signal?: AbortSignal,
): Promise<TokenVerification> {
  let userError: AppError
  try {
    const r = await client.sdk.user.tokens.verify({ signal })
    return verification(r, 'user')
  } catch (error) {
    userError = toAppError(error, { op: 'tokens.verify' })
    if (userError.code !== 'cf_token_invalid') throw userError
  }
  const tried = new Set<string>()
  const tryAccounts = async (ids: readonly string[]): Promise<TokenVerification | null> => {
    for (const accountId of ids) {
      if (tried.has(accountId)) continue
      tried.add(accountId)
      try {
        const r = await client.sdk.accounts.tokens.verify({ account_id: accountId }, { signal })
        return verification(r, 'account', accountId)
      } catch (error) {
        const mapped = toAppError(error, { op: 'tokens.verify', account: accountId })
        if (mapped.code === 'cancelled' || mapped.code === 'cf_network' || mapped.code === 'cf_timeout') throw mapped
      }
    }
    return null
  }
  const known = await tryAccounts(knownAccountIds)
  if (known) return known
  const listed = await listAccounts(client, signal).catch(() => [])
  const found = await tryAccounts(listed.map((a) => a.id))
  if (found) return found
  throw userError
}

interface Probe {
  permission: string
  purpose: string
  scope: 'zone' | 'account' | 'user'
  /** Path under the API base with {zone}/{account} placeholders. */
  method: 'get' | 'post'
  path: string
}

/** The permissions Certdesk uses, each with a request that reveals it without changing anything. */
export const PERMISSION_PROBES: readonly Probe[] = [
  { permission: 'Zone Read', purpose: 'list zones', scope: 'user', method: 'get', path: '/zones?per_page=5' },
  {
    permission: 'SSL and Certificates Read',
    purpose: 'list client certificates and hostname associations',
    scope: 'zone',
    method: 'get',
    path: '/zones/{zone}/client_certificates?per_page=5',
  },
  {
    permission: WRITE_PERMISSION.zoneCertificates,
    purpose: 'create, revoke and reactivate client certificates',
    scope: 'zone',
    method: 'post',
    path: '/zones/{zone}/client_certificates',
  },
  {
    permission: 'Access: Mutual TLS Certificates Read',
    purpose: 'list Access mTLS roots',
    scope: 'account',
    method: 'get',
    path: '/accounts/{account}/access/certificates?per_page=5',
  },
  {
    permission: WRITE_PERMISSION.accessRoots,
    purpose: 'add and delete Access mTLS roots',
    scope: 'account',
    method: 'post',
    path: '/accounts/{account}/access/certificates',
  },
  {
    permission: 'Account: SSL and Certificates Read',
    purpose: 'list uploaded CA certificates',
    scope: 'account',
    method: 'get',
    path: '/accounts/{account}/mtls_certificates',
  },
  {
    permission: WRITE_PERMISSION.accountCertificates,
    purpose: 'upload CA certificates (BYO CA, Gateway root)',
    scope: 'account',
    method: 'post',
    path: '/accounts/{account}/mtls_certificates',
  },
  {
    permission: 'Zero Trust Read',
    purpose: 'list Gateway certificates',
    scope: 'account',
    method: 'get',
    path: '/accounts/{account}/gateway/certificates',
  },
]

/** Zero Trust Write cannot be probed without side effects (see the file comment). */
const UNPROBED: PermissionCheck[] = [
  { permission: 'Zero Trust Write', purpose: 'activate Gateway certificates and use them for inspection', state: 'unknown' },
]

async function runProbe(
  client: CloudflareClient,
  probe: Probe,
  zone: ZoneRef | undefined,
  account: AccountRef | undefined,
  signal?: AbortSignal,
): Promise<PermissionCheck> {
  const base = { permission: probe.permission, purpose: probe.purpose }
  const on = probe.scope === 'zone' ? zone : probe.scope === 'account' ? account : undefined
  if (probe.scope !== 'user' && !on) return { ...base, state: 'unknown' }
  const path = probe.path.replace('{zone}', zone?.id ?? '').replace('{account}', account?.id ?? '')
  const [pathname, search] = path.split('?') as [string, string | undefined]
  const query = Object.fromEntries(new URLSearchParams(search ?? ''))
  try {
    if (probe.method === 'get') await client.sdk.get(pathname, { query, signal })
    else await client.sdk.post(pathname, { body: {}, signal, maxRetries: 0 })
    // A write probe that succeeded would mean the server accepted an empty body; it still proves the permission.
    return { ...base, state: 'granted', ...(on ? { probedOn: on.name } : {}) }
  } catch (error) {
    if (!(error instanceof APIError) || typeof error.status !== 'number')
      return { ...base, state: 'unknown', ...(on ? { probedOn: on.name } : {}) }
    const state =
      error.status === 403 ? 'missing' : probe.method === 'post' && (error.status === 400 || error.status === 422) ? 'granted' : 'unknown'
    return { ...base, state, ...(on ? { probedOn: on.name } : {}) }
  }
}

export async function probePermissions(
  client: CloudflareClient,
  zone: ZoneRef | undefined,
  account: AccountRef | undefined,
  signal?: AbortSignal,
): Promise<PermissionCheck[]> {
  const checks = await Promise.all(PERMISSION_PROBES.map((p) => runProbe(client, p, zone, account, signal)))
  return [...checks, ...UNPROBED]
}

/**
 * Cloudflare verifies an expired or disabled token (200, with that status) but refuses it
 * everywhere else: say so, with the date and where to fix it, rather than keep a dead token.
 */
export function assertTokenUsable(verified: TokenVerification): void {
  if (verified.status === 'active') return
  const fix = 'In the Cloudflare dashboard (My Profile → API Tokens), roll this token or create a new one, then paste it here.'
  if (verified.status === 'expired') {
    const when = verified.expiresOn ? ` on ${verified.expiresOn.slice(0, 10)}` : ''
    throw new AppError('cf_token_inactive', `This API token expired${when}; Cloudflare refuses it for every call.`, {
      hint: fix,
      details: { status: verified.status },
    })
  }
  throw new AppError('cf_token_inactive', `This API token is ${verified.status}; Cloudflare refuses it for every call.`, {
    hint: fix.replace('roll this token', 'enable this token'),
    details: { status: verified.status },
  })
}

/** The full report: status, accounts, zones, and which needed permissions are missing. */
export async function tokenIdentity(
  client: CloudflareClient,
  knownAccountIds: readonly string[] = [],
  signal?: AbortSignal,
): Promise<TokenIdentity> {
  const verified = await verifyToken(client, knownAccountIds, signal)
  assertTokenUsable(verified)
  const accounts = await listAccounts(client, signal).catch((error: unknown) => {
    if (toAppError(error, { op: 'accounts.list' }).code === 'cancelled') throw error
    return [] as AccountRef[]
  })
  let zones: ZoneWithAccount[] = []
  try {
    zones = await listZones(client, { signal })
  } catch (error) {
    const mapped = toAppError(error, { op: 'zones.list' })
    if (mapped.code !== 'cf_permission') throw mapped
  }
  const account = accounts.find((a) => a.id === verified.accountId) ?? accounts[0]
  const zone = zones.find((z) => !account || !z.accountId || z.accountId === account.id) ?? zones[0]
  const permissions = verified.status === 'active' ? await probePermissions(client, zone, account, signal) : []
  return {
    tokenId: verified.id,
    status: verified.status,
    owner: verified.owner,
    ...(verified.expiresOn ? { expiresOn: verified.expiresOn } : {}),
    ...(verified.notBefore ? { notBefore: verified.notBefore } : {}),
    accounts,
    zones,
    permissions,
    missing: permissions.filter((p) => p.state === 'missing').map((p) => p.permission),
  }
}
