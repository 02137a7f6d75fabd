/** App, settings, profiles, activity, jobs and the certificate checker. */
import type { Handlers } from '../dispatch'
import { listRules } from '../lint'
import { checkCertificate } from '../lint/check'
import type { Services } from '../services'

type FoundationChannels = Pick<
  Handlers,
  | 'app:info'
  | 'settings:get'
  | 'settings:set'
  | 'profiles:list'
  | 'profiles:add'
  | 'profiles:remove'
  | 'activity:list'
  | 'lint:check'
  | 'lint:rules'
  | 'jobs:cancel'
  | 'sandbox:reset'
>

export function createFoundationHandlers(services: Services): FoundationChannels {
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
    'sandbox:reset': async () => {
      await (await services.sandbox.handle()).reset()
      activity.record({ action: 'sandbox.reset', target: 'Sandbox', objectName: 'Sandbox' })
      return { reset: true as const }
    },
    'jobs:cancel': ({ jobId }) => ({ cancelled: services.jobs.cancel(jobId) }),
  }
}
