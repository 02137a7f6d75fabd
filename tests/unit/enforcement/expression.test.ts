import { describe, expect, it } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { evaluateExpression, parseExpression } from '../../../src/main/enforcement/expression'
import { type ClientAuthFields, type EdgeRequest, NO_CLIENT_CERTIFICATE } from '../../../src/main/enforcement/fields'

const VALID: ClientAuthFields = {
  cert_presented: true,
  cert_verified: true,
  cert_revoked: false,
  cert_fingerprint_sha256: 'AB'.repeat(32),
  cert_issuer_dn: 'CN=Managed CA,O=Example',
  cert_subject_dn: 'CN=laptop-42,O=Example',
  cert_serial: '0A1B',
  cert_ski: 'C0FFEE',
  cert_issuer_ski: 'FACADE',
  cert_not_before: '2026-01-01T00:00:00Z',
  cert_not_after: '2027-01-01T00:00:00Z',
}

function req(overrides: Partial<EdgeRequest> = {}, tls: Partial<ClientAuthFields> = {}): EdgeRequest {
  return { host: 'api.example.com', path: '/v1/items', method: 'GET', tls: { ...VALID, ...tls }, ...overrides }
}

function matches(expression: string, request: EdgeRequest = req()): boolean {
  const result = evaluateExpression(parseExpression(expression), request)
  if (!result.evaluated) throw new Error(`not evaluated: ${result.unsupported.join(', ')}`)
  return result.matches
}

function syntaxError(expression: string): AppError {
  try {
    parseExpression(expression)
  } catch (error) {
    if (error instanceof AppError) return error
    throw error
  }
  throw new Error(`"${expression}" parsed`)
}

describe('parseExpression: valid expressions', () => {
  it("parses Cloudflare's recommended mTLS rule and evaluates it on the four certificate states", () => {
    const rule = '(not cf.tls_client_auth.cert_verified or cf.tls_client_auth.cert_revoked) and http.host in {"api.example.com"}'
    expect(matches(rule, req({}, NO_CLIENT_CERTIFICATE))).toBe(true)
    expect(matches(rule, req({}, { cert_verified: false }))).toBe(true)
    expect(matches(rule, req({}, { cert_revoked: true }))).toBe(true)
    expect(matches(rule, req())).toBe(false)
    expect(matches(rule, req({ host: 'www.example.com' }, NO_CLIENT_CERTIFICATE))).toBe(false)
  })

  it('accepts C-like notation, extra whitespace and newlines', () => {
    const english = 'not cf.tls_client_auth.cert_verified and http.host eq "a.example.com" or http.request.method ne "GET"'
    const clike = '!cf.tls_client_auth.cert_verified &&\n  http.host == "a.example.com"  ||  http.request.method != "GET"'
    for (const request of [req(), req({ host: 'a.example.com' }, { cert_verified: false }), req({ method: 'POST' })]) {
      expect(matches(clike, request)).toBe(matches(english, request))
    }
    expect(matches(clike, req({ method: 'POST' }))).toBe(true)
  })

  it('reads quoted strings with escapes and raw strings', () => {
    expect(matches('http.request.uri.path eq "/a\\"b\\\\c"', req({ path: '/a"b\\c' }))).toBe(true)
    expect(matches('http.request.uri.path eq r"/a\\b"', req({ path: '/a\\b' }))).toBe(true)
    expect(matches('http.request.uri.path eq r#"/say "hi""#', req({ path: '/say "hi"' }))).toBe(true)
    expect(matches('http.request.uri.path eq r##"a"#b"##', req({ path: 'a"#b' }))).toBe(true)
  })
})

