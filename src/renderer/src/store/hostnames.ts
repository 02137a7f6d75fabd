/**
 * mTLS hostname associations of a zone's CA (Cloudflare-managed, or a BYO CA by id). Replacing is
 * two steps: plan (what will be added, removed, kept) and then replace with the list the plan saw,
 * so a change made elsewhere in between is refused instead of overwritten.
 */
import type { HostnamePlan } from '../../../shared/cloudflare-model'
import type { Result } from '../../../shared/errors'
import type { SliceCreator } from '.'
import { attempt } from '../api'
import { emptyList, scopedList, scopeId, type ScopedList, type ZoneScope } from './scope'

export interface HostnameTarget extends ZoneScope {
  /** Absent: the zone's Cloudflare-managed CA. */
  mtlsCertificateId?: string
}

export interface HostnamesSlice {
  hostnames: ScopedList<string>
  loadHostnames(target: HostnameTarget): Promise<void>
  planHostnames(target: HostnameTarget, hostnames: string[]): Promise<Result<{ current: string[]; plan: HostnamePlan }>>
  replaceHostnames(target: HostnameTarget, hostnames: string[], expectedCurrent: string[]): Promise<Result<unknown>>
}

/** The zone and the CA: each CA of a zone has its own list. */
const targetId = (t: HostnameTarget) => `${scopeId.zone(t)}/${t.mtlsCertificateId ?? 'managed'}`
const request = (t: HostnameTarget) => ({
  profileId: t.profileId,
  zoneId: t.zoneId,
  ...(t.mtlsCertificateId ? { mtlsCertificateId: t.mtlsCertificateId } : {}),
})

export const createHostnamesSlice: SliceCreator<HostnamesSlice> = (set, get, api) => {
  const list = scopedList(set, get, 'hostnames')
  return {
    hostnames: emptyList(),
    loadHostnames: (target) => list.load(targetId(target), () => api.hostnames.get(request(target))),
    planHostnames: async (target, hostnames) => {
      const result = await attempt(() => api.hostnames.plan({ ...request(target), hostnames }))
      get().report(result)
      return result
    },
    replaceHostnames: async (target, hostnames, expectedCurrent) => {
      const result = await attempt(() => api.hostnames.replace({ ...request(target), hostnames, expectedCurrent }))
      if (result.ok) list.update(targetId(target), () => result.value.hostnames)
      const saved = result.ok ? result.value : null
      get().report(
        result,
        saved?.changed
          ? `Hostnames saved: ${saved.plan.added.length} added, ${saved.plan.removed.length} removed.`
          : 'Nothing to change: the list was already like this.',
      )
      return result
    },
  }
}
