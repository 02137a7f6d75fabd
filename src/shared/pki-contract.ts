/**
 * The key part of the IPC contract: keys are generated, kept (encrypted) and used in main; the
 * renderer sees vault entries, CSRs and certificates, and asks for exports through a save dialog.
 */
import { z } from 'zod'
import { ClientCertificateCreateResult, GatewayUploadResult, MAX_VALIDITY_DAYS } from './cloudflare-model'
import { JobId } from './cloudflare-contract'
import { CertificateCheck } from './lint-model'
import { CsrSubject, KeyType, SanEntry, VaultEntry, VaultKeyRow } from './pki-model'

const req = <T extends z.ZodRawShape>(shape: T) => z.object(shape).strict()
const KeyId = z.string().regex(/^[0-9a-f]{32}$/)
const Password = z.string().min(8, 'Use a password of at least 8 characters').max(1024)

/** The subject as the wizard's form sends it; main validates lengths and country against RFC 5280. */
const SubjectInput = CsrSubject.extend({ cn: z.string().trim().min(1, 'A common name is required').max(64) })

export const ExportFormat = z.enum([
  'certificate-pem',
  'certificate-der',
  'key-pkcs8-encrypted',
  'key-pem-unencrypted',
  'pkcs12',
  'pkcs12-legacy',
])
export type ExportFormat = z.infer<typeof ExportFormat>
/** The formats that are encrypted with a password the user chooses (the unencrypted key is not). */
export const PASSWORD_FORMATS: ReadonlySet<ExportFormat> = new Set(['key-pkcs8-encrypted', 'pkcs12', 'pkcs12-legacy'])

export const pkiContract = {
  /** Every vault key, newest first, each with its certificate decoded (name, issuer, expiry). */
  'keys:list': { request: z.undefined(), response: z.array(VaultKeyRow) },
  /** Step 1 of the create wizard: a new key (saved in the vault first) and its CSR. */
  'keys:newCsr': {
    request: req({
      keyType: KeyType,
      subject: SubjectInput,
      sans: z.array(z.string().trim().min(1).max(300)).max(100).default([]),
      label: z.string().trim().max(200).optional(),
      jobId: JobId.optional(),
    }),
    /** `decoded` is read back from the CSR itself, so the review step shows what Cloudflare will see. */
    response: z.object({
      key: VaultEntry,
      csrPem: z.string(),
      decoded: z.object({ subject: z.string(), sans: z.array(SanEntry), keyType: KeyType }),
    }),
  },
  /**
   * A local root CA for Access mTLS or an account CA upload: key saved in the vault first, the
   * certificate linked to it, and the root-ca lint report (Python strict included).
   */
  'keys:newRoot': {
    request: req({
      cn: z.string().trim().min(1, 'A common name is required').max(64),
      o: z.string().trim().max(64).optional(),
      keyType: KeyType,
      days: z.number().int().min(1).max(10_950),
      /** Optional name constraints: certificates under this root are valid only for these DNS names. */
      permittedDns: z.array(z.string().trim().min(1).max(253)).max(20).default([]),
      jobId: JobId.optional(),
    }),
    response: z.object({ key: VaultEntry, certificatePem: z.string(), check: CertificateCheck }),
  },
  'keys:delete': { request: req({ id: KeyId }), response: z.object({ deleted: z.boolean() }) },
  /** Writes the chosen export where the user picks in a save dialog; null when they cancel. */
  'keys:export': {
    request: req({ id: KeyId, format: ExportFormat, password: Password.optional() }).refine(
      (r) => !PASSWORD_FORMATS.has(r.format) || r.password !== undefined,
      'Encrypted key and PKCS#12 exports need a password',
    ),
    response: z.object({ savedTo: z.string().nullable() }),
  },
  /**
   * Any certificate the app shows (vault or not, e.g. every row of the client certificate list) saved
   * as PEM or DER through main's save dialog; null when the dialog was cancelled.
   */
  'certificates:save': {
    request: req({
      pem: z.string().min(1).max(65_536),
      format: z.enum(['certificate-pem', 'certificate-der']),
      name: z.string().trim().max(200),
    }),
    response: z.object({ savedTo: z.string().nullable() }),
  },
  /** Step 2: issue the vault key's CSR at Cloudflare and link the certificate to the key. */
  'clientCerts:issueForKey': {
    request: req({
      profileId: z.uuid(),
      zoneId: z.string().min(1).max(64),
      keyId: KeyId,
      validityDays: z.number().int().min(1).max(MAX_VALIDITY_DAYS),
    }),
    response: ClientCertificateCreateResult.extend({ key: VaultEntry }),
  },
  /** BYOPKI step 1: a root with the extensions seed 003 requires, key in the vault, linted. */
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
