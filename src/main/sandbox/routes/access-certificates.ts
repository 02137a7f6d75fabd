/**
 * Access mTLS root certificates and their hostname settings, at account and at zone level
 * (`/{accounts|zones}/{id}/access/certificates[/settings]`).
 */
import { randomUUID } from 'node:crypto'
import { parseCertificates } from '../ca'
import {
  accountFromPath,
  ApiError,
  bodyObject,
  CODES,
  findOr404,
  hostnamesInZones,
  invalid,
  optionalString,
  pageRequest,
  pageResult,
  pkiInput,
  requiredString,
  scopedRoutes,
  stringArray,
  wholeList,
  zoneFromPath,
  type Route,
  type RouteContext,
  type RouteResult,
  type ScopedRoutes,
} from '../http'
import type { AccessCertRecord, AccessHostnameSetting, Scope, ZoneRecord } from '../state'

const PERMISSIONS = { read: 'Access: Mutual TLS Certificates Read', write: 'Access: Mutual TLS Certificates Write' } as const

function view(cert: AccessCertRecord): Record<string, unknown> {
  return {
    id: cert.id,
    name: cert.name,
    fingerprint: cert.fingerprint,
    associated_hostnames: [...cert.associatedHostnames],
    expires_on: cert.expiresOn,
    created_at: cert.createdAt,
    updated_at: cert.updatedAt,
  }
}

interface ScopeInPath {
  scopeId: string
  /** The zones whose hostnames the scope may use. */
  zones: ZoneRecord[]
}

/** The account's or zone's routes, each with the scope from its path (checked to exist). */
function routeBuilder(scope: Scope): ScopedRoutes<ScopeInPath> {
  if (scope === 'accounts') {
    return scopedRoutes((ctx) => {
      const account = accountFromPath(ctx)
      return { scopeId: account.id, zones: ctx.state.zones.filter((z) => z.accountId === account.id) }
    }, PERMISSIONS)
  }
  return scopedRoutes((ctx) => {
    const zone = zoneFromPath(ctx)
    return { scopeId: zone.id, zones: [zone] }
  }, PERMISSIONS)
}

function findCert(ctx: RouteContext, scope: Scope, scopeId: string): AccessCertRecord {
  const id = ctx.params['certificate_id']!
  return findOr404(
    ctx.state.accessCertificates,
    'Access mTLS certificate',
    id,
    (c) => c.scope === scope && c.scopeId === scopeId && c.id === id,
  )
}

function checkHostnames(hostnames: string[], zones: ZoneRecord[]): string[] {
  const where = zones.length === 1 ? 'this zone' : "this account's zones"
  return hostnamesInZones(
    hostnames.map((h) => h.trim()),
    zones,
    CODES.accessHostnameNotInAccount,
    where,
  )
}

/** Hostname settings as one page; these endpoints report a page size of at least 1. */
function settingsList(settings: AccessHostnameSetting[]): RouteResult {
  return wholeList(
    settings.map((s) => ({ ...s })),
    Math.max(settings.length, 1),
  )
}

