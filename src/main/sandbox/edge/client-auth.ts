/**
 * The `cf.tls_client_auth.*` fields of one request, as Cloudflare's edge fills them (Cloudflare docs: "Configure
 * mTLS", "Client certificate variables"): from the connection's peer certificate, verified against the CA the
 * request's hostname is associated with (the zone's managed CA, or an account BYO CA), and the Sandbox's
 * revocation state. A valid but revoked certificate is `cert_verified` AND `cert_revoked`.
 *
 * Formats follow the fields reference: SHA-256 fingerprint, serial and key identifiers in upper-case hex
 * without colons; DNs in RFC 2253 order (`CN=…,O=…,C=…`); dates as OpenSSL prints them (`Mar 21 13:35:00 2022
 * GMT`); empty strings and false when no certificate was presented.
 *
 * Everything is decided per request from the current state: an association, a revocation or a removal made
 * through the API counts on the next request, even on a kept-alive connection.
 */
import { X509Certificate } from 'node:crypto'
import type { TLSSocket } from 'node:tls'
import * as x509 from '@peculiar/x509'
import { pemCertificates } from '../../certs/pem'
import type { ClientCertRecord, SandboxState, ZoneRecord } from '../state'
import { NO_CLIENT_CERTIFICATE, type ClientAuthFields } from './fields'

/** What the edge reads once per connection from the client's certificate. */
export interface PeerCertificate {
  cert: X509Certificate
  /** Certificates the client sent after its own (intermediates), in order. */
  chain: X509Certificate[]
  fingerprint: string
  ski: string
  /** The authority key identifier's keyIdentifier: the issuer's SKI when the issuer is not known. */
  aki: string
  /** The fields that depend on the certificate alone, computed once. */
  facts: Omit<ClientAuthFields, 'cert_presented' | 'cert_verified' | 'cert_revoked' | 'cert_issuer_ski'>
  /** Chain building results, per set of trust anchors (a connection meets one or two CAs). */
  chains: Map<X509Certificate[], ChainResult>
}

const peers = new WeakMap<TLSSocket, PeerCertificate | null>()

/** The client certificate of a connection (read once, kept for the connection), or null when none was sent. */
export function peerCertificate(socket: TLSSocket): PeerCertificate | null {
  if (peers.has(socket)) return peers.get(socket)!
  const cert = socket.getPeerX509Certificate()
  let peer: PeerCertificate | null = null
  if (cert) {
    const chain: X509Certificate[] = []
    const seen = new Set([cert.fingerprint256])
    let link = socket.getPeerCertificate(true).issuerCertificate
    while (link?.raw && !seen.has(link.fingerprint256) && chain.length < 8) {
      seen.add(link.fingerprint256)
      chain.push(new X509Certificate(link.raw))
      link = link.issuerCertificate
    }
    const parsed = new x509.X509Certificate(cert.raw)
    const fingerprint = hex(cert.fingerprint256)
    const ski = hex(parsed.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId ?? '')
    peer = {
      cert,
      chain,
      fingerprint,
      ski,
      aki: hex(parsed.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId ?? ''),
      facts: {
        cert_fingerprint_sha256: fingerprint,
        cert_issuer_dn: rfc2253(cert.issuer),
        cert_subject_dn: rfc2253(cert.subject),
        cert_serial: cert.serialNumber.toUpperCase(),
        cert_ski: ski,
        cert_not_before: cert.validFrom,
        cert_not_after: cert.validTo,
      },
      chains: new Map(),
    }
  }
  peers.set(socket, peer)
  return peer
}

export interface HostnameCa {
  /** `managed` or the mTLS certificate id: what the hostname is associated with. */
  source: string
  anchors: X509Certificate[]
}

/** The association covering `host` in `zone` (exact, or `*.zone` one label deep), or undefined. */
export function associationFor(
  state: SandboxState,
  zoneId: string,
  host: string,
): SandboxState['hostnameAssociations'][number] | undefined {
  return state.hostnameAssociations.find((a) => a.zoneId === zoneId && a.hostnames.some((h) => hostnameMatches(h, host)))
}

function hostnameMatches(pattern: string, host: string): boolean {
  if (pattern === host) return true
  return pattern.startsWith('*.') && host.endsWith(pattern.slice(1)) && !host.slice(0, -(pattern.length - 1)).includes('.')
}

const anchorCache = new Map<string, X509Certificate[]>()
/** An association whose BYO CA is gone verifies nothing. */
const NO_ANCHORS: X509Certificate[] = []

function anchorsOf(pem: string): X509Certificate[] {
  let anchors = anchorCache.get(pem)
  if (!anchors) {
    anchors = pemCertificates(pem).map((der) => new X509Certificate(der))
    anchorCache.set(pem, anchors)
  }
  return anchors
}

/**
 * The CA a client certificate on `host` is checked against: the associated one, or, on a hostname without an
 * association (a connection set up while it had one), the zone's managed CA.
 */
