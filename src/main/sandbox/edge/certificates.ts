/**
 * The edge's own PKI: the "Sandbox Edge CA", created once and kept in the Sandbox state beside the zones'
 * managed CAs (so a client that trusts its PEM keeps working across restarts and resets), and the server
 * certificates it signs at start, one per zone (the zone and `*.zone`, as a Universal SSL certificate covers).
 */
import { webcrypto } from 'node:crypto'
import * as x509 from '@peculiar/x509'
import { toPem } from '../../pki/encode'
import { ensureStateCa, generateKeyPair, signLeaf, type StoredCa } from '../ca'
import type { SandboxState } from '../state'

declare module '../state' {
  interface SandboxState {
    /** The CA of the Sandbox edge's server certificates; absent until the edge first starts. */
    edgeCa?: StoredCa
  }
}

export const EDGE_CA_SUBJECT = 'CN=Sandbox Edge CA, O=Certdesk Sandbox, OU=Edge'
const EDGE_CA_DAYS = 3650
/** As short-lived as Cloudflare's edge certificates; reissued at every start. */
const SERVER_CERT_DAYS = 90

/** The state's Edge CA, created (and put in the state) when it has none yet. */
export function ensureEdgeCa(state: SandboxState, now: number): Promise<{ ca: StoredCa; created: boolean }> {
  return ensureStateCa(state, 'edgeCa', EDGE_CA_SUBJECT, EDGE_CA_DAYS, now)
}

export interface ServerCredentials {
  /** PEM certificate. */
  cert: string
  /** PEM PKCS#8 private key (in memory only). */
  key: string
}

/** A server certificate for `hostnames` (the first one is the subject CN), signed by the Edge CA. */
export async function issueServerCertificate(ca: StoredCa, hostnames: string[], now: number): Promise<ServerCredentials> {
  const keys = await generateKeyPair()
  const notBefore = new Date(Math.floor(now / 1000) * 1000 - 60_000)
  const cert = await signLeaf(ca, {
    subject: `CN=${hostnames[0]}, O=Certdesk Sandbox`,
    publicKey: await x509.PublicKey.create(keys.publicKey),
    notBefore,
    notAfter: new Date(notBefore.getTime() + SERVER_CERT_DAYS * 86_400_000),
    keyUsages: x509.KeyUsageFlags.digitalSignature,
    extendedKeyUsages: [x509.ExtendedKeyUsage.serverAuth],
    dnsNames: hostnames,
  })
  const key = toPem(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY')
  return { cert: cert.toString('pem'), key }
}
