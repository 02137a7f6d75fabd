/**
 * Origin CA certificates: server certificates for the zone's origin, signed by Cloudflare's Origin CA and trusted
 * only by Cloudflare's edge (Full (strict) mode), never by browsers. One is made from a CSR, so its key never leaves
 * the machine; it does not renew itself, and an expired one makes Cloudflare answer 526 (Cloudflare docs: Origin
 * CA certificates). The endpoints are `/certificates` with the zone as a parameter; an API token with SSL and
 * Certificates on the zone works (Origin CA service keys are being retired).
 */
import type { OriginCACertificate } from 'cloudflare/resources/origin-ca-certificates/origin-ca-certificates'
import { AppError } from '../../shared/errors'
import {
  OriginCaRequestType,
  type OriginCaCertificate,
  type OriginCaRequestType as RequestType,
  type OriginCaValidity,
} from '../../shared/origin-model'
import { decodeCsr } from '../certs/x509'
import type { CloudflareClient } from './client'
import { normaliseCsr, type ZoneScope } from './client-certificates'
import { guard, guarded, zoneContext as ctx } from './errors'
import { normaliseHostnames } from './hostnames'
import { byId, callById, callOnScope, named, zoneLabel, type ByIdCall, type OperationsOf } from './operation'
import { read, SSL_READ, SSL_WRITE, write } from './operations'

/**
 * Cloudflare writes an Origin CA certificate's expiry in Go's default form (`2034-11-25 20:25:00 +0000 UTC`), which
 * `Date.parse` cannot read: as ISO 8601, like every other date the app shows. Anything else is kept as sent.
 */
export function originCaDate(text: string): string {
  const go = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.\d+)? ([+-]\d{2})(\d{2})(?: [A-Z]+)?$/.exec(text.trim())
  const ms = go ? Date.parse(`${go[1]}T${go[2]}${go[3]}:${go[4]}`) : Date.parse(text)
  return Number.isNaN(ms) ? text : new Date(ms).toISOString()
}

export function toOriginCaCertificate(c: OriginCACertificate): OriginCaCertificate {
  const type = OriginCaRequestType.safeParse(c.request_type)
  return {
    id: c.id ?? '',
    hostnames: c.hostnames ?? [],
    ...(type.success ? { requestType: type.data } : {}),
    ...(typeof c.requested_validity === 'number' ? { validityDays: c.requested_validity } : {}),
    ...(c.expires_on ? { expiresOn: originCaDate(c.expires_on) } : {}),
    ...(c.certificate ? { certificate: c.certificate } : {}),
  }
}

/** Every Origin CA certificate of the zone, page by page. */
export async function listOriginCaCertificates(client: CloudflareClient, scope: ZoneScope, signal?: AbortSignal) {
  return guard(ctx(scope, 'originCa.list'), async () => {
    const all: OriginCaCertificate[] = []
    for await (const c of client.sdk.originCACertificates.list({ zone_id: scope.zoneId }, { signal })) all.push(toOriginCaCertificate(c))
    return all
  })
}

export const getOriginCaCertificate: ByIdCall<ZoneScope, OriginCaCertificate> = (client, scope, id, signal) => {
  const get = () => client.sdk.originCACertificates.get(id, { signal })
  return guarded(ctx(scope, 'originCa.get', `Origin CA certificate ${id}`), get, toOriginCaCertificate)
}

export const revokeOriginCaCertificate: ByIdCall<ZoneScope, { id: string; revokedAt?: string }> = (client, scope, id, signal) => {
  const revoke = () => client.sdk.originCACertificates.delete(id, { signal })
  return guarded(ctx(scope, 'originCa.revoke', `Origin CA certificate ${id}`), revoke, (r) => ({
    id: r.id ?? id,
    ...(r.revoked_at ? { revokedAt: r.revoked_at } : {}),
  }))
}