export function hostnameCa(state: SandboxState, zone: ZoneRecord, host: string): HostnameCa {
  const association = associationFor(state, zone.id, host)
  const byoId = association?.mtlsCertificateId ?? null
  if (byoId !== null) {
    const byo = state.mtlsCertificates.find((m) => m.id === byoId)
    return { source: byoId, anchors: byo ? anchorsOf(byo.certificates) : NO_ANCHORS }
  }
  return { source: 'managed', anchors: anchorsOf(zone.managedCa.certificate) }
}

interface ChainResult {
  /** OpenSSL's words for why no path to an anchor exists, else null. */
  error: string | null
  /** The direct issuer's SKI when a path exists. */
  issuerSki: string
  /** The validity window shared by every certificate of the path (ms since epoch). */
  notBefore: number
  notAfter: number
}

function signedBy(child: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return child.checkIssued(issuer) && child.verify(issuer.publicKey)
  } catch {
    return false
  }
}

/** Leaf, then intermediates the client sent, up to one of `anchors`. Signatures do not change: kept per connection. */
function chainTo(peer: PeerCertificate, anchors: X509Certificate[]): ChainResult {
  let result = peer.chains.get(anchors)
  if (result) return result
  result = { error: 'unable to get local issuer certificate', issuerSki: '', notBefore: 0, notAfter: 0 }
  const path = [peer.cert]
  let current = peer.cert
  for (let depth = 0; depth <= peer.chain.length; depth++) {
    const anchor = anchors.find((a) => signedBy(current, a))
    if (anchor) {
      path.push(anchor)
      const issuer = path[1]!
      result = {
        error: null,
        issuerSki: hex(new x509.X509Certificate(issuer.raw).getExtension(x509.SubjectKeyIdentifierExtension)?.keyId ?? ''),
        notBefore: Math.max(...path.map((c) => c.validFromDate.getTime())),
        notAfter: Math.min(...path.map((c) => c.validToDate.getTime())),
      }
      break
    }
    const next = peer.chain.find((c) => !path.includes(c) && c.ca && signedBy(current, c))
    if (!next) break
    path.push(next)
    current = next
  }
  peer.chains.set(anchors, result)
  return result
}

/** The Sandbox's client certificates by fingerprint, rebuilt when the list is replaced or grows. */
let revocationIndex: { list: unknown; length: number; byFingerprint: Map<string, ClientCertRecord> } | null = null

function certificateRecord(state: SandboxState, fingerprint: string): ClientCertRecord | undefined {
  const list = state.clientCertificates
  if (revocationIndex?.list !== list || revocationIndex.length !== list.length) {
    revocationIndex = { list, length: list.length, byFingerprint: new Map(list.map((c) => [c.fingerprintSha256, c])) }
  }
  // Records change status in place, so an indexed one is current; a miss is checked against the list itself.
  return revocationIndex.byFingerprint.get(fingerprint) ?? list.find((c) => c.fingerprintSha256 === fingerprint)
}

export interface ClientAuth {
  fields: ClientAuthFields
  /** Why `cert_verified` is false although a certificate was presented (OpenSSL's wording), else null. */
  verifyError: string | null
}

/** The fields for a request on `host` in `zone` whose connection carries `peer` (or no certificate). */
export function clientAuthFields(
  state: SandboxState,
  zone: ZoneRecord,
  host: string,
  peer: PeerCertificate | null,
  now: number,
): ClientAuth {
  if (!peer) return { fields: { ...NO_CLIENT_CERTIFICATE }, verifyError: null }
  const chain = chainTo(peer, hostnameCa(state, zone, host).anchors)
  let verifyError = chain.error
  if (!verifyError) {
    if (now > chain.notAfter) verifyError = 'certificate has expired'
    else if (now < chain.notBefore) verifyError = 'certificate is not yet valid'
  }
  const verified = verifyError === null
  const revoked = verified && certificateRecord(state, peer.fingerprint.toLowerCase())?.status === 'revoked'
  return {
    fields: {
      cert_presented: true,
      cert_verified: verified,
      cert_revoked: revoked,
      cert_fingerprint_sha256: peer.facts.cert_fingerprint_sha256,
      cert_issuer_dn: peer.facts.cert_issuer_dn,
      cert_subject_dn: peer.facts.cert_subject_dn,
      cert_serial: peer.facts.cert_serial,
      cert_ski: peer.facts.cert_ski,
      cert_issuer_ski: chain.issuerSki || peer.aki,
      cert_not_before: peer.facts.cert_not_before,
      cert_not_after: peer.facts.cert_not_after,
    },
    verifyError,
  }
}

/**
 * RFC 2253 from Node's (OpenSSL's) one-RDN-per-line DN: values are already escaped the RFC 2253 way; the order
 * is reversed (most specific first), as `openssl x509 -nameopt RFC2253` prints it.
 */
export function rfc2253(multiline: string): string {
  if (multiline === '') return ''
  return multiline
    .split('\n')
    .reverse()
    .map((rdn) => rdn.split(' + ').reverse().join('+'))
    .join(',')
}

function hex(value: string): string {
  return value.replace(/:/g, '').toUpperCase()
}