describe('parseExpression: syntax errors carry the position and a sentence', () => {
  it('points at a missing value', () => {
    const error = syntaxError('http.host eq')
    expect(error.code).toBe('expression_syntax')
    expect(error.details).toMatchObject({ line: 1, column: 13, offset: 12 })
    expect(error.message).toBe('Filter parsing error (1:13): expected value but found the end of the expression.')
  })

  it('counts lines and columns in a multi-line expression', () => {
    const error = syntaxError('http.host eq "a.example.com" and\n  (http.request.method eq "GET"')
    expect(error.details).toMatchObject({ line: 2, column: 32, offset: 64 })
    expect(error.message).toBe('Filter parsing error (2:32): expected one of and, xor, or, ")" but found the end of the expression.')
    expect(error.hint).toBe(`  (http.request.method eq "GET"\n${' '.repeat(31)}^`)
  })

  it('rejects upper-case English operators, an unclosed string, an empty set item and an empty expression', () => {
    expect(syntaxError('http.host EQ "a"').details).toMatchObject({ offset: 10 })
    const unclosed = syntaxError('http.host eq "a')
    expect(unclosed.details).toMatchObject({ offset: 13 })
    expect(unclosed.message).toBe('Filter parsing error (1:14): this string has no closing quote (").')
    expect(syntaxError('http.host in {"a" ,}').details).toMatchObject({ offset: 18 })
    expect(syntaxError('   ').message).toContain('empty')
    expect(syntaxError('http.host eq "a" and').details).toMatchObject({ offset: 20 })
  })

  it('parses nested parentheses in linear time, and refuses too deep a nesting or too long an expression clearly', () => {
    const nested = (n: number): string => `${'('.repeat(n)}http.host eq "a"${')'.repeat(n)}`
    const started = performance.now()
    expect(matches(nested(60), req({ host: 'a' }))).toBe(true)
    expect(syntaxError(nested(60).slice(0, -1)).details).toMatchObject({ offset: 135 })
    // Three alternatives re-parsing the operand made this 3^60 steps; one pass takes milliseconds.
    expect(performance.now() - started).toBeLessThan(2000)
    expect(syntaxError(nested(2000)).message).toBe('Filter parsing error (1:1): the expression is nested too deeply.')
    const long = `http.host in {${'"a.example.com" '.repeat(300)}}`
    expect(syntaxError(long).message).toBe('Filter parsing error (1:4097): the expression is longer than 4096 characters.')
  })

  it('rejects type errors in the evaluated subset, with the position of the culprit', () => {
    expect(syntaxError('http.host').message).toContain('not a condition')
    expect(syntaxError('http.host eq "a" and http.request.method').details).toMatchObject({ offset: 21 })
    expect(syntaxError('cf.tls_client_auth.cert_verified eq "true"').message).toContain('true/false field')
    expect(syntaxError('http.host in {"a" 443}').details).toMatchObject({ offset: 18 })
    expect(syntaxError('starts_with(http.host)').message).toContain('takes 2 arguments, not 1')
    expect(syntaxError('not lower(http.host)').message).toContain('what follows "not" must be a condition')
  })
})

describe('parseExpression: what the Sandbox does not evaluate is kept and marked, never guessed', () => {
  it('marks unknown fields, functions, operators, lists and indexes with their names', () => {
    const cases: Array<[string, string[]]> = [
      ['ip.src in {192.0.2.0/24 2001:db8::/32} and http.host eq "a"', ['field ip.src']],
      ['not cf.edge.server_port in {80 443 8000..8009}', ['field cf.edge.server_port']],
      ['any(http.request.headers.names[*] == "Content-Type")', ['function any()', 'field http.request.headers.names']],
      ['http.request.uri.path matches "^/api/v[12]/"', ['operator matches']],
      [
        'http.request.uri.path wildcard r"/a/*" or http.host strict wildcard "*.example.com"',
        ['operator wildcard', 'operator strict wildcard'],
      ],
      ['ip.src in $office_network', ['field ip.src', 'list $office_network']],
      ['cf.waf.score lt 20 and cf.tls_client_auth.cert_verified', ['field cf.waf.score', 'operator lt']],
      ['http.request.headers["x-device"][0] eq "1"', ['field http.request.headers']],
    ]
    for (const [expression, unsupported] of cases) {
      const parsed = parseExpression(expression)
      expect(parsed.unsupported, expression).toEqual(unsupported)
      expect(evaluateExpression(parsed, req()), expression).toEqual({ evaluated: false, unsupported })
    }
  })
})