function routesFor(scope: Scope): Route[] {
  const route = routeBuilder(scope)
  const base = scope === 'accounts' ? '/accounts/:account_id/access/certificates' : '/zones/:zone_id/access/certificates'
  return [
    route.read('GET', `${base}/settings`, (ctx, { scopeId }) => {
      const settings = ctx.state.accessSettings.find((s) => s.scope === scope && s.scopeId === scopeId)?.settings ?? []
      return settingsList(settings)
    }),
    route.write('PUT', `${base}/settings`, (ctx, { scopeId, zones }) => {
      const raw = bodyObject(ctx)['settings']
      if (!Array.isArray(raw))
        throw invalid('"settings" is required: an array of {hostname, china_network, client_certificate_forwarding}.')
      const settings: AccessHostnameSetting[] = raw.map((item: unknown, i) => {
        const s = item as Record<string, unknown> | null
        if (
          !s ||
          typeof s['hostname'] !== 'string' ||
          typeof s['china_network'] !== 'boolean' ||
          typeof s['client_certificate_forwarding'] !== 'boolean'
        ) {
          throw invalid(`settings[${i}] needs hostname (string), china_network and client_certificate_forwarding (booleans).`)
        }
        return {
          hostname: s['hostname'],
          china_network: s['china_network'],
          client_certificate_forwarding: s['client_certificate_forwarding'],
        }
      })
      checkHostnames(
        settings.map((s) => s.hostname),
        zones,
      )
      const existing = ctx.state.accessSettings.find((s) => s.scope === scope && s.scopeId === scopeId)
      if (existing) existing.settings = settings
      else ctx.state.accessSettings.push({ scope, scopeId, settings })
      return { status: 202, ...settingsList(settings) }
    }),
    route.read('GET', base, (ctx, { scopeId }) => {
      const request = pageRequest(ctx.query, { fallback: 50, min: 1, max: 1000 })
      const certs = ctx.state.accessCertificates.filter((c) => c.scope === scope && c.scopeId === scopeId)
      return pageResult(certs, request, view)
    }),
    route.write('POST', base, (ctx, { scopeId, zones }) => {
      const body = bodyObject(ctx)
      const name = requiredString(body, 'name')
      const hostnames = checkHostnames(stringArray(body, 'associated_hostnames', false) ?? [], zones)
      const pem = requiredString(body, 'certificate')
      const facts = pkiInput(CODES.certificateParse, () => parseCertificates(pem))
      const root = facts[0]!
      if (!root.isCa)
        throw new ApiError(
          400,
          CODES.notCa,
          'Access needs a CA certificate (basicConstraints CA:TRUE) to check client certificates against; this one is a leaf.',
        )
      const mine = ctx.state.accessCertificates.filter((c) => c.scope === scope && c.scopeId === scopeId)
      if (mine.some((c) => c.fingerprint === root.md5Fingerprint))
        throw new ApiError(400, CODES.accessDuplicate, 'This certificate is already uploaded to Access here.')
      if (mine.length >= ctx.limits.accessCertificates) {
        throw new ApiError(
          400,
          CODES.accessQuota,
          `The maximum number of certificates has been reached (${ctx.limits.accessCertificates}).`,
        )
      }
      const at = new Date(ctx.now).toISOString()
      const cert: AccessCertRecord = {
        id: randomUUID(),
        scope,
        scopeId,
        name,
        certificate: root.pem,
        fingerprint: root.md5Fingerprint,
        expiresOn: root.expiresOn,
        associatedHostnames: hostnames,
        createdAt: at,
        updatedAt: at,
      }
      ctx.state.accessCertificates.push(cert)
      return { status: 201, result: view(cert) }
    }),
    route.read('GET', `${base}/:certificate_id`, (ctx, { scopeId }) => ({ result: view(findCert(ctx, scope, scopeId)) })),
    route.write('PUT', `${base}/:certificate_id`, (ctx, { scopeId, zones }) => {
      const cert = findCert(ctx, scope, scopeId)
      const body = bodyObject(ctx)
      cert.associatedHostnames = checkHostnames(stringArray(body, 'associated_hostnames', true)!, zones)
      const name = optionalString(body, 'name')
      if (name !== undefined && name.trim() !== '') cert.name = name
      cert.updatedAt = new Date(ctx.now).toISOString()
      return { result: view(cert) }
    }),
    route.write('DELETE', `${base}/:certificate_id`, (ctx, { scopeId }) => {
      const cert = findCert(ctx, scope, scopeId)
      if (cert.associatedHostnames.length > 0) {
        throw new ApiError(
          400,
          CODES.accessInUse,
          `Certificate ${cert.id} is still associated with ${cert.associatedHostnames.join(', ')}; ` +
            'update it with "associated_hostnames": [] first.',
        )
      }
      ctx.state.accessCertificates = ctx.state.accessCertificates.filter((c) => c !== cert)
      return { result: { id: cert.id } }
    }),
  ]
}

export const accessCertificateRoutes: Route[] = [...routesFor('accounts'), ...routesFor('zones')]
