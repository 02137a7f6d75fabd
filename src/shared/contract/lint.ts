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
      /** Path validation (RFC 5280 6.1): the time to validate at, the purpose, the peer's host name or IP. */
      at: z.iso.datetime({ offset: true }).optional(),
      purpose: z.enum(['client', 'server']).optional(),
      peer: z.string().min(1).max(253).optional(),
      /** Anchor the path in this machine's trusted roots instead of the file's top certificate. */
      systemRoots: z.boolean().optional(),
    }),
    response: CertificateCheck,
  },
  'lint:rules': { request: NoInput, response: z.array(RuleInfo) },
} as const
