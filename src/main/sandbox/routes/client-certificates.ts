/** API Shield client certificates, issued by the zone's Cloudflare Managed CA (`/zones/{id}/client_certificates`). */
import { randomBytes } from 'node:crypto'
import type { Pkcs10CertificateRequest } from '@peculiar/x509'
import { issueClientCertificate, parseCsr } from '../ca'
import {
  ApiError,
  bodyObject,
  CODES,
  findOr404,
  invalid,
  pageRequest,
  pageResult,
  scopedRoutes,
  zoneFromPath,
  pkiInput,
  type Route,
  type RouteContext,
} from '../http'
import type { ClientCertRecord, ClientCertStatus, ZoneRecord } from '../state'

const route = scopedRoutes(zoneFromPath, { read: 'SSL and Certificates Read', write: 'SSL and Certificates Write' })
const STATUSES = ['all', 'active', 'pending_reactivation', 'pending_revocation', 'revoked'] as const

export function managedCaName(zone: ZoneRecord): string {
  return `Cloudflare Managed CA for ${zone.name}`
}

export function clientCertificateView(cert: ClientCertRecord, zone: ZoneRecord): Record<string, unknown> {
  return {
    id: cert.id,
    certificate: cert.certificate,
    certificate_authority: { id: zone.managedCa.id, name: managedCaName(zone) },
    common_name: cert.commonName,
    country: cert.country,
    csr: cert.csr,
    expires_on: cert.expiresOn,
    fingerprint_sha256: cert.fingerprintSha256,
    issued_on: cert.issuedOn,
    location: cert.location,
    organization: cert.organization,
    organizational_unit: cert.organizationalUnit,
    serial_number: cert.serialNumber,
    signature: cert.signature,
    ski: cert.ski,
    state: cert.state,
    status: cert.status,
    validity_days: cert.validityDays,
  }
}

function findCert(ctx: RouteContext, zone: ZoneRecord): ClientCertRecord {
  const id = ctx.params['client_certificate_id']!
  return findOr404(ctx.state.clientCertificates, 'Client certificate', id, (c) => c.zoneId === zone.id && c.id === id)
}

/** Issue a certificate for a CSR: shared by the route and the demo seed (which passes its own, already trusted, CSR). */
export async function createClientCertificate(
  zone: ZoneRecord,
  csrPem: string,
  validityDays: number,
  now: number,
  verified?: Pkcs10CertificateRequest,
): Promise<ClientCertRecord> {
  const csr = verified ?? (await parseCsr(csrPem))
  const issued = await issueClientCertificate(zone.managedCa, csr, validityDays, now)
  return { id: randomBytes(16).toString('hex'), zoneId: zone.id, csr: csrPem, validityDays, status: 'active', settlesAt: null, ...issued }
}

export const clientCertificateRoutes: Route[] = [
  route.read('GET', '/zones/:zone_id/client_certificates', (ctx, zone) => {
    const status = ctx.query.get('status') ?? 'all'
    if (!(STATUSES as readonly string[]).includes(status))
      throw invalid(`Query parameter "status" must be one of ${STATUSES.join(', ')}, got "${status}".`)
    const request = pageRequest(ctx.query, { fallback: 20, min: 5, max: 50 })
    const certs = ctx.state.clientCertificates.filter((c) => c.zoneId === zone.id && (status === 'all' || c.status === status))
    return pageResult(certs, request, (c) => clientCertificateView(c, zone))
  }),
  route.write('POST', '/zones/:zone_id/client_certificates', async (ctx, zone) => {
    const body = bodyObject(ctx)
    const validity = body['validity_days']
    if (typeof validity !== 'number' || !Number.isInteger(validity) || validity < 1 || validity > 10950) {
      throw invalid('"validity_days" is required: a whole number of days from 1 to 10950 (the dashboard offers 365 to 5475).')
    }
    if (typeof body['csr'] !== 'string')
      throw new ApiError(400, CODES.badCsr, '"csr" is required: a PEM "CERTIFICATE REQUEST" with newlines encoded as \\n.')
    // Revoked certificates no longer count against the quota ("revoking frees a slot").
    const used = ctx.state.clientCertificates.filter((c) => c.zoneId === zone.id && c.status !== 'revoked').length
    if (used >= ctx.limits.clientCertificatesPerZone) {
      throw new ApiError(
        400,
        CODES.clientCertQuota,
        `This zone reached its quota of ${ctx.limits.clientCertificatesPerZone} client certificates; ` +
          'revoke unused certificates to free slots.',
      )
    }
    const csr = body['csr']
    const cert = await pkiInput(CODES.badCsr, () => createClientCertificate(zone, csr, validity, ctx.now))
    ctx.state.clientCertificates.push(cert)
    return { result: clientCertificateView(cert, zone) }
  }),
  route.read('GET', '/zones/:zone_id/client_certificates/:client_certificate_id', (ctx, zone) => ({
    result: clientCertificateView(findCert(ctx, zone), zone),
  })),
  // Revoke: the certificate stays listed, pending_revocation then revoked.
  route.write('DELETE', '/zones/:zone_id/client_certificates/:client_certificate_id', (ctx, zone) => {
    const cert = findCert(ctx, zone)
    if (cert.status === 'revoked' || cert.status === 'pending_revocation') {
      throw new ApiError(400, CODES.invalidState, `Client certificate ${cert.id} is already ${cert.status}.`)
    }
    transition(cert, 'pending_revocation', ctx.now + ctx.timing.revocationMs)
    return { result: clientCertificateView(cert, zone) }
  }),
  // Reactivate: only while pending_revocation.
  route.write('PATCH', '/zones/:zone_id/client_certificates/:client_certificate_id', (ctx, zone) => {
    const body = bodyObject(ctx)
    if (body['reactivate'] !== undefined && body['reactivate'] !== true) throw invalid('"reactivate" can only be true (or left out).')
    const cert = findCert(ctx, zone)
    if (cert.status !== 'pending_revocation') {
      throw new ApiError(
        400,
        CODES.invalidState,
        `Client certificate ${cert.id} is ${cert.status}; only a certificate pending revocation can be reactivated.`,
      )
    }
    transition(cert, 'pending_reactivation', ctx.now + ctx.timing.reactivationMs)
    return { result: clientCertificateView(cert, zone) }
  }),
]

function transition(cert: ClientCertRecord, status: ClientCertStatus, settlesAt: number): void {
  cert.status = status
  cert.settlesAt = settlesAt
}
