/**
 * The origin leg: Authenticated Origin Pulls (the client certificate Cloudflare presents to the origin) and
 * Origin CA certificates (origin server certificates signed by Cloudflare's Origin CA), as the app shows them.
 */
import { z } from 'zod'
import { UploadedCertificateFacts } from './cloudflare-model'

/** A certificate's deployment state at Cloudflare (AOP), as the API names it. */
export const AopStatus = z.enum([
  'initializing',
  'pending_deployment',
  'pending_deletion',
  'active',
  'deleted',
  'deployment_timed_out',
  'deletion_timed_out',
])
export type AopStatus = z.infer<typeof AopStatus>

/** Zone-level (presented for every hostname of the zone) or per-hostname (presented where it is associated). */
export const AopKind = z.enum(['zone', 'hostname'])
export type AopKind = z.infer<typeof AopKind>

export const AopCertificate = z.object({
  id: z.string(),
  kind: AopKind,
  status: AopStatus.optional(),
  ...UploadedCertificateFacts.shape,
  /** The certificate's PEM (never its key: Cloudflare does not return it, and Certdesk would not pass it on). */
  certificate: z.string().optional(),
})
export type AopCertificate = z.infer<typeof AopCertificate>

/** A zone's AOP: whether zone-level AOP is on, and its certificates of both kinds. */
export const AopOverview = z.object({
  enabled: z.boolean(),
  zoneCertificates: z.array(AopCertificate),
  hostnameCertificates: z.array(AopCertificate),
})
export type AopOverview = z.infer<typeof AopOverview>

/** A hostname's per-hostname AOP: the certificate it presents, its state and expiry; `enabled: null` = no association. */
export const AopHostname = z.object({
  hostname: z.string(),
  certId: z.string().optional(),
  certStatus: AopStatus.optional(),
  enabled: z.boolean().nullable(),
  ...UploadedCertificateFacts.omit({ uploadedOn: true }).shape,
})
export type AopHostname = z.infer<typeof AopHostname>

/** What Cloudflare's Origin CA signs: RSA, ECDSA, or a Keyless SSL server's certificate. */
export const OriginCaRequestType = z.enum(['origin-rsa', 'origin-ecc', 'keyless-certificate'])
export type OriginCaRequestType = z.infer<typeof OriginCaRequestType>

/** The only validities (days) Cloudflare's Origin CA accepts: 7 days to 15 years. */
export const ORIGIN_CA_VALIDITY_DAYS = [7, 30, 90, 365, 730, 1095, 5475] as const
export const OriginCaValidity = z.union(ORIGIN_CA_VALIDITY_DAYS.map((d) => z.literal(d)))
export type OriginCaValidity = (typeof ORIGIN_CA_VALIDITY_DAYS)[number]

export const OriginCaCertificate = z.object({
  id: z.string(),
  hostnames: z.array(z.string()),
  requestType: OriginCaRequestType.optional(),
  validityDays: z.number().optional(),
  expiresOn: z.string().optional(),
  /** The signed certificate's PEM, to install on the origin with the key that stayed on this machine. */
  certificate: z.string().optional(),
})
export type OriginCaCertificate = z.infer<typeof OriginCaCertificate>
