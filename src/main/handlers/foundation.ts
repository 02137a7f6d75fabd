/**
 * The contract's implementation: each channel is a thin call into a service.
 * Requests arrive already validated by dispatch.ts; responses are re-validated there.
 */
import type { Handlers } from './dispatch'
import { listRules } from './lint'
import { checkCertificate } from './lint/check'
import type { Services } from './services'

export function createHandlers(services: Services): Handlers {
  const { settings, profiles, activity, options } = services
  return {
    'app:info': () => ({
      name: 'Certdesk',
      version: options.appVersion,
      platform: process.platform,
      arch: process.arch,
      versions: { node: process.versions.node, ...options.versions },
      userDataDir: options.userDataDir,
      storageProblems: services.storageProblems,
    }),
    'settings:get': () => settings.get(),
    'settings:set': (patch) => settings.set(patch),
    'profiles:list': () => profiles.list(),
    'profiles:add': (request) => profiles.add(request),
    'profiles:remove': async ({ id }) => {
      const removed = await profiles.remove(id)
      if (removed && settings.get().activeProfileId === id) settings.set({ activeProfileId: null })
      return { removed }
    },
    'activity:list': (query) => activity.list(query),
    'lint:check': ({ input, profile, expiringDays }) =>
      checkCertificate(input, { profile, expiringDays: expiringDays ?? settings.get().expiringSoonDays }),
    'lint:rules': () => listRules(),
    'jobs:cancel': ({ jobId }) => ({ cancelled: services.jobs.cancel(jobId) }),
  }
}
