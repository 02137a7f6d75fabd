import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'cloudflare'
import { describe, expect, test } from 'vitest'
import { outcomeUnknown, toAppError, type ErrorContext } from '../../../src/main/cloudflare/errors'
import { operationTable } from '../../../src/main/cloudflare/operation-table'
import { STEP_OPERATIONS } from '../../../src/main/cloudflare/operations'
import { AttemptTimeoutError } from '../../../src/main/cloudflare/rate-limit'
import { AppError } from '../../../src/shared/errors'

function apiError(status: number, errors: Array<{ code: number; message: string }>, headers: Record<string, string> = {}): APIError {
  return APIError.generate(status, { success: false, errors, messages: [], result: null }, undefined, new Headers(headers))
}

function map(error: unknown, ctx: ErrorContext): AppError {
  const mapped = toAppError(error, ctx)
  expect(mapped).toBeInstanceOf(AppError)
  expect(mapped.message.length).toBeGreaterThan(10)
  return mapped
}

describe('toAppError', () => {
  test('401: revoked or unknown token', () => {
    const e = map(apiError(401, [{ code: 1000, message: 'Invalid API Token' }]), { op: 'clientCerts.list', zone: 'example.com' })
    expect(e.code).toBe('cf_token_invalid')
    expect(e.message).toMatch(/revoked, expired or unknown/)
    expect(e.hint).toMatch(/API Tokens/)
  })

  test('403 names the missing permission from the operation and the zone', () => {
    const err = apiError(403, [{ code: 10000, message: 'Authentication error' }], { 'cf-ray': 'abc123' })
    const write = map(err, { op: 'clientCerts.createFromCsr', zone: 'example.com' })
    expect(write.code).toBe('cf_permission')
    expect(write.message).toBe('This token lacks *SSL and Certificates Write* on zone example.com.')
    expect(write.hint).toContain('"SSL and Certificates Write"')
    expect(write.details).toMatchObject({ status: 403, codes: [10000], cfRay: 'abc123' })
    const read = map(err, { op: 'clientCerts.list', zone: 'example.com' })
    expect(read.message).toBe('This token lacks *SSL and Certificates Read* on zone example.com.')
    expect(read.hint).toMatch(/or SSL and Certificates Write/)
    expect(map(err, { op: 'access.add', scope: 'zone', zone: 'example.net' }).message).toBe(
      'This token lacks *Access: Mutual TLS Certificates Write* on zone example.net.',
    )
    expect(map(err, { op: 'mtls.upload', account: 'Acme' }).message).toBe(
      'This token lacks *Account: SSL and Certificates Write* on account Acme.',
    )
    expect(map(err, { op: 'gateway.activate', account: 'Acme' }).message).toBe('This token lacks *Zero Trust Write* on account Acme.')
  })

  test('every write operation names a permission for 403', () => {
    for (const [key, op] of [
      ...Object.entries(operationTable()).map(([k, spec]) => [k, spec.permission] as const),
      ...Object.entries(STEP_OPERATIONS),
    ]) {
      if (op.write) expect(op.permission, key).toBeTruthy()
    }
  })

  test.each([
    [1445, 'clientCerts.createFromCsr', 'cf_quota', /quota of client certificates/, /revoking frees a slot/],
    [1489, 'mtls.upload', 'cf_ca_quota', /CA certificate slots/, /Delete an unused CA/],
    [12130, 'access.add', 'cf_quota', /maximum number of Access mTLS certificates/, /Delete an Access mTLS root/],
    [2211, 'gateway.useForInspection', 'cf_no_inspection_certificate', /without a certificate/, /Activate a Gateway certificate/],
    [12036, 'access.updateSettings', 'cf_hostname_not_in_account', /not in any zone of this account/, /zones in this Cloudflare account/],
  ] as const)('code %i', (code, op, appCode, message, hint) => {
    const e = map(apiError(400, [{ code, message: 'cloudflare says no' }]), { op, zone: 'example.com', account: 'Acme' })
    expect(e.code).toBe(appCode)
    expect(e.message).toMatch(message)
    expect(e.hint).toMatch(hint)
  })

  test('CSR rejected: says why, with Cloudflare’s reason', () => {
    const e = map(apiError(400, [{ code: 1100, message: 'The CSR signature is invalid' }]), {
      op: 'clientCerts.createFromCsr',
      zone: 'example.com',
    })
    expect(e.code).toBe('cf_csr_rejected')
    expect(e.message).toContain('The CSR signature is invalid')
    expect(e.hint).toMatch(/CERTIFICATE REQUEST/)
  })

  test('association-blocked deletes', () => {
    const mtls = map(apiError(400, [{ code: 1412, message: 'Certificate is in use by one or more services' }]), {
      op: 'mtls.delete',
      account: 'Acme',
    })
    expect(mtls.code).toBe('cf_in_use')
    const accessDel = map(apiError(400, [{ code: 12131, message: 'certificate has associated hostnames' }]), {
      op: 'access.delete',
      account: 'Acme',
    })
    expect(accessDel.code).toBe('cf_in_use')
    expect(accessDel.hint).toMatch(/associated hostnames first/)
  })

  test('timeouts, network errors, cancellation', () => {
    const t = map(new APIConnectionTimeoutError(), { op: 'clientCerts.createFromCsr', zone: 'example.com' })
    expect(t.code).toBe('cf_timeout')
    expect(t.hint).toMatch(/may or may not have been made/)
    expect(outcomeUnknown(new AttemptTimeoutError(1000))).toBe(true)
    expect(map(new AttemptTimeoutError(1000), { op: 'zones.list' }).code).toBe('cf_timeout')
    const cause = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
    })
    const n = map(new APIConnectionError({ cause }), { op: 'tokens.verify' })
    expect(n.code).toBe('cf_network')
    expect(n.message).toContain('ECONNREFUSED')
    expect(map(new APIUserAbortError(), { op: 'zones.list' }).code).toBe('cancelled')
    expect(outcomeUnknown(new APIUserAbortError())).toBe(false)
  })

  test('5xx: outcome unknown for writes; other 4xx show Cloudflare’s message; 404s', () => {
    const s = map(apiError(502, [{ code: 10002, message: 'Bad gateway' }]), { op: 'clientCerts.revoke', zone: 'example.com' })
    expect(s.code).toBe('cf_server_error')
    expect(s.details?.['outcomeUnknown']).toBe(true)
    expect(outcomeUnknown(apiError(503, []))).toBe(true)
    expect(outcomeUnknown(apiError(400, []))).toBe(false)
    const r = map(apiError(400, [{ code: 1001, message: '"validity_days" must be a whole number' }]), {
      op: 'clientCerts.reactivate',
      zone: 'example.com',
    })
    expect(r.code).toBe('cf_request_rejected')
    expect(r.message).toContain('"validity_days" must be a whole number (code 1001)')
    expect(map(apiError(404, [{ code: 1002, message: 'nope' }]), { op: 'clientCerts.get', target: 'client certificate abc' }).message).toBe(
      'Client certificate abc was not found.',
    )
    expect(map(apiError(404, [{ code: 7003, message: 'Could not route to /zones/x' }]), { op: 'clientCerts.list' }).hint).toMatch(
      /token can see this zone/,
    )
    expect(map(apiError(429, []), { op: 'zones.list' }).code).toBe('cf_rate_limited')
  })

  test('never echoes a token the server put in a message', () => {
    const token = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-Ab'
    const e = map(apiError(400, [{ code: 1001, message: `bad header Authorization: Bearer ${token}` }]), { op: 'zones.list' })
    expect(JSON.stringify(e.toShape())).not.toContain(token)
  })

  test('AppErrors pass through untouched; unknown errors become internal', () => {
    const app = new AppError('bad_input', 'x')
    expect(toAppError(app, { op: 'zones.list' })).toBe(app)
    expect(map(new Error('boom'), { op: 'zones.list' }).code).toBe('internal')
  })
})