/** RSA keys are signed as `origin-rsa`, EC keys as `origin-ecc`; anything else is not an Origin CA key. */
export function requestTypeOf(csrPem: string): Exclude<RequestType, 'keyless-certificate'> {
  const csr = decodeCsr(csrPem, { message: 'The CSR could not be decoded.', hint: 'Generate the CSR again.' })
  const algorithm = (csr.publicKey.algorithm as { name?: string }).name ?? ''
  if (algorithm.startsWith('RSA')) return 'origin-rsa'
  if (algorithm === 'ECDSA' || algorithm === 'EC') return 'origin-ecc'
  throw new AppError('bad_input', `Cloudflare's Origin CA signs RSA or ECDSA keys; this CSR's key is ${algorithm || 'unknown'}.`)
}

/** Hostnames of the zone only: the zone's name, a name below it, or a wildcard of either. */
export function originCaHostnames(hostnames: readonly string[], zoneName: string | undefined): string[] {
  const names = normaliseHostnames(hostnames)
  if (!zoneName) return names
  const zone = zoneName.toLowerCase()
  const outside = names.filter((h) => {
    const bare = h.startsWith('*.') ? h.slice(2) : h
    return bare !== zone && !bare.endsWith(`.${zone}`)
  })
  if (outside.length > 0) {
    throw new AppError('bad_input', `${outside.join(', ')} ${outside.length === 1 ? 'is' : 'are'} not in zone ${zoneName}.`, {
      hint: `An Origin CA certificate covers names of its zone: ${zone}, *.${zone} or names below it.`,
    })
  }
  return names
}

export interface OriginCaCreate {
  csrPem: string
  hostnames: readonly string[]
  requestType?: RequestType | undefined
  validityDays: OriginCaValidity
}

/** A certificate for the CSR's key (the key stays here: only the CSR is sent). */
export async function createOriginCaCertificate(
  client: CloudflareClient,
  scope: ZoneScope,
  request: OriginCaCreate,
  signal?: AbortSignal,
): Promise<OriginCaCertificate> {
  const csr = await normaliseCsr(request.csrPem)
  const keyType = requestTypeOf(csr)
  const requestType = request.requestType ?? keyType
  if (requestType !== 'keyless-certificate' && requestType !== keyType) {
    throw new AppError('bad_input', `The CSR's key is ${keyType === 'origin-rsa' ? 'RSA' : 'ECDSA'}, but ${requestType} was asked for.`, {
      hint: `Ask for ${keyType}, or make the CSR from a key of the other kind.`,
    })
  }
  const hostnames = originCaHostnames(request.hostnames, scope.zoneName)
  const create = () =>
    client.sdk.originCACertificates.create(
      { csr, hostnames, request_type: requestType, requested_validity: request.validityDays },
      { signal },
    )
  return guarded(ctx(scope, 'originCa.create', hostnames.join(', ')), create, toOriginCaCertificate)
}

/** The operations of `originCa:*` (what an operation declares: operation.ts). */
export const originCaOperations = {
  'originCa.list': {
    scope: 'zone',
    permission: read('list Origin CA certificates', SSL_READ),
    call: callOnScope(listOriginCaCertificates),
  },
  'originCa.get': {
    scope: 'zone',
    permission: read('read an Origin CA certificate', SSL_READ),
    call: callById(getOriginCaCertificate),
  },
  'originCa.create': {
    scope: 'zone',
    permission: write('create an Origin CA certificate', SSL_WRITE),
    call: ({ client, at, request, signal }) => createOriginCaCertificate(client, at, request, signal),
    audit: {
      words: 'Created Origin CA certificate',
      before: (request) => request.hostnames.join(', '),
      detail: (request, at) => ({ zone: zoneLabel(at), validityDays: request.validityDays }),
      after: (r) => ({ ...named(r.hostnames[0] ?? 'Origin CA certificate', r.id), detail: { expiresOn: r.expiresOn ?? null } }),
    },
  },
  'originCa.revoke': {
    scope: 'zone',
    permission: write('revoke an Origin CA certificate', SSL_WRITE),
    call: callById(revokeOriginCaCertificate),
    audit: { words: 'Revoked Origin CA certificate', before: byId, detail: (_, at) => ({ zone: zoneLabel(at) }) },
  },
} as const satisfies OperationsOf<'originCa'>
