import type { Profile, ProfileAddRequest } from '../../../shared/model'
import type { SliceCreator } from '.'

export interface ProfilesSlice {
  profiles: Profile[]
  profilesLoaded: boolean
  loadProfiles(): Promise<void>
  /** Resolves to the new profile, or null when adding failed (the error is toasted). */
  addProfile(request: ProfileAddRequest): Promise<Profile | null>
  removeProfile(id: string): Promise<void>
  /** Back to the Sandbox's demo data: certificates, roots and Gateway state as first seeded. */
  resetSandbox(): Promise<void>
}

export const createProfilesSlice: SliceCreator<ProfilesSlice> = (set, get, api) => ({
  profiles: [],
  profilesLoaded: false,
  loadProfiles: async () => {
    try {
      set({ profiles: await api.profiles.list(), profilesLoaded: true })
    } catch (error) {
      get().toastError(error)
    }
  },
  addProfile: async (request) => {
    try {
      const profile = await api.profiles.add(request)
      set({ profiles: [...get().profiles, profile] })
      if (!get().settings?.activeProfileId) await get().updateSettings({ activeProfileId: profile.id })
      get().toast('success', `Profile "${profile.name}" added.`)
      return profile
    } catch (error) {
      get().toastError(error)
      return null
    }
  },
  resetSandbox: async () => {
    try {
      await api.sandbox.reset()
      // Every list read from the account is stale now: forget them, so each screen reads afresh when shown.
      set({
        certs: [],
        certsKey: null,
        hostnamesKey: null,
        gatewayCerts: [],
        gatewayKey: null,
        inspectionId: null,
        accessKey: null,
        mtlsKey: null,
      })
      get().toast('success', 'The Sandbox account is back to its demo data.')
    } catch (error) {
      get().toastError(error)
    }
  },
  removeProfile: async (id) => {
    const profile = get().profiles.find((p) => p.id === id)
    try {
      await api.profiles.remove({ id })
      set({ profiles: get().profiles.filter((p) => p.id !== id) })
      await get().loadSettings()
      get().toast('success', `Profile "${profile?.name ?? id}" removed, and its token deleted from the keychain.`)
    } catch (error) {
      get().toastError(error)
    }
  },
})
