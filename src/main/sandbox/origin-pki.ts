/**
 * The PKI of the origin leg (Cloudflare → origin), kept in the Sandbox state beside the managed CAs and created on
 * first use (state files saved before it existed get it then):
 * - the "Sandbox Origin CA", which signs Origin CA certificates (server certificates for the origin, trusted only by
 *   the edge in Full (strict) mode, never by browsers);
 * - the shared "global" Authenticated Origin Pulls certificate and its own CA: what the edge presents to an origin
 *   when a zone enables AOP without uploading a certificate of its own (any zone of any Sandbox user presents it).
 */
import * as x509 from '@peculiar/x509'
import { toPem } from '../certs/pem'
import { createRootCa, ensureStateCa, generateKeyPair, signLeaf, type StoredCa } from './ca'
import type { SandboxState } from './state'

declare module './state' {
  interface SandboxState {
    /** The Sandbox Origin CA; absent until first used. */
    originCa?: StoredCa
    /** The shared AOP certificate and its CA; absent until first used. */
    globalAop?: GlobalAop
  }
}

export interface GlobalAop {
  ca: StoredCa
  /** PEM client certificate, signed by `ca`. */
  certificate: string
  /** PEM PKCS#8 key of `certificate` (a Sandbox-only fake key). */
  privateKey: string
}

export const ORIGIN_CA_SUBJECT = 'CN=Sandbox Origin CA, O=Certdesk Sandbox, OU=Origin CA'
export const GLOBAL_AOP_CA_SUBJECT = 'CN=Sandbox Origin Pull CA, O=Certdesk Sandbox, OU=Authenticated Origin Pulls'
const ROOT_DAYS = 5475 + 3650
const DAY = 86_400_000

/** The state's Origin CA, created (and put in the state) when it has none yet. */
export function ensureOriginCa(state: SandboxState, now: number): Promise<{ ca: StoredCa; created: boolean }> {
  return ensureStateCa(state, 'originCa', ORIGIN_CA_SUBJECT, ROOT_DAYS, now)
}

/** The state's shared AOP certificate, created (with its CA) when it has none yet. */
export async function ensureGlobalAop(state: SandboxState, now: number): Promise<{ aop: GlobalAop; created: boolean }> {
  if (state.globalAop) return { aop: state.globalAop, created: false }
  const ca = await createRootCa(GLOBAL_AOP_CA_SUBJECT, ROOT_DAYS, now)
  const keys = await generateKeyPair()
  const notBefore = new Date(Math.floor(now / 1000) * 1000 - 60_000)
  const cert = await signLeaf(ca, {
    subject: 'CN=origin-pull.sandbox.certdesk, O=Certdesk Sandbox, OU=Authenticated Origin Pulls',
    publicKey: new x509.PublicKey(await crypto.subtle.exportKey('spki', keys.publicKey)),
    notBefore,
    notAfter: new Date(notBefore.getTime() + 3650 * DAY),
    keyUsages: x509.KeyUsageFlags.digitalSignature,
    extendedKeyUsages: [x509.ExtendedKeyUsage.clientAuth],
  })
  const privateKey = toPem(await crypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY')
  const aop = { ca, certificate: cert.toString('pem'), privateKey }
  state.globalAop = aop
  return { aop, created: true }
}

/**
 * An Origin CA certificate for a verified CSR: the subject Cloudflare gives its origin certificates, the hostnames as
 * subjectAltName DNS names, serverAuth. `serial` is the decimal id the API reports, as hex for the certificate.
 */
export async function issueOriginCertificate(
  ca: StoredCa,
  csr: x509.Pkcs10CertificateRequest,
  hostnames: string[],
  validityDays: number,
  serialHex: string,
  now: number,
): Promise<x509.X509Certificate> {
  const issued = Math.floor(now / 1000) * 1000
  return signLeaf(ca, {
    subject: 'O=CloudFlare\\, Inc., OU=CloudFlare Origin CA, CN=CloudFlare Origin Certificate',
    publicKey: csr.publicKey,
    // A minute of leeway for clocks behind the Sandbox's, as the edge's own certificates have.
    notBefore: new Date(issued - 60_000),
    notAfter: new Date(issued + validityDays * DAY),
    keyUsages: x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
    extendedKeyUsages: [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth],
    dnsNames: hostnames,
    serialNumber: serialHex,
  })
}
