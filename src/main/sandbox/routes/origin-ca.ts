/**
 * Origin CA certificates (`/certificates`): server certificates for the origin, signed by the Sandbox Origin CA
 * (origin-pki.ts) from a CSR, for hostnames (or `*.` wildcards) of one zone. The private key stays with the
 * admin: a request that carries one is refused. DELETE revokes (the certificate is no longer listed). Ids are the
 * certificate's serial number in decimal, as Cloudflare's. Permission: the zone's SSL and Certificates Read/Write.
 */
import { createPublicKey, randomBytes } from 'node:crypto'
import type { Pkcs10CertificateRequest } from '@peculiar/x509'
import { ORIGIN_CA_VALIDITY_DAYS } from '../../../shared/origin-model'
import { isoSeconds, parseCsr } from '../ca'
import {
  ApiError,
  bodyObject,
  CODES,
  findOr404,
  hostnameInZone,
  invalid,
  pageRequest,
  pageResult,
  pkiInput,
  requirePermission,
  type Route,
  type RouteContext,
} from '../http'
import { ensureOriginCa, issueOriginCertificate } from '../origin-pki'
import type { OriginCaCertRecord, SandboxState, ZoneRecord } from '../state'

const REQUEST_TYPES = { 'origin-rsa': 'rsa', 'origin-ecc': 'ec' } as const

export function originCaCertificates(state: SandboxState): OriginCaCertRecord[] {
  return (state.originCaCertificates ??= [])
}

const READ = ['SSL and Certificates Read', 'SSL and Certificates Write'] as const

/** Cloudflare writes Origin CA expiry dates the Go way: `2014-01-01 05:20:00 +0000 UTC`. */
function goTime(ms: number): string {
  return `${isoSeconds(ms).replace('T', ' ').replace('Z', '')} +0000 UTC`
}

function view(cert: OriginCaCertRecord): Record<string, unknown> {
  return {
    id: cert.id,
    certificate: cert.certificate,
    csr: cert.csr,
    expires_on: cert.expiresOn,
    hostnames: cert.hostnames,
    request_type: cert.requestType,
    requested_validity: cert.requestedValidity,
  }
}

/** Hostnames or single-level `*.` wildcards, all of one zone: the zone they belong to. */
function zoneOfHostnames(state: SandboxState, hostnames: string[]): ZoneRecord {
  const refuse = (hostname: string, why: string): ApiError =>
    new ApiError(400, CODES.originCaHostname, `Failed to validate requested hostname ${hostname}: ${why}.`)
  let zone: ZoneRecord | undefined
  for (const hostname of hostnames) {
    const bare = hostname.startsWith('*.') ? hostname.slice(2) : hostname
    if (bare.includes('*')) throw refuse(hostname, 'wildcards are allowed only as a "*." prefix of one level')
    const owner = state.zones.find((z) => hostnameInZone(bare, z.name))
    if (!owner) throw refuse(hostname, 'this zone is either not part of your account, or you do not have access to it')
    if (zone && zone.id !== owner.id) throw refuse(hostname, `all hostnames of one certificate must belong to one zone (${zone.name})`)
    zone = owner
  }
  return zone!
}

function requestBody(ctx: RouteContext): {
  csr: string
  hostnames: string[]
  requestType: OriginCaCertRecord['requestType']
  days: number
} {
  const body = bodyObject(ctx)
  // The key stays on the admin's machine: refuse any request that carries one, wherever it was put.
  if (/PRIVATE KEY-----/.test(JSON.stringify(body))) {
    throw new ApiError(
      400,
      CODES.originCaPrivateKey,
      'The request carries a private key: send only the CERTIFICATE REQUEST (CSR); the private key must never leave your machine.',
    )
  }
  const csr = body['csr']
  if (typeof csr !== 'string' || csr.trim() === '')
    throw new ApiError(400, CODES.badCsr, '"csr" is required: a PEM "CERTIFICATE REQUEST" with newlines encoded as \\n.')
  const hostnames = body['hostnames']
  if (!Array.isArray(hostnames) || hostnames.length === 0 || hostnames.some((h) => typeof h !== 'string' || h.trim() === ''))
    throw invalid('"hostnames" is required: a list of hostnames or "*." wildcards of the zone.')
  if (hostnames.length > 100) throw invalid(`"hostnames" holds ${hostnames.length} names; at most 100 are allowed.`)
  const requestType = body['request_type']
  if (requestType !== 'origin-rsa' && requestType !== 'origin-ecc') {
    throw new ApiError(
      400,
      CODES.originCaRequestType,
      `"request_type" must be origin-rsa or origin-ecc, got ${JSON.stringify(requestType)} (the Sandbox does not emulate Keyless SSL).`,
    )
  }
  const days = body['requested_validity'] ?? 5475
  if (!(ORIGIN_CA_VALIDITY_DAYS as readonly unknown[]).includes(days)) {
    throw new ApiError(
      400,
      CODES.originCaValidity,
      `"requested_validity" must be one of ${ORIGIN_CA_VALIDITY_DAYS.join(', ')} days, got ${JSON.stringify(days)}.`,
    )
  }
  const clean = [...new Set((hostnames as string[]).map((h) => h.trim().toLowerCase().replace(/\.$/, '')))]
  return { csr, hostnames: clean, requestType, days: days as number }
}

