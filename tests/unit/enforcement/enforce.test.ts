import { describe, expect, it } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { addRevocationClause, recommendedExpression } from '../../../src/main/enforcement/enforce'
import { evaluateExpression, parseExpression } from '../../../src/main/enforcement/expression'
import { type CertificateState, representativeTls } from '../../../src/main/enforcement/doctor'

const STATES: CertificateState[] = ['none', 'unverified', 'revoked', 'verified']

function blocks(expression: string, host: string, state: CertificateState, path = '/'): boolean {
  const result = evaluateExpression(parseExpression(expression), { host, path, method: 'GET', tls: representativeTls(state) })
  if (!result.evaluated) throw new Error('not evaluated')
  return result.matches
}

describe('recommendedExpression', () => {
  it("writes Cloudflare's documented rule with the revocation clause", () => {
    expect(recommendedExpression(['api.example.com', 'Admin.Example.com', 'api.example.com'])).toBe(
      '(not cf.tls_client_auth.cert_verified or cf.tls_client_auth.cert_revoked) and http.host in {"api.example.com" "admin.example.com"}',
    )
  })

  it('re-parses and blocks missing, unverified and revoked certificates on its hosts only', () => {
    const expression = recommendedExpression(['api.example.com'])
    expect(STATES.map((s) => blocks(expression, 'api.example.com', s))).toEqual([true, true, true, false])
    expect(STATES.map((s) => blocks(expression, 'www.example.com', s))).toEqual([false, false, false, false])
  })

  it('limits the rule to path prefixes when asked', () => {
    const one = recommendedExpression(['api.example.com'], ['/admin/'])
    expect(one).toMatch(/ and starts_with\(http\.request\.uri\.path, "\/admin\/"\)$/)
    const two = recommendedExpression(['api.example.com'], ['/admin/', '/billing'])
    for (const [path, expected] of [
      ['/admin/users', true],
      ['/billing/x', true],
      ['/public', false],
    ] as const) {
      expect(blocks(two, 'api.example.com', 'none', path), path).toBe(expected)
      expect(blocks(two, 'api.example.com', 'verified', path), path).toBe(false)
    }
  })

  it('refuses no hostname, a non-hostname and a relative path with a clear error', () => {
    expect(() => recommendedExpression([])).toThrow('Name at least one hostname for the rule to protect.')
    expect(() => recommendedExpression(['api.example.com" or "x'])).toThrow(AppError)
    expect(() => recommendedExpression(['api.example.com'], ['admin'])).toThrow('The path "admin" must start with "/".')
    expect(() => recommendedExpression(['*.example.com'])).toThrow('"*.example.com" is a wildcard')
  })
})

describe('addRevocationClause', () => {
  it('adds the clause next to "not cert_verified" and keeps the rest byte for byte', () => {
    const before = 'not cf.tls_client_auth.cert_verified  and   http.host in {"a.example.com"}'
    const after = addRevocationClause(before)
    expect(after).toBe('(not cf.tls_client_auth.cert_verified or cf.tls_client_auth.cert_revoked)  and   http.host in {"a.example.com"}')
    expect(STATES.map((s) => blocks(before, 'a.example.com', s))).toEqual([true, true, false, false])
    expect(STATES.map((s) => blocks(after, 'a.example.com', s))).toEqual([true, true, true, false])
    expect(STATES.map((s) => blocks(after, 'b.example.com', s))).toEqual([false, false, false, false])
  })

  it('handles C-like notation, several occurrences, and leaves a rule that already has it unchanged', () => {
    const clike = '(http.host eq "a" && !cf.tls_client_auth.cert_verified) || (http.host eq "b" && !cf.tls_client_auth.cert_verified)'
    const after = addRevocationClause(clike)
    expect(after.match(/cf\.tls_client_auth\.cert_revoked/g)).toHaveLength(2)
    expect(STATES.map((s) => blocks(after, 'b', s))).toEqual([true, true, true, false])
    const already = recommendedExpression(['a.example.com'])
    expect(addRevocationClause(already)).toBe(already)
  })

  it('refuses an expression without a "not cert_verified" test, and a syntax error, with clear errors', () => {
    expect(() => addRevocationClause('http.host eq "a"')).toThrow('This rule does not test "not cf.tls_client_auth.cert_verified"')
    expect(() => addRevocationClause('http.host eq')).toThrow('Filter parsing error (1:13)')
  })
})
