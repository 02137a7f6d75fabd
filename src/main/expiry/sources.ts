/**
 * Where the radar's certificates come from: one source per (profile, scope, surface) on Cloudflare, read through the
 * app's own operations (CloudflareService.run, so errors have the app's words and requests share the token's rate
 * budget), plus the vault's certificates and the roots installed on this machine (local.ts).
 * What a listing costs in requests is counted where they are sent (requests.ts).
 */
import { SURFACE_FACTS, type ExpirySurface, type ExpiryWhere } from '../../shared/expiry-model'
import type { Profile } from '../../shared/model'
import type { CloudflareService } from '../cloudflare'
import { listClientCertificatePages } from '../cloudflare/client-certificates'
import type { Entry } from './radar'

export interface Source {
  key: string
  surface: ExpirySurface
  label: string
  profileId?: string
  where: ExpiryWhere
  fetch(signal: AbortSignal | undefined): Promise<Entry[]>
}

const has = <T extends { expiresOn?: string | undefined }>(c: T): c is T & { expiresOn: string } => Boolean(c.expiresOn)

/** The sources of one profile: its zones' and accounts' listings (the zones and accounts the profile knows). */
export function cloudflareSources(cloudflare: CloudflareService, profile: Profile): Source[] {
  const profileId = profile.id
  const sources: Source[] = []
  const source = (
    surface: ExpirySurface,
    scope: { zoneId?: string; zoneName?: string; accountId?: string; accountName?: string },
    fetch: Source['fetch'],
  ) => {
    const [kind, id, name] = scope.zoneId ? ['zone', scope.zoneId, scope.zoneName] : ['account', scope.accountId, scope.accountName]
    const text = `${profile.name} · ${kind} ${name ?? id}`
    sources.push({
      key: `${surface}:${profileId}:${kind}:${id}`,
      surface,
      label: `${text} · ${SURFACE_FACTS[surface].plural}`,
      profileId,
      where: { profileId, profileName: profile.name, ...scope, text },
      fetch,
    })
  }
  for (const zone of profile.zones) {
    const scope = { zoneId: zone.id, zoneName: zone.name }
    const request = { profileId, zoneId: zone.id }
    source('clientCert', scope, async (signal) => {
      const client = await cloudflare.client(profileId)
      const at = await cloudflare.zoneScope(profileId, zone.id)
      const entries: Entry[] = []
      for await (const page of listClientCertificatePages(client, at, { status: 'active', signal }))
        for (const c of page.items) if (has(c)) entries.push({ id: c.id, name: c.commonName, notAfter: c.expiresOn })
      return entries
    })
    source('accessRoot', scope, async (signal) => {
      const list = await cloudflare.run('access.list', { profileId, scope: { kind: 'zone', zoneId: zone.id } }, { signal })
      return list.filter(has).map((c) => ({ id: c.id, name: c.name, notAfter: c.expiresOn }))
    })
    source('aopCert', scope, async (signal) => {
      const aop = await cloudflare.run('aop.list', request, { signal })
      const entries = [...aop.zoneCertificates, ...aop.hostnameCertificates].filter(has).map((c) => ({
        id: c.id,
        name: `${c.kind === 'zone' ? 'Zone-level' : 'Per-hostname'} AOP certificate${c.issuer ? ` (${c.issuer})` : ''}`,
        notAfter: c.expiresOn,
      }))
      return entries
    })
    source('originCaCert', scope, async (signal) => {
      const list = await cloudflare.run('originCa.list', request, { signal })
      const entries = list
        .filter(has)
        .map((c) => ({ id: c.id, name: c.hostnames.join(', ') || c.id, notAfter: c.expiresOn, hostnames: c.hostnames }))
      return entries
    })
  }
  for (const account of profile.accounts) {
    const scope = { accountId: account.id, accountName: account.name }
    const request = { profileId, accountId: account.id }
    source('accessRoot', scope, async (signal) => {
      const list = await cloudflare.run('access.list', { profileId, scope: { kind: 'account', accountId: account.id } }, { signal })
      return list.filter(has).map((c) => ({ id: c.id, name: c.name, notAfter: c.expiresOn }))
    })
    source('mtlsCert', scope, async (signal) => {
      // A custom Gateway root is an account mTLS certificate too: it is listed once, as a Gateway root.
      const list = await cloudflare.run('mtls.list', { ...request, types: ['custom'] }, { signal })
      const gateway = await cloudflare.run('gateway.list', request, { signal }).catch(() => [])
      const roots = new Set(gateway.map((g) => g.id))
      const entries = list
        .filter((c) => has(c) && !roots.has(c.id))
        .map((c) => ({ id: c.id, name: c.name || c.issuer || c.id, notAfter: c.expiresOn! }))
      return entries
    })
    source('gatewayRoot', scope, async (signal) => {
      const list = await cloudflare.run('gateway.list', request, { signal })
      const entries = list.filter(has).map((c) => ({
        id: c.id,
        name: `${c.type === 'gateway_managed' ? 'Cloudflare-generated' : 'Custom'} Gateway root${c.inUse ? ' (in use)' : ''}`,
        notAfter: c.expiresOn,
      }))
      return entries
    })
  }
  return sources
}
