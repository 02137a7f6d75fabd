/** `mtls:*`: an account's mTLS certificates, the CAs that zones check client certificates against. */
import { z } from 'zod'
import { MtlsAssociation, MtlsCertificateSummary, MtlsCertificateType } from '../cloudflare-model'
import { Account, Id, Pem, req } from './fields'

export const mtlsContract = {
  'mtls:list': { request: req({ ...Account, types: z.array(MtlsCertificateType).optional() }), response: z.array(MtlsCertificateSummary) },
  // BYO CA for API Shield needs no private key; keys for Gateway roots come from the vault, never the renderer.
  'mtls:upload': {
    request: req({ ...Account, name: z.string().trim().max(200).optional(), chainPem: Pem }),
    response: MtlsCertificateSummary,
  },
  'mtls:associations': { request: req({ ...Account, id: Id }), response: z.array(MtlsAssociation) },
  'mtls:delete': { request: req({ ...Account, id: Id }), response: z.object({ id: z.string() }) },
} as const
