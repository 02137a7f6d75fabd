/**
 * The token permission each Cloudflare operation needs (the API's `x-api-token-group`; Gateway
 * endpoints carry none and use Cloudflare's "Zero Trust" group, Cloudflare docs: API token
 * permissions). An operation declares its own in its row (in its surface module, e.g. account-mtls.ts:
 * `permission: write('delete an account mTLS certificate', ACCOUNT_SSL_WRITE)`); the steps without a
 * channel of their own are listed here. errors.ts uses it to turn a 403 into "This token lacks *X*
 * on zone Y".
 */

export type Scope = 'zone' | 'account' | 'user'

/** What an operation needs of the token, as its row declares it. */
export interface Permission {
  /** What the user was doing, completing "while trying to …". */
  label: string
  /** The permission to name when the token is refused (for reads, the Read variant: either works). */
  permission: string | null
  /** Every permission Cloudflare accepts for it (the API's x-api-token-group). */
  accepted: readonly string[]
  /** True when the request changes something (never repeated blindly, recorded in the activity log). */
  write: boolean
}

/** A permission with where it applies: the scope the token must hold it on. */
export interface Operation extends Permission {
  scope: Scope
}

export const SSL_READ = ['SSL and Certificates Write', 'SSL and Certificates Read'] as const
export const SSL_WRITE = ['SSL and Certificates Write'] as const
export const ACCESS_READ = ['Access: Mutual TLS Certificates Write', 'Access: Mutual TLS Certificates Read'] as const
export const ACCESS_WRITE = ['Access: Mutual TLS Certificates Write'] as const
export const ACCOUNT_SSL_READ = ['Account: SSL and Certificates Read', 'Account: SSL and Certificates Write'] as const
export const ACCOUNT_SSL_WRITE = ['Account: SSL and Certificates Write'] as const
export const ZT_READ = ['Zero Trust Write', 'Zero Trust Read'] as const
export const ZT_WRITE = ['Zero Trust Write'] as const
export const WAF_READ = ['Zone WAF Write', 'Zone WAF Read'] as const
export const WAF_WRITE = ['Zone WAF Write'] as const

/** A read: either accepted permission works, the Read one is named when refused. */
export function read(label: string, accepted: readonly string[]): Permission {
  return { label, permission: accepted.find((p) => p.endsWith('Read')) ?? accepted[0] ?? null, accepted, write: false }
}
/** A change: the first accepted permission is named when refused. */
export function write(label: string, accepted: readonly string[]): Permission {
  return { label, permission: accepted[0] ?? null, accepted, write: true }
}
const anyToken = (label: string): Permission => ({ label, permission: null, accepted: [], write: false })

/** Steps of other operations or of a profile's connection, with no channel (and no table row) of their own. */
export const STEP_OPERATIONS = {
  /** A delete reads the certificate first. */
  'access.get': { ...read('read an Access mTLS certificate', ACCESS_READ), scope: 'account' },
  /** Watch, use for inspection and delete read the certificate first. */
  'gateway.get': { ...read('read a Gateway certificate', ZT_READ), scope: 'account' },
  'tokens.verify': { ...anyToken('verify the API token'), scope: 'user' },
  'accounts.list': { ...anyToken('list accounts'), scope: 'user' },
  'zones.list': { ...read('list zones', ['Zone Read']), scope: 'user' },
} as const satisfies Record<string, Operation>

export type StepKey = keyof typeof STEP_OPERATIONS
