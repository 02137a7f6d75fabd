/**
 * Cloudflare data as the renderer sees it: summaries of API objects (never tokens or private keys),
 * the token identity report, hostname plans and bulk-job results. Main builds these from SDK objects
 * in src/main/cloudflare/; the renderer imports only the types.
 */
import { z } from 'zod'
import { VALIDITY_YEARS, validityDaysForYears } from './constants'
import { AccountRef, ErrorMessage, Progress, ZoneRef } from './model'

// ---------------------------------------------------------------------------------------------
// API Shield client certificates (zone, Cloudflare-managed CA)

export const ClientCertStatus = z.enum(['active', 'pending_reactivation', 'pending_revocation', 'revoked'])
export type ClientCertStatus = z.infer<typeof ClientCertStatus>

/** The list filter: a status, or `all`. */
export const ClientCertStatusFilter = z.enum(['all', ...ClientCertStatus.options])
export type ClientCertStatusFilter = z.infer<typeof ClientCertStatusFilter>

export { VALIDITY_YEARS, validityDaysForYears }

/** Largest validity Cloudflare accepts for a client certificate (30 years). */
export const MAX_VALIDITY_DAYS = 10_950

export const ClientCertificateSummary = z.object({
  id: z.string(),
  zoneId: z.string(),
  status: ClientCertStatus,
  commonName: z.string(),
  organization: z.string().optional(),
  organizationalUnit: z.string().optional(),
  country: z.string().optional(),
  state: z.string().optional(),
  location: z.string().optional(),
  serialNumber: z.string().optional(),
  fingerprintSha256: z.string().optional(),
  ski: z.string().optional(),
  signature: z.string().optional(),
  issuedOn: z.string().optional(),
  expiresOn: z.string().optional(),
  validityDays: z.number().int().optional(),
  certificateAuthority: z.object({ id: z.string().optional(), name: z.string().optional() }).optional(),
  /** The issued certificate, PEM. */
  certificate: z.string().optional(),
})
export type ClientCertificateSummary = z.infer<typeof ClientCertificateSummary>

export const ClientCertificatePage = z.object({
  items: z.array(ClientCertificateSummary),
  page: z.number().int().min(1),
  perPage: z.number().int(),
  /** Total across all pages, when the API said so. */
  totalCount: z.number().int().nullable(),
  totalPages: z.number().int().nullable(),
})
export type ClientCertificatePage = z.infer<typeof ClientCertificatePage>

/** How a create ended: issued by this request, or found already issued after a lost answer. */
export const ClientCertificateCreateResult = z.object({
  certificate: ClientCertificateSummary,
  /** True when the answer was lost and the certificate was found by its CSR instead of re-issuing. */
  recovered: z.boolean(),
  attempts: z.number().int().min(1),
})
export type ClientCertificateCreateResult = z.infer<typeof ClientCertificateCreateResult>

// ---------------------------------------------------------------------------------------------
// Bulk jobs and progress

/** A job's progress without the job: what Cloudflare operations report as they go. */
export const CloudflareProgress = Progress.pick({ done: true, total: true, message: true })
export type CloudflareProgress = z.infer<typeof CloudflareProgress>

export const BulkFailure = z.object({ id: z.string(), code: z.string(), ...ErrorMessage.shape })
export type BulkFailure = z.infer<typeof BulkFailure>

export const BulkResult = z.object({
  succeeded: z.array(z.string()),
  failed: z.array(BulkFailure),
  /** Requests the rate limiter had to repeat (429 or transient 5xx) during the job. */
  retries: z.number().int().min(0),
  cancelled: z.boolean(),
})
export type BulkResult = z.infer<typeof BulkResult>

/**
 * What became of one certificate of a bulk revoke: `done` (Cloudflare has it revoked or pending
 * revocation), `failed` (refused, with the reason in `failed`), `not_sent` (cancelled before its
 * request went out, or a read after the cancel shows it unchanged), `unknown` (its request was in
 * flight when cancelled and no read could tell).
 */
export const BulkItemOutcome = z.enum(['done', 'failed', 'not_sent', 'unknown'])
export type BulkItemOutcome = z.infer<typeof BulkItemOutcome>

export const BulkRevokeItem = z.object({
  id: z.string(),
  /** Empty when Cloudflare was not asked (not sent) and no read named it. */
  commonName: z.string(),
  outcome: BulkItemOutcome,
  /** The status Cloudflare reported, when an answer or a read said. */
  status: ClientCertStatus.optional(),
})
export type BulkRevokeItem = z.infer<typeof BulkRevokeItem>

/** A bulk revoke's result: `items` holds every requested certificate, in request order. */
export const BulkRevokeResult = BulkResult.extend({ items: z.array(BulkRevokeItem) })
export type BulkRevokeResult = z.infer<typeof BulkRevokeResult>

// ---------------------------------------------------------------------------------------------
// Tokens and identity

export const TokenStatus = z.enum(['active', 'disabled', 'expired'])
export type TokenStatus = z.infer<typeof TokenStatus>