function checkKeyType(csr: Pkcs10CertificateRequest, requestType: OriginCaCertRecord['requestType']): void {
  const type = createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: 'der', type: 'spki' }).asymmetricKeyType
  const wanted = REQUEST_TYPES[requestType]
  if (type !== wanted) {
    const fits = type === 'rsa' ? 'origin-rsa' : 'origin-ecc'
    throw new ApiError(
      400,
      CODES.originCaRequestType,
      `"request_type" ${requestType} needs an ${wanted.toUpperCase()} key, but the CSR holds an ${String(type).toUpperCase()} key: ` +
        `send request_type ${fits}.`,
    )
  }
}

/** A positive serial of at most 13 bytes: its decimal form fits the 32-character identifier Cloudflare's schema gives. */
function newSerial(): { hex: string; decimal: string } {
  const bytes = randomBytes(13)
  bytes[0] = (bytes[0]! & 0x3f) | 0x01
  const hex = bytes.toString('hex')
  return { hex, decimal: BigInt(`0x${hex}`).toString(10) }
}

function findCert(ctx: RouteContext): OriginCaCertRecord {
  const id = ctx.params['certificate_id']!
  const cert = findOr404(originCaCertificates(ctx.state), 'Origin CA certificate', id, (c) => c.id === id && c.revokedAt === null)
  const zone = ctx.state.zones.find((z) => z.id === cert.zoneId)
  if (!zone) throw new ApiError(404, CODES.notFound, `Origin CA certificate ${id} not found.`)
  return cert
}

export const originCaRoutes: Route[] = [
  {
    method: 'GET',
    path: '/certificates',
    handler: (ctx) => {
      const zoneId = ctx.query.get('zone_id')
      if (!zoneId) throw invalid('Query parameter "zone_id" is required: Origin CA certificates are listed per zone.')
      if (!ctx.state.zones.some((z) => z.id === zoneId))
        throw new ApiError(404, CODES.unknownObject, `Could not route to /zones/${zoneId}, perhaps your object identifier is invalid?`)
      requirePermission(ctx, ...READ)
      const request = pageRequest(ctx.query, { fallback: 20, min: 5, max: 50 })
      const certs = originCaCertificates(ctx.state).filter((c) => c.zoneId === zoneId && c.revokedAt === null)
      return pageResult(certs, request, view)
    },
  },
  {
    method: 'POST',
    path: '/certificates',
    handler: async (ctx) => {
      const { csr, hostnames, requestType, days } = requestBody(ctx)
      const zone = zoneOfHostnames(ctx.state, hostnames)
      requirePermission(ctx, 'SSL and Certificates Write')
      const parsed = await pkiInput(CODES.badCsr, () => parseCsr(csr))
      checkKeyType(parsed, requestType)
      const { ca } = await ensureOriginCa(ctx.state, ctx.now)
      const serial = newSerial()
      const cert = await issueOriginCertificate(ca, parsed, hostnames, days, serial.hex, ctx.now)
      const record: OriginCaCertRecord = {
        id: serial.decimal,
        zoneId: zone.id,
        certificate: cert.toString('pem'),
        csr,
        hostnames,
        requestType,
        requestedValidity: days,
        expiresOn: goTime(cert.notAfter.getTime()),
        revokedAt: null,
      }
      originCaCertificates(ctx.state).push(record)
      return { result: view(record) }
    },
  },
  {
    method: 'GET',
    path: '/certificates/:certificate_id',
    handler: (ctx) => {
      const cert = findCert(ctx)
      requirePermission(ctx, ...READ)
      return { result: view(cert) }
    },
  },
  {
    method: 'DELETE',
    path: '/certificates/:certificate_id',
    handler: (ctx) => {
      const cert = findCert(ctx)
      requirePermission(ctx, 'SSL and Certificates Write')
      cert.revokedAt = new Date(ctx.now).toISOString()
      return { result: { id: cert.id, revoked_at: cert.revokedAt } }
    },
  },
]
