/** `profiles:*`: list, add, remove and verify profiles (verify asks Cloudflare about the token). */
import type { Services } from '../services'
import type { HandlersOf } from './index'

export function createProfilesHandlers({ profiles, settings }: Services): HandlersOf<'profiles'> {
  return {
    'profiles:list': () => profiles.list(),
    'profiles:add': (request) => profiles.add(request),
    'profiles:remove': async ({ id }) => {
      const removed = await profiles.remove(id)
      if (removed && settings.get().activeProfileId === id) settings.set({ activeProfileId: null })
      return { removed }
    },
    'profiles:verify': ({ id }) => profiles.refreshIdentity(id),
  }
}
