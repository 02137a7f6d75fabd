// The request shape the edge hands to the rules evaluator. The same shape as `src/main/enforcement/fields.ts`
// (the rules evaluator's side); at merge this file becomes a re-export of that one.

/** The eleven `cf.tls_client_auth.*` fields, keyed by their name after the `cf.tls_client_auth.` prefix. */
export interface ClientAuthFields {
  cert_presented: boolean
  /** True for a certificate that chains to the hostname's CA, even when it is revoked. */
  cert_verified: boolean
  cert_revoked: boolean
  /** Upper-case hex, no colons; '' without a certificate. */
  cert_fingerprint_sha256: string
  cert_issuer_dn: string
  cert_subject_dn: string
  /** Upper-case hex; '' without a certificate. */
  cert_serial: string
  cert_ski: string
  cert_issuer_ski: string
  cert_not_before: string
  cert_not_after: string
}

/** What the edge knows about one request when it evaluates a zone's custom rules. */
export interface EdgeRequest {
  /** The Host (lower-case, without port). */
  host: string
  /** The URI path, without the query string. */
  path: string
  /** Upper-case HTTP method. */
  method: string
  tls: ClientAuthFields
}

/** The fields of a request that presented no client certificate. */
export const NO_CLIENT_CERTIFICATE: Readonly<ClientAuthFields> = Object.freeze({
  cert_presented: false,
  cert_verified: false,
  cert_revoked: false,
  cert_fingerprint_sha256: '',
  cert_issuer_dn: '',
  cert_subject_dn: '',
  cert_serial: '',
  cert_ski: '',
  cert_issuer_ski: '',
  cert_not_before: '',
  cert_not_after: '',
})
