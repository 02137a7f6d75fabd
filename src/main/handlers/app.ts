/** `app:*`: what the app is and where it keeps its data. */
import type { Services } from '../services'
import type { HandlersOf } from './index'

export function createAppHandlers(services: Services): HandlersOf<'app'> {
  const { options } = services
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
  }
}
