// The rule Certdesk recommends for mTLS (Cloudflare docs: "Configure mTLS"), and adding the revocation clause to an
// existing rule. `cf.tls_client_auth.cert_verified` is true for a revoked certificate too, so the rule must also
// block `cf.tls_client_auth.cert_revoked` for a revocation to take effect.
import { AppError } from '../../shared/errors'
import { CLIENT_AUTH_PREFIX } from './fields'
import { type Expr, parseExpression, quoteString, ungroup, walkExpression } from './expression'

const VERIFIED = `${CLIENT_AUTH_PREFIX}cert_verified`
const REVOKED = `${CLIENT_AUTH_PREFIX}cert_revoked`
/** Blocks a request with no certificate, an unverified one, or a revoked one. */
export const CERTIFICATE_CLAUSE = `(not ${VERIFIED} or ${REVOKED})`

/** `(not cert_verified or cert_revoked) and http.host in {…}`, optionally limited to paths starting with `paths`. */
export function recommendedExpression(hostnames: readonly string[], paths: readonly string[] = []): string {
  const hosts = [...new Set(hostnames.map((h) => h.trim().toLowerCase()))]
  if (hosts.length === 0 || hosts.some((h) => h === '')) {
    throw new AppError('bad_input', 'Name at least one hostname for the rule to protect.', { hint: 'For example: api.example.com' })
  }
  const wildcard = hosts.find((h) => h.includes('*'))
  if (wildcard !== undefined) {
    throw new AppError('bad_input', `"${wildcard}" is a wildcard: http.host in {…} compares whole hostnames, it would match nothing.`, {
      hint: 'Name each hostname the rule protects, e.g. api.example.com.',
    })
  }
  const badHost = hosts.find((h) => !/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(h))
  if (badHost !== undefined) throw new AppError('bad_input', `"${badHost}" is not a hostname.`, { hint: 'For example: api.example.com' })
  const badPath = paths.find((p) => !p.startsWith('/'))
  if (badPath !== undefined) throw new AppError('bad_input', `The path "${badPath}" must start with "/".`, { hint: 'For example: /api/' })
  let expression = `${CERTIFICATE_CLAUSE} and http.host in {${hosts.map(quoteString).join(' ')}}`
  if (paths.length > 0) {
    const clauses = [...new Set(paths)].map((p) => `starts_with(http.request.uri.path, ${quoteString(p)})`)
    expression += clauses.length === 1 ? ` and ${clauses[0]}` : ` and (${clauses.join(' or ')})`
  }
  return expression
}

function isField(node: Expr, name: string): boolean {
  const bare = ungroup(node)
  return bare.type === 'field' && bare.name === name && !bare.index
}

/**
 * Adds the revocation clause to an existing expression: every `not cf.tls_client_auth.cert_verified` becomes
 * `(not cf.tls_client_auth.cert_verified or cf.tls_client_auth.cert_revoked)`; the rest of the text is kept byte for
 * byte. An expression that already checks `cert_revoked` next to it is returned unchanged.
 */
export function addRevocationClause(expression: string): string {
  const parsed = parseExpression(expression)
  const targets: Expr[] = []
  let alreadyThere = false
  walkExpression(parsed.ast, (node, parent) => {
    if (node.type !== 'not' || !isField(node.operand, VERIFIED)) return
    if (parent?.type === 'or' && (isField(parent.left, REVOKED) || isField(parent.right, REVOKED))) alreadyThere = true
    else targets.push(node)
  })
  if (targets.length === 0) {
    if (alreadyThere) return expression
    throw new AppError('bad_input', `This rule does not test "not ${VERIFIED}", so Certdesk cannot tell where revocation belongs.`, {
      hint: 'Replace it with the recommended rule (Enforce) instead.',
    })
  }
  let result = ''
  let from = 0
  for (const node of targets.sort((a, b) => a.at[0] - b.at[0])) {
    result += `${expression.slice(from, node.at[0])}(${expression.slice(node.at[0], node.at[1])} or ${REVOKED})`
    from = node.at[1]
  }
  return result + expression.slice(from)
}
