/**
 * Plain constants the renderer needs at run time. Kept apart from the zod model files so the
 * renderer bundle never pulls in zod (it imports models as types only).
 */
export const LINT_PROFILES = [
  'auto',
  'root-ca',
  'intermediate-ca',
  'client',
  'server',
  'cloudflare-upload',
  'gateway-byopki',
  'python-strict',
] as const

/** The client-certificate validity choices the dashboard offers; 10 is its default (Cloudflare docs: Create a client certificate). */
export const VALIDITY_YEARS = [1, 2, 3, 5, 10, 15] as const

/** Cloudflare counts validity in days; a "year" is 365 days, as in the dashboard (10 years = 3650). */
export function validityDaysForYears(years: number): number {
  return years * 365
}

/** Cloudflare's API, where a Cloudflare profile's calls go unless it names another base URL. */
export const CLOUDFLARE_API_URL = 'https://api.cloudflare.com/client/v4'

export const KEY_TYPES = ['rsa-2048', 'rsa-3072', 'rsa-4096', 'ec-p256', 'ec-p384'] as const

/**
 * The write permissions the screens check before offering a change, named as Cloudflare's token
 * editor names them and as the token probe (src/main/cloudflare/tokens.ts) reports them missing.
 */
export const WRITE_PERMISSION = {
  zoneCertificates: 'SSL and Certificates Write',
  accessRoots: 'Access: Mutual TLS Certificates Write',
  accountCertificates: 'Account: SSL and Certificates Write',
} as const

/** The keys Cloudflare's managed CA issues client certificates for: the one wording every message and hint uses. */
export const CLOUDFLARE_CLIENT_KEYS = 'RSA 2048 bits or larger, or ECDSA P-256 or P-384'
export const CLOUDFLARE_CLIENT_KEYS_SENTENCE = `Cloudflare issues client certificates only for ${CLOUDFLARE_CLIENT_KEYS} keys.`

/**
 * Share of Cloudflare's per-user rate budget (1200 requests / 5 min) Certdesk uses by default: the rest is left for the
 * dashboard and other tools.
 */
export const DEFAULT_RATE_SHARE = 0.8
/** The smallest share a user may set. */
export const MIN_RATE_SHARE = 0.05
/** The shares the Settings screen offers. */
export const RATE_SHARE_CHOICES = [0.5, 0.6, 0.7, 0.8, 0.9, 1] as const
