import type { Result } from '../../../shared/errors'
import type { Profile, ProfileAddRequest } from '../../../shared/model'
import type { SliceCreator } from '.'
import { attempt } from '../api'
import { emptyList } from './scope'

export interface ProfilesSlice {
  profiles: Profile[]
  profilesLoaded: boolean
  loadProfiles(): Promise<Result<Profile[]>>
  /** Resolves to the new profile; a failure is toasted. */
  addProfile(request: ProfileAddRequest): Promise<Result<Profile>>
  removeProfile(id: string): Promise<Result<unknown>>
  /** Back to the Sandbox's demo data: certificates, roots and Gateway state as first seeded. */
  resetSandbox(): Promise<Result<unknown>>
}

export const createProfilesSlice: SliceCreator<ProfilesSlice> = (set, get, api) => ({
  profiles: [],
  profilesLoaded: false,
  loadProfiles: async () => {
    const result = await attempt(() => api.profiles.list())
    if (result.ok) set({ profiles: result.value, profilesLoaded: true })
    get().report(result)
    return result
  },
  addProfile: async (request) => {
    const result = await attempt(() => api.profiles.add(request))
    if (result.ok) {
      const profile = result.value
      set({ profiles: [...get().profiles, profile] })
      if (!get().settings?.activeProfileId) await get().updateSettings({ activeProfileId: profile.id })
    }
    get().report(result, result.ok ? `Profile "${result.value.name}" added.` : undefined)
    return result
  },
  resetSandbox: async () => {
    const result = await attempt(() => api.sandbox.reset())
    // Every list read from the account is stale now: forget them, so each screen reads afresh when shown.
    if (result.ok)
      set({ certs: emptyList(), hostnames: emptyList(), gatewayCerts: emptyList(), accessRoots: emptyList(), mtlsCas: emptyList() })
    get().report(result, 'The Sandbox account is back to its demo data.')
    return result
  },
  removeProfile: async (id) => {
    const profile = get().profiles.find((p) => p.id === id)
    const result = await attempt(async () => {
      await api.profiles.remove({ id })
      set({ profiles: get().profiles.filter((p) => p.id !== id) })
      await get().loadSettings()
    })
    get().report(result, `Profile "${profile?.name ?? id}" removed, and its token deleted from the keychain.`)
    return result
  },
})