export const PermissionCheck = z.object({
  /** Cloudflare's permission name, e.g. "SSL and Certificates Write". */
  permission: z.string(),
  /** What Certdesk needs it for, in a few words. */
  purpose: z.string(),
  /** granted, missing, or unknown (no zone/account to probe, or the probe failed for another reason). */
  state: z.enum(['granted', 'missing', 'unknown']),
  /** The zone or account name the probe ran against. */
  probedOn: z.string().optional(),
})
export type PermissionCheck = z.infer<typeof PermissionCheck>

export const TokenIdentity = z.object({
  tokenId: z.string(),
  status: TokenStatus,
  /** user tokens verify at /user/tokens/verify; account-owned tokens only at /accounts/{id}/tokens/verify. */
  owner: z.enum(['user', 'account']),
  expiresOn: z.string().optional(),
  notBefore: z.string().optional(),
  accounts: z.array(AccountRef),
  zones: z.array(ZoneRef.extend({ accountId: z.string().optional() })),
  permissions: z.array(PermissionCheck),
  /** Names of the permissions found missing (a convenience over `permissions`). */
  missing: z.array(z.string()),
})
export type TokenIdentity = z.infer<typeof TokenIdentity>

// ---------------------------------------------------------------------------------------------
// Hostnames

/** What replacing a hostname list will do, computed before the PUT that replaces the whole list. */
export const HostnamePlan = z.object({
  added: z.array(z.string()),
  removed: z.array(z.string()),
  kept: z.array(z.string()),
})
export type HostnamePlan = z.infer<typeof HostnamePlan>

// ---------------------------------------------------------------------------------------------
// Access mTLS roots

export const AccessScope = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('account'), accountId: z.string() }),
  z.object({ kind: z.literal('zone'), zoneId: z.string() }),
])
export type AccessScope = z.infer<typeof AccessScope>

export const AccessCertificateSummary = z.object({
  id: z.string(),
  name: z.string(),
  /** Cloudflare's MD5 fingerprint string, as sent. */
  fingerprint: z.string().optional(),
  expiresOn: z.string().optional(),
  associatedHostnames: z.array(z.string()),
})
export type AccessCertificateSummary = z.infer<typeof AccessCertificateSummary>

export const AccessHostnameSetting = z.object({
  hostname: z.string(),
  chinaNetwork: z.boolean(),
  clientCertificateForwarding: z.boolean(),
})
export type AccessHostnameSetting = z.infer<typeof AccessHostnameSetting>

// ---------------------------------------------------------------------------------------------
// Account mTLS certificates (BYO CA, BYOPKI uploads)

/** What Cloudflare reports of a certificate uploaded to it (an mTLS CA, an AOP certificate); what it leaves out is absent. */
export const UploadedCertificateFacts = z.object({
  issuer: z.string().optional(),
  serialNumber: z.string().optional(),
  expiresOn: z.string().optional(),
  uploadedOn: z.string().optional(),
})
export type UploadedCertificateFacts = z.infer<typeof UploadedCertificateFacts>

export const MtlsCertificateType = z.enum(['custom', 'gateway_managed', 'access_managed'])
export type MtlsCertificateType = z.infer<typeof MtlsCertificateType>

/** An account mTLS certificate as a list names it: its id, and the name it was uploaded with, when it has one. */
export const MtlsCertificateRef = z.object({ id: z.string(), name: z.string().optional() })

export const MtlsCertificateSummary = z.object({
  ...MtlsCertificateRef.shape,
  ca: z.boolean(),
  signature: z.string().optional(),
  type: MtlsCertificateType.optional(),
  ...UploadedCertificateFacts.shape,
})
export type MtlsCertificateSummary = z.infer<typeof MtlsCertificateSummary>

export const MtlsAssociation = z.object({ service: z.string(), status: z.string() })
export type MtlsAssociation = z.infer<typeof MtlsAssociation>

// ---------------------------------------------------------------------------------------------
// Zero Trust Gateway certificates

/** `active` is what older material calls `available`; it is folded into `available` on the way in. */
export const GatewayBindingStatus = z.enum(['pending_deployment', 'available', 'pending_deletion', 'inactive'])
export type GatewayBindingStatus = z.infer<typeof GatewayBindingStatus>

export const GatewayCertificateSummary = z.object({
  id: z.string(),
  type: z.enum(['custom', 'gateway_managed']).optional(),
  bindingStatus: GatewayBindingStatus.optional(),
  inUse: z.boolean(),
  /** SHA-256, upper-case colon-hex with every byte two digits (Cloudflare's form normalised). */
  fingerprint: z.string().optional(),
  issuerOrg: z.string().optional(),
  expiresOn: z.string().optional(),
  uploadedOn: z.string().optional(),
  createdAt: z.string().optional(),
  certificate: z.string().optional(),
})
export type GatewayCertificateSummary = z.infer<typeof GatewayCertificateSummary>

export const GatewayUploadResult = z.object({
  mtlsCertificateId: z.string(),
  gateway: GatewayCertificateSummary,
  /** How the Gateway certificate was found after the upload. */
  matchedBy: z.enum(['id', 'fingerprint']),
})
export type GatewayUploadResult = z.infer<typeof GatewayUploadResult>
