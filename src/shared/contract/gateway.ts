/** `gateway:*`: the certificates Gateway signs inspected traffic with (Cloudflare docs: TLS decryption). */
import { z } from 'zod'
import { GatewayCertificateSummary, GatewayUploadResult } from '../cloudflare-model'
import { CertificateCheck } from '../lint-model'
import { VaultEntry } from '../pki-model'
import { Account, Id, JobId, req } from './fields'
import { KeyId } from './keys'

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
  /**
   * BYOPKI step 1: a root with the extensions Gateway requires (Cloudflare docs: Deploy a custom
   * (BYOPKI) root certificate), key in the vault, linted.
   */
  'gateway:generateRoot': {
    request: req({
      cn: z.string().trim().min(1).max(64),
      o: z.string().trim().max(64).optional(),
      keyType: z.enum(['rsa-2048', 'rsa-4096']),
      days: z.number().int().min(1).max(10_950),
      jobId: JobId.optional(),
    }),
    response: z.object({ key: VaultEntry, certificatePem: z.string(), strict: CertificateCheck, gateway: CertificateCheck }),
  },
  /**
   * BYOPKI step 1, the other way: an existing corporate root and its key (PEM, PKCS#1/SEC1/PKCS#8,
   * possibly encrypted). Checked to match and linted; the key is saved in the vault only when the
   * gateway-byopki check passes (key null otherwise: nothing kept).
   */
  'gateway:importRoot': {
    request: req({
      certificatePem: z.string().trim().min(1, 'Give the root certificate (PEM)').max(65_536),
      keyPem: z.string().trim().min(1, 'Give the root’s private key (PEM)').max(65_536),
      passphrase: z.string().max(1024).optional(),
      label: z.string().trim().max(200).optional(),
    }),
    response: z.object({ key: VaultEntry.nullable(), certificatePem: z.string(), strict: CertificateCheck, gateway: CertificateCheck }),
  },
  /** BYOPKI step 2: upload the root with its vault key, and find the Gateway certificate it became. */
  'gateway:uploadRoot': {
    request: req({
      ...Account,
      keyId: KeyId,
      name: z.string().trim().max(200).optional(),
      jobId: JobId.optional(),
    }),
    response: GatewayUploadResult,
  },
} as const
