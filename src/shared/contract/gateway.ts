/** `gateway:*`: the certificates Gateway signs inspected traffic with (Cloudflare docs: TLS decryption). */
import { z } from 'zod'
import { GatewayCertificateSummary } from '../cloudflare-model'
import { Account, Id, JobId, req } from './fields'

export const gatewayContract = {
  'gateway:list': { request: req(Account), response: z.array(GatewayCertificateSummary) },
  'gateway:create': {
    request: req({ ...Account, validityDays: z.number().int().min(1).max(10_950).optional() }),
    response: GatewayCertificateSummary,
  },
  'gateway:activate': {
    request: req({ ...Account, id: Id, wait: z.boolean().default(false), jobId: JobId.optional() }),
    response: GatewayCertificateSummary,
  },
  'gateway:watch': { request: req({ ...Account, id: Id, jobId: JobId }), response: GatewayCertificateSummary },
  'gateway:useForInspection': { request: req({ ...Account, id: Id }), response: z.object({ certificateId: z.string() }) },
  'gateway:inspectionCertificate': { request: req(Account), response: z.object({ certificateId: z.string().nullable() }) },
  'gateway:deactivate': { request: req({ ...Account, id: Id }), response: GatewayCertificateSummary },
  'gateway:delete': { request: req({ ...Account, id: Id }), response: z.object({ id: z.string() }) },
} as const
