/**
 * Proof, not presence: a real TLS handshake. `probeHost` answers "which root signed what this
 * machine sees, and does the OS trust it?" for a named host; `probeLocalRoot` serves a leaf,
 * generated in-process and signed by the root, on 127.0.0.1 and checks that a CA set (a store's
 * bundle) verifies it.
 */
import { X509Certificate, createPrivateKey, webcrypto } from 'node:crypto'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import type { PeerCertificate, DetailedPeerCertificate } from 'node:tls'
import { AppError } from '../../shared/errors'
import type { ChainCertificate, ProbeReport } from '../../shared/truststore-model'
import { certFacts } from './certificates'

/** node:tls, loaded on the first probe: `certdesk trust list` and `verify` without --host never pay for it. */
const tls = () => process.getBuiltinModule('node:tls')

export interface ProbeOptions {
  /** CA certificates to verify against (PEM); default: the OS store as Node sees it. */
  ca?: string[]
  timeoutMs?: number
  servername?: string
}

export interface RawProbe extends ProbeReport {
  /** DER of each chain certificate, leaf first (main only). */
  ders: Buffer[]
}

export function systemCaCertificates(): string[] {
  return [...tls().getCACertificates('system')]
}

function chainFrom(peer: DetailedPeerCertificate): Buffer[] {
  const out: Buffer[] = []
  const seen = new Set<string>()
  let cert: PeerCertificate | DetailedPeerCertificate | undefined = peer
  while (cert?.raw && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256)
    out.push(cert.raw)
    cert = (cert as DetailedPeerCertificate).issuerCertificate
  }
  return out
}

export function probeHost(host: string, port: number, options: ProbeOptions = {}): Promise<RawProbe> {
  const ca = options.ca ?? systemCaCertificates()
  const timeoutMs = options.timeoutMs ?? 10_000
  return new Promise((resolve, reject) => {
    const socket = tls().connect({
      host,
      port,
      servername: options.servername ?? (/^[\d.:]+$/.test(host) ? undefined : host),
      ca,
      rejectUnauthorized: false,
    })
    const timer = setTimeout(() => {
      socket.destroy()
      reject(
        new AppError('probe_failed', `No TLS handshake with ${host}:${port} within ${timeoutMs / 1000} s.`, {
          hint: 'Check the host name, port and that a proxy or firewall is not blocking it.',
        }),
      )
    }, timeoutMs)
    socket.once('secureConnect', () => {
      clearTimeout(timer)
      const ders = chainFrom(socket.getPeerCertificate(true))
      const chain: ChainCertificate[] = ders.map((der) => {
        const f = certFacts(der)
        return { subject: f.subject, issuer: f.issuer, sha256: f.sha256, sha1: f.sha1, notAfter: f.notAfter }
      })
      const report: RawProbe = { host, port, verified: socket.authorized, chain, ders }
      if (socket.authorizationError) report.verifyError = explainVerifyError(socket.authorizationError)
      socket.destroy()
      resolve(report)
    })
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      reject(
        new AppError('probe_failed', `Could not reach ${host}:${port}: ${error.code ?? ''} ${error.message}`.trim(), {
          hint: 'Check the host name and port; the machine may be offline or behind a proxy.',
        }),
      )
    })
  })
}

/**
 * OpenSSL's verify codes, as Node reports them, in words a helpdesk can act on; the code stays in
 * brackets so it can still be searched for.
 */
const VERIFY_ERRORS: Record<string, string> = {
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'The root (or an intermediate) that signed this chain is not trusted on this machine',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'The server sent its certificate without the chain to a root this machine trusts',
  SELF_SIGNED_CERT_IN_CHAIN: 'The chain ends in a root this machine does not trust (a private or inspection root that is not installed)',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'The server presents a self-signed certificate that this machine does not trust',
  CERT_HAS_EXPIRED: 'A certificate in the chain has expired',
  CERT_NOT_YET_VALID: "A certificate in the chain is not valid yet (check this machine's clock)",
  ERR_TLS_CERT_ALTNAME_INVALID: 'The certificate does not name this host',
  CERT_REVOKED: 'A certificate in the chain is revoked',
  CERT_SIGNATURE_FAILURE: 'A signature in the chain does not verify',
  INVALID_CA: 'A certificate used as a CA in the chain is not a CA',
  PATH_LENGTH_EXCEEDED: 'The chain is longer than a CA allows (path length constraint)',
  INVALID_PURPOSE: 'A certificate in the chain is not allowed for TLS server authentication',
}

