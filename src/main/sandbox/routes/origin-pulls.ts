/**
 * Authenticated Origin Pulls (`/zones/{id}/origin_tls_client_auth…`): the client certificates the edge presents to the
 * origin. Zone-level: upload certificate + key, then `settings {enabled:true}`. Per-hostname: up to 10 hostname
 * certificates per zone, each associated with up to 100 hostnames (`PUT …/hostnames`, `enabled:null` removes an
 * association). Uploads go `pending_deployment` → `active`; deletion goes through `pending_deletion`, then the
 * certificate is gone. Unlike other uploads, the key is kept (the edge presents the certificate) and never sent back.
 */
import { randomBytes } from 'node:crypto'
import { checkPrivateKeyMatches, parseCertificates } from '../ca'
import {
  ApiError,
  bodyObject,
  CODES,
  findOr404,
  hostnameInZone,
  invalid,
  pkiInput,
  requiredString,
  scopedRoutes,
  wholeList,
  zoneFromPath,
  type Route,
  type RouteContext,
} from '../http'
import type { AopCertRecord, AopHostnameRecord, SandboxState, ZoneRecord } from '../state'

const route = scopedRoutes(zoneFromPath, { read: 'SSL and Certificates Read', write: 'SSL and Certificates Write' })
const BASE = '/zones/:zone_id/origin_tls_client_auth'

/** The state's AOP lists (absent in state files saved before AOP existed). */
export function aopCertificates(state: SandboxState): AopCertRecord[] {
  return (state.aopCertificates ??= [])
}

export function aopHostnames(state: SandboxState): AopHostnameRecord[] {
  return (state.aopHostnames ??= [])
}

export function aopEnabled(state: SandboxState, zoneId: string): boolean {
  return (state.aopEnabledZones ?? []).includes(zoneId)
}

function zoneCertificateView(state: SandboxState, cert: AopCertRecord): Record<string, unknown> {
  return {
    id: cert.id,
    certificate: cert.certificate,
    enabled: aopEnabled(state, cert.zoneId),
    expires_on: cert.expiresOn,
    issuer: cert.issuer,
    signature: cert.signature,
    status: cert.status,
    uploaded_on: cert.uploadedOn,
  }
}

function hostnameCertificateView(cert: AopCertRecord): Record<string, unknown> {
  return {
    id: cert.id,
    certificate: cert.certificate,
    expires_on: cert.expiresOn,
    issuer: cert.issuer,
    serial_number: cert.serialNumber,
    signature: cert.signature,
    status: cert.status,
    uploaded_on: cert.uploadedOn,
  }
}

function associationView(association: AopHostnameRecord, cert: AopCertRecord): Record<string, unknown> {
  return {
    hostname: association.hostname,
    cert_id: cert.id,
    enabled: association.enabled,
    status: cert.status,
    cert_status: cert.status,
    cert_uploaded_on: cert.uploadedOn,
    cert_updated_at: cert.updatedAt,
    certificate: cert.certificate,
    expires_on: cert.expiresOn,
    issuer: cert.issuer,
    serial_number: cert.serialNumber,
    signature: cert.signature,
    created_at: association.createdAt,
    updated_at: association.updatedAt,
  }
}

/** Check an upload (PEM parses, the key is the certificate's, not expired) and record it as pending deployment. */
function upload(ctx: RouteContext, zone: ZoneRecord, kind: AopCertRecord['kind']): AopCertRecord {
  const body = bodyObject(ctx)
  const certificate = requiredString(body, 'certificate')
  const privateKey = requiredString(body, 'private_key')
  const [leaf] = pkiInput(CODES.certificateParse, () => parseCertificates(certificate))
  pkiInput(CODES.aopKeyMismatch, () => checkPrivateKeyMatches(privateKey, leaf!.spki))
  if (Date.parse(leaf!.expiresOn) <= ctx.now) {
    throw new ApiError(
      400,
      CODES.aopCertificateExpired,
      `The certificate expired on ${leaf!.expiresOn}: upload a certificate that is currently valid.`,
    )
  }
  const at = new Date(ctx.now).toISOString()
  const record: AopCertRecord = {
    id: randomBytes(16).toString('hex'),
    zoneId: zone.id,
    kind,
    certificate,
    privateKey,
    issuer: leaf!.issuer,
    serialNumber: leaf!.serialNumber,
    signature: leaf!.signature,
    fingerprintSha256: leaf!.fingerprintSha256,
    expiresOn: leaf!.expiresOn,
    uploadedOn: at,
    updatedAt: at,
    status: 'pending_deployment',
    settlesAt: ctx.now + ctx.timing.aopDeployMs,
  }
  aopCertificates(ctx.state).push(record)
  return record
}

