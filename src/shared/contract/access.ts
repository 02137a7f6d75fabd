/** `access:*`: Access mTLS roots of an account or zone (Cloudflare docs: Mutual TLS authentication for Access). */
import { z } from 'zod'
import { AccessCertificateSummary, AccessHostnameSetting } from '../cloudflare-model'
import { Access, Hostnames, Id, JobId, Pem, req } from './fields'

export const accessContract = {
  'access:list': { request: req(Access), response: z.array(AccessCertificateSummary) },
  'access:add': {
    request: req({ ...Access, name: z.string().trim().min(1).max(200), certificatePem: Pem, hostnames: Hostnames.optional() }),
    response: AccessCertificateSummary,
  },
  'access:updateHostnames': { request: req({ ...Access, id: Id, hostnames: Hostnames }), response: AccessCertificateSummary },
  'access:delete': {
    request: req({ ...Access, id: Id, jobId: JobId.optional() }),
    response: z.object({ id: z.string(), detached: z.array(z.string()), attempts: z.number().int() }),
  },
  'access:settings': { request: req(Access), response: z.array(AccessHostnameSetting) },
  'access:updateSettings': {
    request: req({ ...Access, settings: z.array(AccessHostnameSetting).max(1000) }),
    response: z.array(AccessHostnameSetting),
  },
} as const
