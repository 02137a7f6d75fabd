/**
 * `keys:*`: keys are generated, kept (encrypted) and used in main; the renderer sees vault entries,
 * CSRs and certificates, and asks for exports through a save dialog.
 */
import { z } from 'zod'
import { CertificateCheck } from '../lint-model'
import { CsrSubject, KeyType, SanEntry, VaultEntry, VaultKeyRow } from '../pki-model'
import { JobId, NoInput, req } from './fields'

/** A vault key's id. */
export const KeyId = z.string().regex(/^[0-9a-f]{32}$/)
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

export const keysContract = {
  /** Every vault key, newest first, each with its certificate decoded (name, issuer, expiry). */
  'keys:list': { request: NoInput, response: z.array(VaultKeyRow) },
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
  /**
   * A vault CA's certificate re-issued with the same key (same subject, SKI and extensions; new serial and validity),
   * linked in place of the old one, so every certificate the CA issued stays valid. `days` omitted: as long as before.
   */
  'keys:reissueCa': {
    request: req({ id: KeyId, days: z.number().int().min(1).max(36_500).optional(), jobId: JobId.optional() }),
    response: z.object({
      key: VaultEntry,
      certificatePem: z.string(),
      serialNumber: z.string(),
      notAfter: z.iso.datetime(),
      previous: z.object({ sha256: z.string(), serialNumber: z.string(), notAfter: z.iso.datetime() }),
    }),
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
} as const
