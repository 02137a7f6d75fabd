/**
 * Access mTLS root certificates and their hostname settings, at account and at zone level
 * (`/{accounts|zones}/{id}/access/certificates[/settings]`).
 */
import { randomUUID } from 'node:crypto'
import { parseCertificates, PkiInputError } from '../ca'
import {
  ApiError,
  bodyObject,
  CODES,
  findAccount,
  findZone,
  hostnameInZone,
  invalid,
  notFound,
  optionalString,
  paginate,
  queryInt,
  requiredString,
  requirePermission,
  requireRead,
  stringArray,
  type Route,
  type RouteContext,
} from '../http'
import type { AccessCertRecord, AccessHostnameSetting, Scope, ZoneRecord } from '../state'

const READ = 'Access: Mutual TLS Certificates Read' as const
const WRITE = 'Access: Mutual TLS Certificates Write' as const

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

/** The scope from the path, checked to exist; and the zones whose hostnames it may use. */
function scopeOf(ctx: RouteContext, scope: Scope): { scopeId: string; zones: ZoneRecord[] } {
  if (scope === 'accounts') {
    const account = findAccount(ctx, ctx.params['account_id'])
    return { scopeId: account.id, zones: ctx.state.zones.filter((z) => z.accountId === account.id) }
  }
  const zone = findZone(ctx, ctx.params['zone_id'])
  return { scopeId: zone.id, zones: [zone] }
}

function findCert(ctx: RouteContext, scope: Scope, scopeId: string): AccessCertRecord {
  const id = ctx.params['certificate_id']!
  const cert = ctx.state.accessCertificates.find((c) => c.scope === scope && c.scopeId === scopeId && c.id === id)
  if (!cert) throw notFound('Access mTLS certificate', id)
  return cert
}

function checkHostnames(hostnames: string[], zones: ZoneRecord[]): string[] {
  const clean = [...new Set(hostnames.map((h) => h.trim().toLowerCase()))]
  const outside = clean.filter((h) => !zones.some((z) => hostnameInZone(h, z.name)))
  if (outside.length) {
    throw new ApiError(
      400,
      CODES.accessHostnameNotInAccount,
      `Hostnames not in this ${zones.length === 1 ? 'zone' : "account's zones"}: ${outside.join(', ')}.`,
    )
  }
  return clean
}

function routesFor(scope: Scope): Route[] {
  const base = scope === 'accounts' ? '/accounts/:account_id/access/certificates' : '/zones/:zone_id/access/certificates'
  return [
    {
      method: 'GET',
      path: `${base}/settings`,
      handler: (ctx) => {
        const { scopeId } = scopeOf(ctx, scope)
        requireRead(ctx, READ, WRITE)
        const settings = ctx.state.accessSettings.find((s) => s.scope === scope && s.scopeId === scopeId)?.settings ?? []
        return {
          result: settings.map((s) => ({ ...s })),
          resultInfo: {
            page: 1,
            per_page: Math.max(settings.length, 1),
            count: settings.length,
            total_count: settings.length,
            total_pages: 1,
          },
        }
      },
    },
    {
      method: 'PUT',
      path: `${base}/settings`,
      handler: (ctx) => {
        const { scopeId, zones } = scopeOf(ctx, scope)
        requirePermission(ctx, WRITE)
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
        return {
          status: 202,
          result: settings.map((s) => ({ ...s })),
          resultInfo: {
            page: 1,
            per_page: Math.max(settings.length, 1),
            count: settings.length,
            total_count: settings.length,
            total_pages: 1,
          },
        }
      },
    },
    {
      method: 'GET',
      path: base,
      handler: (ctx) => {
        const { scopeId } = scopeOf(ctx, scope)
        requireRead(ctx, READ, WRITE)
        const page = queryInt(ctx.query, 'page', 1, 1, Number.MAX_SAFE_INTEGER)
        const perPage = queryInt(ctx.query, 'per_page', 50, 1, 1000)
        const certs = ctx.state.accessCertificates.filter((c) => c.scope === scope && c.scopeId === scopeId)
        const { page: items, info } = paginate(certs, page, perPage)
        return { result: items.map(view), resultInfo: info }
      },
    },
    {
      method: 'POST',
      path: base,
      handler: (ctx) => {
        const { scopeId, zones } = scopeOf(ctx, scope)
        requirePermission(ctx, WRITE)
        const body = bodyObject(ctx)
        const name = requiredString(body, 'name')
        const hostnames = checkHostnames(stringArray(body, 'associated_hostnames', false) ?? [], zones)
        const pem = requiredString(body, 'certificate')
        let facts
        try {
          facts = parseCertificates(pem)
        } catch (error) {
          if (error instanceof PkiInputError) throw new ApiError(400, CODES.certificateParse, error.message)
          throw error
        }
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
      },
    },
    {
      method: 'GET',
      path: `${base}/:certificate_id`,
      handler: (ctx) => {
        const { scopeId } = scopeOf(ctx, scope)
        requireRead(ctx, READ, WRITE)
        return { result: view(findCert(ctx, scope, scopeId)) }
      },
    },
    {
      method: 'PUT',
      path: `${base}/:certificate_id`,
      handler: (ctx) => {
        const { scopeId, zones } = scopeOf(ctx, scope)
        requirePermission(ctx, WRITE)
        const cert = findCert(ctx, scope, scopeId)
        const body = bodyObject(ctx)
        cert.associatedHostnames = checkHostnames(stringArray(body, 'associated_hostnames', true)!, zones)
        const name = optionalString(body, 'name')
        if (name !== undefined && name.trim() !== '') cert.name = name
        cert.updatedAt = new Date(ctx.now).toISOString()
        return { result: view(cert) }
      },
    },
    {
      method: 'DELETE',
      path: `${base}/:certificate_id`,
      handler: (ctx) => {
        const { scopeId } = scopeOf(ctx, scope)
        requirePermission(ctx, WRITE)
        const cert = findCert(ctx, scope, scopeId)
        if (cert.associatedHostnames.length > 0) {
          throw new ApiError(
            400,
            CODES.accessInUse,
            `Certificate ${cert.id} is still associated with ${cert.associatedHostnames.join(', ')}; update it with "associated_hostnames": [] first.`,
          )
        }
        ctx.state.accessCertificates = ctx.state.accessCertificates.filter((c) => c !== cert)
        return { result: { id: cert.id } }
      },
    },
  ]
}

export const accessCertificateRoutes: Route[] = [...routesFor('accounts'), ...routesFor('zones')]