function findCert(ctx: RouteContext, zone: ZoneRecord, kind: AopCertRecord['kind'], id = ctx.params['certificate_id']!): AopCertRecord {
  const what = kind === 'zone' ? 'Origin pull certificate' : 'Hostname origin pull certificate'
  return findOr404(aopCertificates(ctx.state), what, id, (c) => c.zoneId === zone.id && c.kind === kind && c.id === id)
}

function startDeletion(ctx: RouteContext, cert: AopCertRecord): void {
  if (cert.status === 'pending_deletion') throw new ApiError(400, CODES.invalidState, `Certificate ${cert.id} is already pending deletion.`)
  cert.status = 'pending_deletion'
  cert.settlesAt = ctx.now + ctx.timing.aopDeployMs
  cert.updatedAt = new Date(ctx.now).toISOString()
}

function hostnameOf(zone: ZoneRecord, value: unknown, where: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalid(`${where}: "hostname" is required.`)
  const hostname = value.trim().toLowerCase().replace(/\.$/, '')
  if (!hostnameInZone(hostname, zone.name))
    throw new ApiError(400, CODES.hostnameNotInZone, `${where}: hostname ${hostname} is not in zone ${zone.name}.`)
  return hostname
}

interface ConfigItem {
  hostname: string
  certId: string | null
  enabled: boolean | null
}

function configItems(ctx: RouteContext, zone: ZoneRecord): ConfigItem[] {
  const config = bodyObject(ctx)['config']
  if (!Array.isArray(config) || config.length === 0) throw invalid('"config" is required: a list of {hostname, cert_id, enabled}.')
  const seen = new Set<string>()
  return config.map((raw, index) => {
    const where = `config[${index}]`
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw invalid(`${where} must be an object {hostname, cert_id, enabled}.`)
    const item = raw as Record<string, unknown>
    const hostname = hostnameOf(zone, item['hostname'], where)
    if (seen.has(hostname)) throw invalid(`${where}: hostname ${hostname} appears more than once in "config".`)
    seen.add(hostname)
    const enabled = item['enabled'] ?? null
    if (enabled !== null && typeof enabled !== 'boolean') throw invalid(`${where}: "enabled" must be true, false or null.`)
    const certId = item['cert_id']
    if (certId !== undefined && typeof certId !== 'string') throw invalid(`${where}: "cert_id" must be a string.`)
    if (enabled !== null && !certId) throw invalid(`${where}: "cert_id" is required to associate ${hostname}.`)
    return { hostname, certId: certId ?? null, enabled }
  })
}

