/**
 * mTLS hostname associations of a zone's CA (Cloudflare-managed, or a BYO CA by id). Replacing is
 * two steps: plan (what will be added, removed, kept) and then replace with the list the plan saw,
 * so a change made elsewhere in between is refused instead of overwritten.
 */
import type { HostnamePlan } from '../../../shared/cloudflare-model'
import type { SliceCreator } from '.'
import { errorText } from '../api'
import type { ZoneKey } from './clientCerts'

export interface HostnameTarget extends ZoneKey {
  /** Absent: the zone's Cloudflare-managed CA. */
  mtlsCertificateId?: string
}

export interface HostnamesSlice {
  hostnames: string[]
  hostnamesKey: string | null
  hostnamesLoading: boolean
  hostnamesError: { message: string; hint?: string } | null
  loadHostnames(target: HostnameTarget): Promise<void>
  planHostnames(target: HostnameTarget, hostnames: string[]): Promise<{ current: string[]; plan: HostnamePlan } | null>
  replaceHostnames(target: HostnameTarget, hostnames: string[], expectedCurrent: string[]): Promise<boolean>
}

const keyOf = (t: HostnameTarget) => `${t.profileId}/${t.zoneId}/${t.mtlsCertificateId ?? 'managed'}`
const request = (t: HostnameTarget) => ({
  profileId: t.profileId,
  zoneId: t.zoneId,
  ...(t.mtlsCertificateId ? { mtlsCertificateId: t.mtlsCertificateId } : {}),
})

export const createHostnamesSlice: SliceCreator<HostnamesSlice> = (set, get, api) => ({
  hostnames: [],
  hostnamesKey: null,
  hostnamesLoading: false,
  hostnamesError: null,
  loadHostnames: async (target) => {
    const key = keyOf(target)
    set({ hostnamesLoading: true, hostnamesError: null, ...(get().hostnamesKey === key ? {} : { hostnames: [], hostnamesKey: key }) })
    try {
      const hostnames = await api.hostnames.get(request(target))
      if (get().hostnamesKey === key) set({ hostnames, hostnamesLoading: false })
    } catch (error) {
      if (get().hostnamesKey === key) set({ hostnamesError: errorText(error), hostnamesLoading: false })
    }
  },
  planHostnames: async (target, hostnames) => {
    try {
      return await api.hostnames.plan({ ...request(target), hostnames })
    } catch (error) {
      get().toastError(error)
      return null
    }
  },
  replaceHostnames: async (target, hostnames, expectedCurrent) => {
    try {
      const result = await api.hostnames.replace({ ...request(target), hostnames, expectedCurrent })
      if (get().hostnamesKey === keyOf(target)) set({ hostnames: result.hostnames })
      get().toast(
        'success',
        result.changed
          ? `Hostnames saved: ${result.plan.added.length} added, ${result.plan.removed.length} removed.`
          : 'Nothing to change: the list was already like this.',
      )
      return true
    } catch (error) {
      get().toastError(error)
      return false
    }
  },
})
