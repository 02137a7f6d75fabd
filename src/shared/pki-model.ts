/**
 * What the PKI engine and the key vault hand to the renderer (and the CLI's --json): key types, CSR
 * subjects, CA requests and vault entries. Private keys never appear here — they stay in main.
 */
import { z } from 'zod'
import { KEY_TYPES } from './constants'
import { CertificateNames } from './model'

export { KEY_TYPES }
export const KeyType = z.enum(KEY_TYPES)
export type KeyType = z.infer<typeof KeyType>

export const SIGN_PROFILES = ['client', 'server', 'intermediate'] as const
export const SignProfile = z.enum(SIGN_PROFILES)
export type SignProfile = z.infer<typeof SignProfile>

/** Subject fields of a CSR; limits are RFC 5280 upper bounds (ub-common-name 64, ub-locality-name 128, …). */
export const CsrSubject = z.object({
  cn: z.string(),
  o: z.string().optional(),
  ou: z.string().optional(),
  c: z.string().optional(),
  st: z.string().optional(),
  l: z.string().optional(),
  email: z.string().optional(),
})
export type CsrSubject = z.infer<typeof CsrSubject>

/** Subject alternative names as typed by a person: `DNS:api.example.com`, `IP:10.0.0.1`, `URI:spiffe://…`. */
export const SanEntry = z.object({ type: z.enum(['dns', 'ip', 'uri', 'email']), value: z.string() })
export type SanEntry = z.infer<typeof SanEntry>

export const PkiKind = z.enum(['certificate', 'chain', 'csr', 'private-key', 'encrypted-private-key', 'public-key', 'pkcs12', 'pkcs7'])
export type PkiKind = z.infer<typeof PkiKind>

/** What `detect` found in a dropped, chosen or pasted input. */
export const DetectedSummary = z.object({
  kind: PkiKind,
  format: z.enum(['pem', 'der']),
  description: z.string(),
  certificateCount: z.number().int().nonnegative(),
  itemKinds: z.array(PkiKind),
})
export type DetectedSummary = z.infer<typeof DetectedSummary>

/** The certificate linked to a vault key once it has been issued (by Cloudflare or a local CA). */
export const VaultCertificate = z.object({
  pem: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  cloudflareId: z.string().optional(),
  zoneId: z.string().optional(),
})
export type VaultCertificate = z.infer<typeof VaultCertificate>

export const VaultEntry = z.object({
  id: z.string().regex(/^[0-9a-f]{32}$/),
  keyType: KeyType,
  createdAt: z.iso.datetime(),
  label: z.string(),
  csrPem: z.string().optional(),
  certificate: VaultCertificate.optional(),
})
export type VaultEntry = z.infer<typeof VaultEntry>

/** What the Keys screen and `certdesk vault list` show of a key's certificate, decoded in main. */
export const VaultCertificateInfo = z.object({
  commonName: z.string(),
  ...CertificateNames.shape,
  notAfter: z.iso.datetime(),
  selfSigned: z.boolean(),
})
export type VaultCertificateInfo = z.infer<typeof VaultCertificateInfo>

/** A vault entry as listed: the entry and, when it has one, its certificate decoded. */
export const VaultKeyRow = VaultEntry.extend({ certificateInfo: VaultCertificateInfo.optional() })
export type VaultKeyRow = z.infer<typeof VaultKeyRow>

/**
 * A client-certificate create, recorded in the vault before the request is sent and removed once its
 * certificate is known (and linked to its key). A pending one means the outcome is unknown: a retry,
 * a restart or `reconcile` looks the CSR up at Cloudflare before anything is sent again.
 */
export const CreateIntent = z.object({
  id: z.string().regex(/^[0-9a-f]{32}$/),
  /** SHA-256 of the CSR's DER: with the zone, what makes two creates the same. */
  csrSha256: z.string().regex(/^[0-9a-f]{64}$/),
  zoneId: z.string().min(1),
  zoneName: z.string().optional(),
  profileId: z.string().min(1),
  /** The vault key the certificate is linked to once found; absent for a user's own CSR. */
  keyId: z
    .string()
    .regex(/^[0-9a-f]{32}$/)
    .optional(),
  validityDays: z.number().int().min(1),
  startedAt: z.iso.datetime(),
  csrPem: z.string(),
})
export type CreateIntent = z.infer<typeof CreateIntent>

export const VaultIndex = z.object({ version: z.literal(1), entries: z.array(VaultEntry), intents: z.array(CreateIntent).optional() })
export type VaultIndex = z.infer<typeof VaultIndex>
