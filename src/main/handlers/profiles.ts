/** `profiles:*`: list, add and remove profiles (`profiles:verify` calls Cloudflare: see cloudflare.ts). */
import type { Services } from '../services'
import type { HandlersOf } from './index'

export function createProfilesHandlers({ profiles, settings }: Services): Omit<HandlersOf<'profiles'>, 'profiles:verify'> {
  return {
    'profiles:list': () => profiles.list(),
    'profiles:add': (request) => profiles.add(request),
    'profiles:remove': async ({ id }) => {
      const removed = await profiles.remove(id)
      if (removed && settings.get().activeProfileId === id) settings.set({ activeProfileId: null })
      return { removed }
    },
  }
}
