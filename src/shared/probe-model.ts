/**
 * "Test access": what one real HTTPS request to an mTLS-protected hostname showed, with and without a
 * client certificate. Main's probe (src/main/enforcement/probe.ts) builds it; the IPC channel and the CLI
 * carry it as is. Public facts only: never a private key, never a header or body beyond the ray id and the
 * rule the server named.
 */
import { z } from 'zod'
import { CertificateNames } from './model'

export const ProbeOutcome = z.enum(['allowed', 'blocked'])
export type ProbeOutcome = z.infer<typeof ProbeOutcome>

/** Who stopped a blocked request: Cloudflare (or the Sandbox edge) with its block page, the TLS handshake, or the server. */
export const ProbeBlocker = z.enum(['cloudflare', 'tls', 'server'])
export type ProbeBlocker = z.infer<typeof ProbeBlocker>

/** The public facts of a certificate: enough to name it, nothing secret. */
export const ProbeCertificate = z.object({
  ...CertificateNames.shape,
  serialNumber: z.string(),
  /** Upper-case hex, no colons (as `cf.tls_client_auth.cert_fingerprint_sha256`). */
  fingerprintSha256: z.string(),
  notAfter: z.string(),
})
export type ProbeCertificate = z.infer<typeof ProbeCertificate>

export const ProbeTls = z.object({
  /** `TLSv1.3`, `TLSv1.2`. */
  protocol: z.string().nullable(),
  /** Whether the server sent a CertificateRequest (asked the client for a certificate) during the handshake. */
  clientCertificateRequested: z.boolean(),
  /** Whether a certificate was presented in answer (asked for, and one was given). */
  clientCertificateSent: z.boolean(),
  serverCertificate: ProbeCertificate.nullable(),
  /**
   * Whether the server's chain verified against the trusted CAs (the system's, plus the extra CA given) and names the
   * hostname; null when the server refused the handshake before its certificate was checked.
   */
  serverTrusted: z.boolean().nullable(),
  /** Whether the server's chain leads to the extra CA given (the Sandbox Edge CA); null when none was given or not checked. */
  chainedToGivenCa: z.boolean().nullable(),
})
export type ProbeTls = z.infer<typeof ProbeTls>

/** The rule the server says blocked or let the request through (the Sandbox edge's `x-sandbox-rule*` headers). */
export const ProbeRule = z.object({
  id: z.string().nullable(),
  description: z.string().nullable(),
})
export type ProbeRule = z.infer<typeof ProbeRule>

/** The Sandbox edge's answer headers about the Cloudflare → origin leg, by fact (real Cloudflare sends none). */
export const ORIGIN_LEG_HEADERS = {
  /** hostname | zone | global | none | disabled: where the presented AOP certificate came from. */
  pullSource: 'x-sandbox-origin-pull',
  /** The AOP certificate's id, or `global`. */
  pullCertificateId: 'x-sandbox-origin-pull-certificate-id',
  /** SHA-256 of the presented AOP certificate, lower-case hex. */
  pullFingerprint: 'x-sandbox-origin-pull-fingerprint',
  /** What the https origin's certificate showed: SHA-256 (lower-case hex), subject, issuer, notAfter (ISO). */
  originCertFingerprint: 'x-sandbox-origin-cert-fingerprint',
  originCertSubject: 'x-sandbox-origin-cert-subject',
  originCertIssuer: 'x-sandbox-origin-cert-issuer',
  originCertNotAfter: 'x-sandbox-origin-cert-not-after',
  /** On a 52x page: Node's code for what failed (e.g. CERT_HAS_EXPIRED, ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED). */
  originError: 'x-sandbox-origin-error',
} as const

/**
 * The Cloudflare → origin leg of one request: Cloudflare's 52x answers (525: the origin refused the handshake, e.g.
 * the client certificate Cloudflare presented; 526: the origin's certificate failed Full (strict); 521: the origin
 * refused the connection) and, from the Sandbox edge, which AOP certificate was presented and what the origin showed.
 */
export const ProbeOriginLeg = z.object({
  reached: z.boolean(),
  /** Where the presented AOP certificate came from: hostname, zone, global, none or disabled; null when not told. */
  presented: z.string().nullable(),
  presentedCertificateId: z.string().nullable(),
  presentedFingerprint: z.string().nullable(),
  originCertificate: z
    .object({
      fingerprint: z.string().nullable(),
      subject: z.string().nullable(),
      issuer: z.string().nullable(),
      notAfter: z.string().nullable(),
    })
    .nullable(),
  error: z.string().nullable(),
  verdict: z.string(),
})
export type ProbeOriginLeg = z.infer<typeof ProbeOriginLeg>

export const ProbeAttempt = z.object({
  /** Whether this request offered a client certificate. */
  withCertificate: z.boolean(),
  /** The client certificate offered (public facts only); null for the request without one. */
  clientCertificate: ProbeCertificate.nullable(),
  outcome: ProbeOutcome,
  /** Who blocked it; null when allowed. */
  blockedBy: ProbeBlocker.nullable(),
  /** The HTTP status; null when the TLS handshake refused the request before any HTTP answer. */
  status: z.number().int().nullable(),
  /** The `cf-ray` header, or the Ray ID printed on a Cloudflare block page. */
  rayId: z.string().nullable(),
  rule: ProbeRule.nullable(),
  /** Fields or functions the Sandbox edge said it did not evaluate (`x-sandbox-not-evaluated`): the outcome is not exact. */
  notEvaluated: z.array(z.string()),
  tls: ProbeTls,
  /** One sentence in the user's words. */
  verdict: z.string(),
  durationMs: z.number().nonnegative(),
  /** What is known of the Cloudflare → origin leg (absent when the request never got an HTTP answer). */
  originLeg: ProbeOriginLeg.optional(),
})
export type ProbeAttempt = z.infer<typeof ProbeAttempt>

export const ProbeResult = z.object({
  url: z.string(),
  /** The address connected to (from `resolve`), or null when DNS chose it. */
  connectedTo: z.string().nullable(),
  /** The request with the certificate first (when one was given), then the one without. */
  attempts: z.array(ProbeAttempt).min(1),
  expect: ProbeOutcome.nullable(),
  /**
   * Whether the outcome is the one expected, judged on the first attempt (the one with the certificate
   * when one was given); null when nothing was expected.
   */
  pass: z.boolean().nullable(),
  /** One sentence over every attempt, in the user's words. */
  verdict: z.string(),
})
export type ProbeResult = z.infer<typeof ProbeResult>

/** `HOST:PORT:ADDR` as curl's `--resolve` (an IPv6 ADDR in brackets). */
export const RESOLVE_PATTERN = /^([^:\s[\]]+):(\d{1,5}):(\[[0-9A-Fa-f:.]+\]|[^:\s[\]]+)$/
