/**
 * Which CA a zone's hostnames check client certificates against
 * (`/zones/{id}/certificate_authorities/hostname_associations`). PUT replaces the whole list for one
 * CA; `[]` removes all; no `mtls_certificate_id` means the zone's Cloudflare Managed CA.
 */
import {
  bodyHostnames,
  bodyObject,
  CODES,
  findOr404,
  invalid,
  optionalString,
  scopedRoutes,
  zoneFromPath,
  type Route,
  type RouteContext,
} from '../http'
import type { HostnameAssociation, ZoneRecord } from '../state'

const route = scopedRoutes(zoneFromPath, { read: 'SSL and Certificates Read', write: 'SSL and Certificates Write' })

function caKey(ctx: RouteContext, zone: ZoneRecord, id: string | undefined | null): string | null {
  if (id === undefined || id === null || id === '') return null
  const cert = findOr404(ctx.state.mtlsCertificates, 'mTLS certificate', id, (m) => m.id === id && m.accountId === zone.accountId)
  if (!cert.ca) throw invalid(`mTLS certificate ${id} is not a CA certificate; only CA uploads can be associated with hostnames.`)
  return id
}

function entry(ctx: RouteContext, zoneId: string, mtlsCertificateId: string | null): HostnameAssociation | undefined {
  return ctx.state.hostnameAssociations.find((a) => a.zoneId === zoneId && a.mtlsCertificateId === mtlsCertificateId)
}

export const hostnameAssociationRoutes: Route[] = [
  route.read('GET', '/zones/:zone_id/certificate_authorities/hostname_associations', (ctx, zone) => {
    const key = caKey(ctx, zone, ctx.query.get('mtls_certificate_id'))
    return { result: { hostnames: [...(entry(ctx, zone.id, key)?.hostnames ?? [])] } }
  }),
  route.write('PUT', '/zones/:zone_id/certificate_authorities/hostname_associations', (ctx, zone) => {
    const body = bodyObject(ctx)
    const key = caKey(ctx, zone, optionalString(body, 'mtls_certificate_id'))
    const hostnames = bodyHostnames(body, 'hostnames', [zone], CODES.hostnameNotInZone, `zone ${zone.name}`)
    // A hostname checks against one CA: moving it here takes it away from any other CA of the zone.
    for (const other of ctx.state.hostnameAssociations) {
      if (other.zoneId === zone.id && other.mtlsCertificateId !== key)
        other.hostnames = other.hostnames.filter((h) => !hostnames.includes(h))
    }
    const existing = entry(ctx, zone.id, key)
    if (existing) existing.hostnames = hostnames
    else ctx.state.hostnameAssociations.push({ zoneId: zone.id, mtlsCertificateId: key, hostnames })
    ctx.state.hostnameAssociations = ctx.state.hostnameAssociations.filter((a) => a.hostnames.length > 0)
    return { result: { hostnames } }
  }),
]
