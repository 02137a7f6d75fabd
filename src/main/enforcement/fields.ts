// The request fields the Sandbox evaluates in Rules-language expressions (Cloudflare docs: "Configure mTLS",
// "Fields reference"). Names and value shapes follow Cloudflare: booleans for the three flags, upper-case hex
// without colons for the fingerprint, serial and key identifiers, DN strings, dates as OpenSSL prints them
// ("Mar 21 13:35:00 2022 GMT"), and empty strings
// when the client presented no certificate.

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
  /** As OpenSSL prints it ("Mar 21 13:35:00 2022 GMT"); '' without a certificate. */
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

export const CLIENT_AUTH_PREFIX = 'cf.tls_client_auth.'

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

export type FieldType = 'bool' | 'string'

const CLIENT_AUTH_TYPES: Record<keyof ClientAuthFields, FieldType> = {
  cert_presented: 'bool',
  cert_verified: 'bool',
  cert_revoked: 'bool',
  cert_fingerprint_sha256: 'string',
  cert_issuer_dn: 'string',
  cert_subject_dn: 'string',
  cert_serial: 'string',
  cert_ski: 'string',
  cert_issuer_ski: 'string',
  cert_not_before: 'string',
  cert_not_after: 'string',
}

/** Every field the Sandbox evaluates, with its type. Any other field parses but is "not evaluated". */
export const SUPPORTED_FIELDS: ReadonlyMap<string, FieldType> = new Map<string, FieldType>([
  ...Object.entries(CLIENT_AUTH_TYPES).map(([name, type]) => [CLIENT_AUTH_PREFIX + name, type] as [string, FieldType]),
  ['http.host', 'string'],
  ['http.request.uri.path', 'string'],
  ['http.request.method', 'string'],
])

/** The value of a supported field for a request; undefined for a field the Sandbox does not evaluate. */
export function fieldValue(request: EdgeRequest, field: string): boolean | string | undefined {
  if (field === 'http.host') return request.host
  if (field === 'http.request.uri.path') return request.path
  if (field === 'http.request.method') return request.method
  if (field.startsWith(CLIENT_AUTH_PREFIX)) {
    const key = field.slice(CLIENT_AUTH_PREFIX.length)
    if (Object.hasOwn(CLIENT_AUTH_TYPES, key)) return request.tls[key as keyof ClientAuthFields]
  }
  return undefined
}
