/**
 * Every Cloudflare operation Certdesk performs, by the same key as its channel and its activity
 * action (operation-table.ts), with the token permission it needs (the API's `x-api-token-group`;
 * Gateway endpoints carry none and use Cloudflare's "Zero Trust" group, Cloudflare docs: API token
 * permissions). errors.ts uses this to turn a 403 into "This token lacks *X* on zone Y", and
 * tokens.ts to probe which permissions a token has. A few keys are steps of other operations.
 */

export type Scope = 'zone' | 'account' | 'user'

export interface Operation {
  /** What the user was doing, completing "while trying to …". */
  label: string
  scope: Scope
  /** The permission to name when the token is refused (for reads, the Read variant: either works). */
  permission: string | null
  /** Every permission Cloudflare accepts for it (the API's x-api-token-group). */
  accepted: readonly string[]
  /** True when the request changes something (never repeated blindly, recorded in the activity log). */
  write: boolean
}

const SSL_READ = ['SSL and Certificates Write', 'SSL and Certificates Read'] as const
const SSL_WRITE = ['SSL and Certificates Write'] as const
const ACCESS_READ = ['Access: Mutual TLS Certificates Write', 'Access: Mutual TLS Certificates Read'] as const
const ACCESS_WRITE = ['Access: Mutual TLS Certificates Write'] as const
const ACCOUNT_SSL_READ = ['Account: SSL and Certificates Read', 'Account: SSL and Certificates Write'] as const
const ACCOUNT_SSL_WRITE = ['Account: SSL and Certificates Write'] as const
const ZT_READ = ['Zero Trust Write', 'Zero Trust Read'] as const
const ZT_WRITE = ['Zero Trust Write'] as const
const WAF_READ = ['Zone WAF Write', 'Zone WAF Read'] as const
const WAF_WRITE = ['Zone WAF Write'] as const

function read(label: string, scope: Scope, accepted: readonly string[]): Operation {
  return { label, scope, permission: accepted.find((p) => p.endsWith('Read')) ?? accepted[0] ?? null, accepted, write: false }
}
function write(label: string, scope: Scope, accepted: readonly string[]): Operation {
  return { label, scope, permission: accepted[0] ?? null, accepted, write: true }
}

export const OPERATIONS = {
  'clientCerts.list': read('list client certificates', 'zone', SSL_READ),
  'clientCerts.get': read('read a client certificate', 'zone', SSL_READ),
  'clientCerts.createFromCsr': write('create a client certificate', 'zone', SSL_WRITE),
  'clientCerts.revoke': write('revoke a client certificate', 'zone', SSL_WRITE),
  'clientCerts.reactivate': write('reactivate a client certificate', 'zone', SSL_WRITE),
  'clientCerts.bulkRevoke': write('revoke client certificates', 'zone', SSL_WRITE),
  'hostnames.get': read('read hostname associations', 'zone', SSL_READ),
  'hostnames.plan': read('plan a change of hostname associations', 'zone', SSL_READ),
  'hostnames.replace': write('replace hostname associations', 'zone', SSL_WRITE),
  'access.list': read('list Access mTLS certificates', 'account', ACCESS_READ),
  /** A step of other operations (a delete reads the certificate first); no channel of its own. */
  'access.get': read('read an Access mTLS certificate', 'account', ACCESS_READ),
  'access.add': write('add an Access mTLS certificate', 'account', ACCESS_WRITE),
  'access.updateHostnames': write('update an Access mTLS certificate', 'account', ACCESS_WRITE),
  'access.delete': write('delete an Access mTLS certificate', 'account', ACCESS_WRITE),
  'access.settings': read('read Access mTLS hostname settings', 'account', ACCESS_READ),
  'access.updateSettings': write('update Access mTLS hostname settings', 'account', ACCESS_WRITE),
  'mtls.list': read('list account mTLS certificates', 'account', ACCOUNT_SSL_READ),
  'mtls.upload': write('upload a CA certificate', 'account', ACCOUNT_SSL_WRITE),
  'mtls.associations': read('list where a CA certificate is used', 'account', ACCOUNT_SSL_READ),
  'mtls.delete': write('delete an account mTLS certificate', 'account', ACCOUNT_SSL_WRITE),
  'gateway.list': read('list Gateway certificates', 'account', ZT_READ),
  /** A step of other operations (watch, use for inspection, delete); no channel of its own. */
  'gateway.get': read('read a Gateway certificate', 'account', ZT_READ),
  'gateway.create': write('create a Gateway certificate', 'account', ZT_WRITE),
  'gateway.activate': write('activate a Gateway certificate', 'account', ZT_WRITE),
  'gateway.watch': read('watch a Gateway certificate deploy', 'account', ZT_READ),
  'gateway.useForInspection': write('change the Gateway inspection certificate', 'account', ZT_WRITE),
  'gateway.inspectionCertificate': read('read the Gateway configuration', 'account', ZT_READ),
  'gateway.deactivate': write('deactivate a Gateway certificate', 'account', ZT_WRITE),
  'gateway.delete': write('delete a Gateway certificate', 'account', ZT_WRITE),
  'gateway.uploadRoot': write('upload a Gateway root', 'account', ACCOUNT_SSL_WRITE),
  'tokens.verify': { label: 'verify the API token', scope: 'user', permission: null, accepted: [], write: false },
  'accounts.list': { label: 'list accounts', scope: 'user', permission: null, accepted: [], write: false },
  'zones.list': read('list zones', 'user', ['Zone Read']),
  'rules.get': read('read the custom rules', 'zone', WAF_READ),
  'rules.doctor': read('check mTLS enforcement', 'zone', WAF_READ),
  'rules.planEnforce': read('plan an mTLS rule', 'zone', WAF_READ),
  'rules.enforce': write('change the custom rules', 'zone', WAF_WRITE),
} as const satisfies Record<string, Operation>

export type OperationKey = keyof typeof OPERATIONS

export function operation(key: OperationKey): Operation {
  return OPERATIONS[key]
}
