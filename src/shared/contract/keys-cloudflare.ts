/**
 * The four Cloudflare channels that need a vault key (served by the KeyService).
 * Moved into clientCerts.ts / gateway.ts at merge: `clientCerts:issueForKey` belongs to the
 * clientCerts namespace, the three `gateway:*Root` channels to gateway.
 */
import { z } from 'zod'
import { ClientCertificateCreateResult, GatewayUploadResult, MAX_VALIDITY_DAYS } from '../cloudflare-model'
import { JobId } from '../cloudflare-contract'
import { CertificateCheck } from '../lint-model'
import { VaultEntry } from '../pki-model'
import { req } from './fields'
import { KeyId } from './keys'

export const keysCloudflareContract = {
  /** Step 2 of the create wizard: issue the vault key's CSR at Cloudflare and link the certificate to the key. */
  'clientCerts:issueForKey': {
    request: req({
      profileId: z.uuid(),
      zoneId: z.string().min(1).max(64),
      keyId: KeyId,
      validityDays: z.number().int().min(1).max(MAX_VALIDITY_DAYS),
    }),
    response: ClientCertificateCreateResult.extend({ key: VaultEntry }),
  },
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
      profileId: z.uuid(),
      accountId: z.string().min(1).max(64),
      keyId: KeyId,
      name: z.string().trim().max(200).optional(),
      jobId: JobId.optional(),
    }),
    response: GatewayUploadResult,
  },
} as const