describe('precedence: not > and > xor > or; comparisons bind tighter than not', () => {
  const A = 'http.host eq "a"'
  const B = 'http.request.method eq "B"'
  const C = 'http.request.uri.path eq "/c"'
  const all = [false, true].flatMap((a) => [false, true].flatMap((b) => [false, true].map((c) => [a, b, c] as const)))
  const request = (a: boolean, b: boolean, c: boolean): EdgeRequest =>
    req({ host: a ? 'a' : 'x', method: b ? 'B' : 'X', path: c ? '/c' : '/x' })

  it('a and b or c = (a and b) or c', () => {
    for (const [a, b, c] of all) expect(matches(`${A} and ${B} or ${C}`, request(a, b, c))).toBe((a && b) || c)
  })
  it('a or b and c = a or (b and c)', () => {
    for (const [a, b, c] of all) expect(matches(`${A} or ${B} and ${C}`, request(a, b, c))).toBe(a || (b && c))
  })
  it('a xor b and c = a xor (b and c); a or b xor c = a or (b xor c)', () => {
    for (const [a, b, c] of all) {
      expect(matches(`${A} xor ${B} and ${C}`, request(a, b, c))).toBe(a !== (b && c))
      expect(matches(`${A} or ${B} xor ${C}`, request(a, b, c))).toBe(a || b !== c)
      expect(matches(`${A} ^^ ${B} || ${C}`, request(a, b, c))).toBe(a !== b || c)
    }
  })
  it('not a and b = (not a) and b; not (a and b) differs; parentheses override', () => {
    for (const [a, b, c] of all) {
      expect(matches(`not ${A} and ${B}`, request(a, b, c))).toBe(!a && b)
      expect(matches(`not (${A} and ${B})`, request(a, b, c))).toBe(!(a && b))
      expect(matches(`${A} and (${B} or ${C})`, request(a, b, c))).toBe(a && (b || c))
      expect(matches(`not not ${A}`, request(a, b, c))).toBe(a)
    }
  })
  it('not binds to the whole comparison: not http.host in {…}', () => {
    expect(matches('not http.host in {"a" "b"}', req({ host: 'b' }))).toBe(false)
    expect(matches('not http.host in {"a" "b"}', req({ host: 'c' }))).toBe(true)
  })
})

describe('operators and functions', () => {
  it('eq / == and ne / != compare strings case-sensitively', () => {
    expect(matches('http.host eq "api.example.com"')).toBe(true)
    expect(matches('http.host == "API.example.com"')).toBe(false)
    expect(matches('http.host ne "api.example.com"')).toBe(false)
    expect(matches('http.host != "www.example.com"')).toBe(true)
  })
  it('in {…} tests membership of a set of strings', () => {
    expect(matches('http.request.method in {"GET" "HEAD"}')).toBe(true)
    expect(matches('http.request.method in {"POST" "PUT"}')).toBe(false)
    expect(matches('http.host in {}')).toBe(false)
  })
  it('contains finds a substring', () => {
    expect(matches('http.request.uri.path contains "/items"')).toBe(true)
    expect(matches('http.request.uri.path contains "/ITEMS"')).toBe(false)
    expect(matches('cf.tls_client_auth.cert_subject_dn contains "CN=laptop-42"')).toBe(true)
  })
  it('starts_with() and ends_with()', () => {
    expect(matches('starts_with(http.request.uri.path, "/v1/")')).toBe(true)
    expect(matches('starts_with(http.request.uri.path, "/v2/")')).toBe(false)
    expect(matches('ends_with(http.host, ".example.com")')).toBe(true)
    expect(matches('ends_with(http.host, ".example.net")')).toBe(false)
  })
  it('lower() folds a value before comparing', () => {
    const request = req({ path: '/Admin/Login' })
    expect(matches('lower(http.request.uri.path) eq "/admin/login"', request)).toBe(true)
    expect(matches('http.request.uri.path eq "/admin/login"', request)).toBe(false)
    expect(matches('starts_with(lower(http.request.uri.path), "/admin")', request)).toBe(true)
    expect(matches('lower(http.request.uri.path) contains "LOGIN"', request)).toBe(false)
  })
  it('reads every cf.tls_client_auth field', () => {
    expect(matches('cf.tls_client_auth.cert_presented and cf.tls_client_auth.cert_verified')).toBe(true)
    expect(matches('cf.tls_client_auth.cert_revoked', req({}, { cert_revoked: true }))).toBe(true)
    expect(matches(`cf.tls_client_auth.cert_fingerprint_sha256 eq "${'AB'.repeat(32)}"`)).toBe(true)
    expect(matches('cf.tls_client_auth.cert_issuer_dn eq "CN=Managed CA,O=Example"')).toBe(true)
    expect(matches('cf.tls_client_auth.cert_serial eq "0A1B"')).toBe(true)
    expect(matches('cf.tls_client_auth.cert_ski eq "C0FFEE" and cf.tls_client_auth.cert_issuer_ski eq "FACADE"')).toBe(true)
    expect(matches('cf.tls_client_auth.cert_not_before eq "2026-01-01T00:00:00Z"')).toBe(true)
    expect(matches('starts_with(cf.tls_client_auth.cert_not_after, "2027-")')).toBe(true)
    expect(matches('cf.tls_client_auth.cert_serial eq ""', req({}, NO_CLIENT_CERTIFICATE))).toBe(true)
  })
})
