/** `lint:*`: the certificate checker. */
import { listRules } from '../lint'
import { checkCertificate } from '../lint/check'
import type { Services } from '../services'
import type { HandlersOf } from './index'

export function createLintHandlers({ settings }: Services): HandlersOf<'lint'> {
  return {
    'lint:check': ({ input, profile, expiringDays, ...path }) =>
      checkCertificate(input, { profile, expiringDays: expiringDays ?? settings.get().expiringSoonDays, ...path }),
    'lint:rules': () => listRules(),
  }
}
