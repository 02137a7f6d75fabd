/** Plain-fetch client for Sandbox tests: every request and response is checked against the OpenAPI schema. */
import { expect } from 'vitest'
import type { webcrypto } from 'node:crypto'
import * as x509 from '@peculiar/x509'
import { OpenApiValidator } from './openapi-validator'
import type { SandboxHandle } from '../../../src/main/sandbox'

export const validator = new OpenApiValidator()

export interface CallOptions {
  token?: keyof SandboxHandle['tokens'] | null
  rawToken?: string
  body?: unknown
  query?: Record<string, string | number>
  /** The test sends a request the schema forbids on purpose (e.g. per_page=500); skip request validation. */
  invalidRequest?: boolean
  signal?: AbortSignal
}

export interface CallResult {
  status: number
  body: Record<string, unknown> & {
    success: boolean
    errors: { code: number; message: string }[]
    result: unknown
    result_info?: Record<string, number>
  }
  headers: Headers
}

/** operationId -> statuses seen, to prove every operation was exercised. */
export const coverage = new Map<string, Set<number>>()

export function client(handle: SandboxHandle, schema: OpenApiValidator = validator) {
  return async function call(method: string, path: string, options: CallOptions = {}): Promise<CallResult> {
    const query = Object.fromEntries(Object.entries(options.query ?? {}).map(([k, v]) => [k, String(v)]))
    const qs = new URLSearchParams(query).toString()
    if (!options.invalidRequest) {
      expect(schema.validateRequest({ method, path, query, body: options.body }), `request ${method} ${path}`).toEqual([])
    }
    const token = options.rawToken ?? (options.token === null ? undefined : handle.tokens[options.token ?? 'full'])
    const res = await fetch(`${handle.url}${path}${qs ? `?${qs}` : ''}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      ...(options.signal ? { signal: options.signal } : {}),
    })
    const body = (await res.json()) as CallResult['body']
    expect(
      schema.validateResponse({ method, path, status: res.status, body }),
      `response ${method} ${path} ${res.status}: ${JSON.stringify(body).slice(0, 300)}`,
    ).toEqual([])
    const op = schema.find(method, path)
    if (op) {
      const seen = coverage.get(op.operation.operationId) ?? new Set<number>()
      seen.add(res.status)
      coverage.set(op.operation.operationId, seen)
    }
    return { status: res.status, body, headers: res.headers }
  }
}

export function errorCodes(result: CallResult): number[] {
  return result.body.errors.map((e) => e.code)
}

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const

/** A self-signed certificate (CA or leaf) plus its PKCS#8 private key PEM. */
export async function makeCert(cn: string, ca: boolean): Promise<{ pem: string; keyPem: string }> {
  const keys = (await crypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${cn}`,
    keys,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    notAfter: new Date(Date.now() + 365 * 86_400_000),
    extensions: ca
      ? [
          new x509.BasicConstraintsExtension(true, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        ]
      : [new x509.BasicConstraintsExtension(false, undefined, true)],
  })
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64')
  return {
    pem: cert.toString('pem'),
    keyPem: `-----BEGIN PRIVATE KEY-----\n${pkcs8.match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`,
  }
}

/** A controllable clock for pending-state timers. */
export function testClock(start = Date.now()) {
  let now = start
  return { now: () => now, advance: (ms: number) => void (now += ms) }
}
