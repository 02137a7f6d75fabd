/** `sandbox:*`: the built-in Sandbox account. */
import type { Services } from '../services'
import type { HandlersOf } from './index'

export function createSandboxHandlers({ sandbox, activity }: Services): HandlersOf<'sandbox'> {
  return {
    'sandbox:reset': async () => {
      await (await sandbox.handle()).reset()
      activity.record({ action: 'sandbox.reset', target: 'Sandbox', objectName: 'Sandbox' })
      return { reset: true as const }
    },
  }
}
