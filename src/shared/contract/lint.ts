/** `lint:*`: the certificate checker and the rules it knows. */
import { z } from 'zod'
import { CertificateCheck, CertificateInput, LintProfileId, RuleInfo } from '../lint-model'
import { NoInput, req } from './fields'

export const lintContract = {
  'lint:check': {
    request: req({
      input: CertificateInput,
      profile: LintProfileId.default('auto'),
      expiringDays: z.number().int().min(1).max(3650).optional(),
    }),
    response: CertificateCheck,
  },
  'lint:rules': { request: NoInput, response: z.array(RuleInfo) },
} as const