export const originPullRoutes: Route[] = [
  // Literal segments first: `settings` and `hostnames/…` are not certificate ids.
  route.read('GET', `${BASE}/settings`, (ctx, zone) => ({ result: { enabled: aopEnabled(ctx.state, zone.id) } })),
  route.write('PUT', `${BASE}/settings`, (ctx, zone) => {
    const enabled = bodyObject(ctx)['enabled']
    if (typeof enabled !== 'boolean') throw invalid('"enabled" is required: true or false.')
    const zones = (ctx.state.aopEnabledZones ?? []).filter((id) => id !== zone.id)
    ctx.state.aopEnabledZones = enabled ? [...zones, zone.id] : zones
    return { result: { enabled } }
  }),
  route.read('GET', `${BASE}/hostnames/certificates`, (ctx, zone) =>
    wholeList(
      aopCertificates(ctx.state)
        .filter((c) => c.zoneId === zone.id && c.kind === 'hostname')
        .map(hostnameCertificateView),
    ),
  ),
  route.write('POST', `${BASE}/hostnames/certificates`, (ctx, zone) => {
    const held = aopCertificates(ctx.state).filter((c) => c.zoneId === zone.id && c.kind === 'hostname' && c.status !== 'pending_deletion')
    if (held.length >= ctx.limits.aopHostnameCertificates) {
      throw new ApiError(
        400,
        CODES.aopHostnameCertQuota,
        `This zone already has ${held.length} hostname certificates for Authenticated Origin Pulls, the most allowed ` +
          `(${ctx.limits.aopHostnameCertificates}): delete one first.`,
      )
    }
    return { result: hostnameCertificateView(upload(ctx, zone, 'hostname')) }
  }),
  route.read('GET', `${BASE}/hostnames/certificates/:certificate_id`, (ctx, zone) => ({
    result: hostnameCertificateView(findCert(ctx, zone, 'hostname')),
  })),
  route.write('DELETE', `${BASE}/hostnames/certificates/:certificate_id`, (ctx, zone) => {
    const cert = findCert(ctx, zone, 'hostname')
    const associated = aopHostnames(ctx.state).filter((h) => h.certId === cert.id)
    if (associated.length) {
      throw new ApiError(
        400,
        CODES.inUse,
        `Certificate ${cert.id} is still associated with ${associated.map((h) => h.hostname).join(', ')}: invalidate those ` +
          'associations first (PUT …/origin_tls_client_auth/hostnames with "enabled": null).',
      )
    }
    startDeletion(ctx, cert)
    return { result: hostnameCertificateView(cert) }
  }),
  route.write('PUT', `${BASE}/hostnames`, (ctx, zone) => {
    const items = configItems(ctx, zone)
    const now = new Date(ctx.now).toISOString()
    // Work on a copy: a refused change leaves every association as it was.
    const others = aopHostnames(ctx.state).filter((h) => h.zoneId !== zone.id)
    const next = aopHostnames(ctx.state)
      .filter((h) => h.zoneId === zone.id)
      .map((h) => ({ ...h }))
    const result: Record<string, unknown>[] = []
    for (const item of items) {
      const at = next.findIndex((h) => h.hostname === item.hostname)
      if (item.enabled === null) {
        const removed = at === -1 ? undefined : next.splice(at, 1)[0]
        result.push({ hostname: item.hostname, cert_id: item.certId ?? removed?.certId ?? '', enabled: null })
        continue
      }
      const cert = findCert(ctx, zone, 'hostname', item.certId!)
      if (cert.status === 'pending_deletion') throw new ApiError(400, CODES.invalidState, `Certificate ${cert.id} is pending deletion.`)
      if (at === -1)
        next.push({ zoneId: zone.id, hostname: item.hostname, certId: cert.id, enabled: item.enabled, createdAt: now, updatedAt: now })
      else next[at] = { ...next[at]!, certId: cert.id, enabled: item.enabled, updatedAt: now }
    }
    const limit = ctx.limits.aopHostnamesPerCertificate
    for (const certId of new Set(next.map((h) => h.certId))) {
      const count = next.filter((h) => h.certId === certId).length
      if (count > limit) {
        throw new ApiError(
          400,
          CODES.aopHostnamesPerCert,
          `Certificate ${certId} would be associated with ${count} hostnames; at most ${limit} hostnames can use one certificate.`,
        )
      }
    }
    ctx.state.aopHostnames = [...others, ...next]
    for (const item of items) {
      const association = next.find((h) => h.hostname === item.hostname)
      if (association) result.push(associationView(association, findCert(ctx, zone, 'hostname', association.certId)))
    }
    return wholeList(result)
  }),
  route.read('GET', `${BASE}/hostnames/:hostname`, (ctx, zone) => {
    const hostname = hostnameOf(zone, ctx.params['hostname'], 'The path')
    const association = aopHostnames(ctx.state).find((h) => h.zoneId === zone.id && h.hostname === hostname)
    if (!association)
      throw new ApiError(404, CODES.notFound, `Hostname ${hostname} has no per-hostname Authenticated Origin Pulls setting.`)
    return { result: associationView(association, findCert(ctx, zone, 'hostname', association.certId)) }
  }),
  route.read('GET', BASE, (ctx, zone) =>
    wholeList(
      aopCertificates(ctx.state)
        .filter((c) => c.zoneId === zone.id && c.kind === 'zone')
        .map((c) => zoneCertificateView(ctx.state, c)),
    ),
  ),
  route.write('POST', BASE, (ctx, zone) => ({ result: zoneCertificateView(ctx.state, upload(ctx, zone, 'zone')) })),
  route.read('GET', `${BASE}/:certificate_id`, (ctx, zone) => ({ result: zoneCertificateView(ctx.state, findCert(ctx, zone, 'zone')) })),
  route.write('DELETE', `${BASE}/:certificate_id`, (ctx, zone) => {
    const cert = findCert(ctx, zone, 'zone')
    startDeletion(ctx, cert)
    return { result: zoneCertificateView(ctx.state, cert) }
  }),
]