export function explainVerifyError(error: Error | string): string {
  const code = typeof error === 'string' ? error : ((error as NodeJS.ErrnoException).code ?? error.message)
  const known = VERIFY_ERRORS[code] ?? Object.entries(VERIFY_ERRORS).find(([c]) => String(error).includes(c))?.[1]
  const raw = typeof error === 'string' ? error : error.message
  return known ? `${known} [${code in VERIFY_ERRORS ? code : raw}]` : raw
}

/** Parses `HOST[:PORT]` (IPv6 in brackets); port defaults to 443. */
export function parseHostPort(text: string): { host: string; port: number } {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(text) ?? /^([^:]+)(?::(\d+))?$/.exec(text)
  const port = m?.[2] === undefined ? 443 : Number(m[2])
  if (!m?.[1] || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new AppError('bad_input', `"${text}" is not HOST or HOST:PORT.`, {
      hint: 'For example: intranet.example.com or intranet.example.com:8443',
    })
  }
  return { host: m[1], port }
}

type ImportAlgorithm = { name: 'ECDSA'; namedCurve: string } | { name: 'RSASSA-PKCS1-v1_5'; hash: string }
type SignAlgorithm = { name: 'ECDSA'; hash: string } | { name: 'RSASSA-PKCS1-v1_5' }

function signingAlgorithm(keyPem: string): { importAlg: ImportAlgorithm; sign: SignAlgorithm } {
  const key = createPrivateKey(keyPem)
  if (key.asymmetricKeyType === 'ec') {
    const curve = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' }[key.asymmetricKeyDetails?.namedCurve ?? ''] ?? 'P-256'
    return { importAlg: { name: 'ECDSA', namedCurve: curve }, sign: { name: 'ECDSA', hash: curve === 'P-384' ? 'SHA-384' : 'SHA-256' } }
  }
  if (key.asymmetricKeyType === 'rsa')
    return { importAlg: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, sign: { name: 'RSASSA-PKCS1-v1_5' } }
  throw new AppError('bad_input', `The root key type ${key.asymmetricKeyType ?? 'unknown'} cannot sign a test leaf.`, {
    hint: 'Use an RSA or EC root key.',
  })
}

/** A server leaf for 127.0.0.1/localhost signed by the root, made in-process. */
export async function makeLocalLeaf(rootPem: string, rootKeyPem: string): Promise<{ certPem: string; keyPem: string }> {
  // Loaded only here: listing and verifying never pay for the X.509 builder.
  const x509 = await import('@peculiar/x509')
  const { importAlg, sign } = signingAlgorithm(rootKeyPem)
  const pkcs8 = createPrivateKey(rootKeyPem).export({ format: 'der', type: 'pkcs8' })
  const signingKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, importAlg, false, ['sign'])
  const leafAlg = { name: 'ECDSA', namedCurve: 'P-256' }
  const leafKeys = await webcrypto.subtle.generateKey(leafAlg, true, ['sign', 'verify'])
  const root = new x509.X509Certificate(rootPem)
  const now = Date.now()
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(12)))
      .toString('hex')
      .replace(/^[89a-f]/, '1'),
    subject: 'CN=localhost',
    issuer: root.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 3_600_000),
    publicKey: leafKeys.publicKey,
    signingKey,
    signingAlgorithm: sign,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(root, false, webcrypto),
    ],
  })
  const keyDer = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', leafKeys.privateKey))
  const keyPem = createPrivateKey({ key: keyDer, format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' }).toString()
  return { certPem: cert.toString('pem'), keyPem }
}

/** Serves a leaf chaining to the root on 127.0.0.1 and reports whether `ca` verifies it. */
export async function probeLocalRoot(rootPem: string, rootKeyPem: string, ca: string[]): Promise<ProbeReport> {
  const leaf = await makeLocalLeaf(rootPem, rootKeyPem)
  const server = tls().createServer({ cert: leaf.certPem, key: leaf.keyPem }, (socket) => socket.end())
  server.on('tlsClientError', () => undefined)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  try {
    const { ders: _ders, ...report } = await probeHost('127.0.0.1', port, { ca, servername: 'localhost' })
    return report
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

/** The root among `candidates` that issued the last certificate of a chain (by name and signature). */
export function findIssuingRoot(chain: Buffer[], candidates: Iterable<Buffer>): Buffer | null {
  const last = chain.at(-1)
  if (!last) return null
  const top = new X509Certificate(last)
  for (const der of candidates) {
    try {
      const c = new X509Certificate(der)
      if (c.raw.equals(top.raw) || (top.checkIssued(c) && top.verify(c.publicKey))) return der
    } catch {
      // an undecodable store entry cannot be the issuer
    }
  }
  return null
}
