/** `clientCerts:*`: a zone's client certificates (Cloudflare docs: Client certificates). */
import { z } from 'zod'
import {
  BulkRevokeResult,
  ClientCertificateCreateResult,
  ClientCertificateSummary,
  ClientCertStatusFilter,
  MAX_VALIDITY_DAYS,
} from '../cloudflare-model'
import { VaultEntry } from '../pki-model'
import { Id, JobId, Pem, req, Zone } from './fields'
import { KeyId } from './keys'

export const clientCertsContract = {
  'clientCerts:list': {
    request: req({ ...Zone, status: ClientCertStatusFilter.default('all'), jobId: JobId.optional() }),
    response: z.array(ClientCertificateSummary),
  },
  'clientCerts:get': { request: req({ ...Zone, id: Id }), response: ClientCertificateSummary },
  'clientCerts:createFromCsr': {
    request: req({ ...Zone, csrPem: Pem, validityDays: z.number().int().min(1).max(MAX_VALIDITY_DAYS) }),
    response: ClientCertificateCreateResult,
  },
  'clientCerts:revoke': { request: req({ ...Zone, id: Id }), response: ClientCertificateSummary },
  'clientCerts:reactivate': { request: req({ ...Zone, id: Id }), response: ClientCertificateSummary },
  'clientCerts:bulkRevoke': { request: req({ ...Zone, ids: z.array(Id).min(1).max(50_000), jobId: JobId }), response: BulkRevokeResult },
  /** Step 2 of the create wizard: issue the vault key's CSR at Cloudflare and link the certificate to the key. */
  'clientCerts:issueForKey': {
    request: req({
      ...Zone,
      keyId: KeyId,
      validityDays: z.number().int().min(1).max(MAX_VALIDITY_DAYS),
      /** Reissue with the same key: the key's certificate is replaced in its link (the old one stays at Cloudflare). */
      replace: z.boolean().optional(),
    }),
    /** `replaced`: the certificate the key was linked to before a same-key reissue (its id, to revoke it). */
    response: ClientCertificateCreateResult.extend({
      key: VaultEntry,
      replaced: z.object({ sha256: z.string(), cloudflareId: z.string().optional() }).optional(),
    }),
  },
} as const
