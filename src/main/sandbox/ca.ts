/**
 * The real PKI behind the Sandbox: the per-zone "Cloudflare Managed CA" that signs client certificates
 * from submitted CSRs, Cloudflare-generated roots (Gateway, demo Access roots), and the parsing of
 * uploaded certificates into the fields Cloudflare reports (fingerprints, serial, issuer, signature).
 *
 * Keys are ECDSA P-256: fast enough that the demo seed (well over a hundred certificates) takes well
 * under a second. Private keys of the emulated CAs live in the Sandbox state file; they are fake,
 * sandbox-only keys. Keys that users upload (mTLS private_key) are checked and then discarded.
 */
import { createHash, createPrivateKey, createPublicKey, randomBytes, randomUUID, type webcrypto } from 'node:crypto'
import { AsnConvert } from '@peculiar/asn1-schema'
import { Certificate, SubjectPublicKeyInfo } from '@peculiar/asn1-x509'
import * as x509 from '@peculiar/x509'
import { pemBlocks, type PemDerBlock } from '../certs/pem'
import type { SandboxState } from './state'

const EC_KEY: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' }
const EC_SIGN: webcrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' }

/** A CA the Sandbox itself holds (managed zone CA, Gateway root, demo roots). */
export interface StoredCa {
  id: string
  name: string
  certificate: string
  /** PKCS#8, base64. Sandbox-only fake key. */
  privateKey: string
}

/** Raised for input Cloudflare would refuse; routes turn it into an API error with `code`. */
export class PkiInputError extends Error {
  override name = 'PkiInputError'
}

/** Cloudflare's names for signature algorithms, by OID (uploads with anything else are refused). */
const SIGNATURE_NAMES: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'SHA1WithRSA',
  '1.2.840.113549.1.1.11': 'SHA256WithRSA',
  '1.2.840.113549.1.1.12': 'SHA384WithRSA',
  '1.2.840.113549.1.1.13': 'SHA512WithRSA',
  '1.2.840.10045.4.1': 'ECDSAWithSHA1',
  '1.2.840.10045.4.3.2': 'ECDSAWithSHA256',
  '1.2.840.10045.4.3.3': 'ECDSAWithSHA384',
  '1.2.840.10045.4.3.4': 'ECDSAWithSHA512',
}

/** Seconds precision, like Cloudflare's `2033-02-20T23:18:00Z`. */
export function isoSeconds(date: Date | number): string {
  return new Date(date).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** A positive 20-byte serial in hex (RFC 5280 allows up to 20 octets). */
function randomSerial(): string {
  const bytes = randomBytes(20)
  bytes[0] = (bytes[0]! & 0x7f) | 0x01
  return bytes.toString('hex')
}

const keyCache = new Map<string, Promise<webcrypto.CryptoKey>>()

function importSigningKey(ca: StoredCa): Promise<webcrypto.CryptoKey> {
  let key = keyCache.get(ca.privateKey)
  if (!key) {
    key = crypto.subtle.importKey('pkcs8', Buffer.from(ca.privateKey, 'base64'), EC_KEY, false, ['sign'])
    keyCache.set(ca.privateKey, key)
  }
  return key
}

export async function generateKeyPair(): Promise<webcrypto.CryptoKeyPair> {
  return crypto.subtle.generateKey(EC_KEY, true, ['sign', 'verify'])
}

/** The fields of the state that hold one CA root (the Edge CA, the Origin CA). */
type StateCaField = { [K in keyof SandboxState]-?: NonNullable<SandboxState[K]> extends StoredCa ? K : never }[keyof SandboxState]

/** The state's CA root in `field`, created (and put in the state) when it has none yet. */
export async function ensureStateCa(
  state: SandboxState,
  field: StateCaField,
  subject: string,
  validityDays: number,
  now: number,
): Promise<{ ca: StoredCa; created: boolean }> {
  const kept = state[field]
  if (kept) return { ca: kept, created: false }
  const ca = await createRootCa(subject, validityDays, now)
  state[field] = ca
  return { ca, created: true }
}

/** A self-signed CA root (basicConstraints CA:TRUE critical, keyCertSign|cRLSign) as Cloudflare issues. */
export async function createRootCa(subject: string, validityDays: number, now = Date.now()): Promise<StoredCa> {
  const keys = await generateKeyPair()
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + validityDays * 86_400_000),
    signingAlgorithm: EC_SIGN,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  })
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', keys.privateKey)
  return { id: randomUUID(), name: subject, certificate: certificate.toString('pem'), privateKey: Buffer.from(pkcs8).toString('base64') }
}

/** Parse a CSR the way the create endpoint does: PEM, DER-valid, signature verified. */
export async function parseCsr(pem: unknown): Promise<x509.Pkcs10CertificateRequest> {
  if (typeof pem !== 'string' || pem.trim() === '') throw new PkiInputError('The CSR is empty: send a PEM "CERTIFICATE REQUEST".')
  const blocks = pemBlocks(pem)
  if (blocks.length === 0) throw new PkiInputError('The CSR is not PEM: expected "-----BEGIN CERTIFICATE REQUEST-----".')
  if (blocks.length > 1) throw new PkiInputError('Send exactly one CSR; the request holds several PEM blocks.')
  const [block] = blocks as [PemBlock]
  if (block.label !== 'CERTIFICATE REQUEST' && block.label !== 'NEW CERTIFICATE REQUEST') {
    throw new PkiInputError(`The CSR field holds a PEM "${block.label}", not a "CERTIFICATE REQUEST".`)
  }
  let csr: x509.Pkcs10CertificateRequest
  try {
    csr = new x509.Pkcs10CertificateRequest(block.der)
  } catch {
    throw new PkiInputError('The CSR could not be decoded: its base64/DER content is damaged.')
  }
  const refused = unsupportedCsrKey(new Uint8Array(csr.publicKey.rawData))
  if (refused) {
    const accepted = 'the managed CA signs RSA keys of at least 2048 bits and EC keys on P-256 or P-384 only'
    throw new PkiInputError(`The CSR's public key is not supported (${refused}): ${accepted}.`)
  }
  let valid: boolean
  try {
    valid = await csr.verify()
  } catch {
    throw new PkiInputError('The CSR uses a key or signature algorithm the managed CA does not support.')
  }
  if (!valid) throw new PkiInputError('The CSR signature is invalid: it was altered after signing or signed with another key.')
  return csr
}

/** What the managed CA refuses about a CSR key (read by OpenSSL through node:crypto), or null. */
function unsupportedCsrKey(spki: Uint8Array): string | null {
  let key: ReturnType<typeof createPublicKey>
  try {
    key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' })
  } catch {
    return 'the key could not be read'
  }
  const details = key.asymmetricKeyDetails ?? {}
  if (key.asymmetricKeyType === 'rsa') return (details.modulusLength ?? 0) >= 2048 ? null : `RSA ${details.modulusLength ?? '?'} bits`
  if (key.asymmetricKeyType === 'ec') {
    return details.namedCurve === 'prime256v1' || details.namedCurve === 'secp384r1' ? null : `EC curve ${details.namedCurve ?? 'unnamed'}`
  }
  return `${key.asymmetricKeyType ?? 'unknown'} key`
}

export interface IssuedClientCertificate {
  certificate: string
  commonName: string
  country: string
  organization: string
  organizationalUnit: string
  state: string
  location: string
  fingerprintSha256: string
  serialNumber: string
  ski: string
  signature: string
  issuedOn: string
  expiresOn: string
}

/** Parsed issuer certificates, by PEM: issuing is hot in the demo seed. */
const issuerCache = new Map<string, { cert: x509.X509Certificate; keyId: string }>()

function issuerOf(ca: StoredCa): { cert: x509.X509Certificate; keyId: string } {
  let entry = issuerCache.get(ca.certificate)
  if (!entry) {
    const cert = new x509.X509Certificate(ca.certificate)
    entry = { cert, keyId: cert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId ?? keyIdentifier(cert.publicKey) }
    issuerCache.set(ca.certificate, entry)
  }
  return entry
}

/** RFC 5280 method 1: SHA-1 of the subjectPublicKey bits. */
function keyIdentifier(publicKey: x509.PublicKey): string {
  const spki = AsnConvert.parse(publicKey.rawData, SubjectPublicKeyInfo)
  return createHash('sha1').update(new Uint8Array(spki.subjectPublicKey)).digest('hex')
}

/** What a CA-signed leaf certificate carries; the CA signs with ECDSA P-256 / SHA-256. */
export interface LeafSpec {
  subject: x509.Name | string
  publicKey: x509.PublicKey
  notBefore: Date
  notAfter: Date
  keyUsages: x509.KeyUsageFlags
  extendedKeyUsages: string[]
  /** subjectAltName DNS names, when the leaf names hosts. */
  dnsNames?: string[]
  serialNumber?: string
}

/** A leaf certificate signed by `ca` (a CA the Sandbox holds): CA:FALSE, SKI from the key, AKI of the CA. */
export async function signLeaf(ca: StoredCa, spec: LeafSpec): Promise<x509.X509Certificate> {
  const issuer = issuerOf(ca)
  return x509.X509CertificateGenerator.create({
    serialNumber: spec.serialNumber ?? randomSerial(),
    subject: spec.subject,
    issuer: issuer.cert.subjectName,
    notBefore: spec.notBefore,
    notAfter: spec.notAfter,
    publicKey: spec.publicKey,
    signingKey: await importSigningKey(ca),
    signingAlgorithm: EC_SIGN,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(spec.keyUsages, true),
      new x509.ExtendedKeyUsageExtension(spec.extendedKeyUsages),
      ...(spec.dnsNames ? [new x509.SubjectAlternativeNameExtension(spec.dnsNames.map((value) => ({ type: 'dns' as const, value })))] : []),
      new x509.SubjectKeyIdentifierExtension(keyIdentifier(spec.publicKey)),
      new x509.AuthorityKeyIdentifierExtension(issuer.keyId),
    ],
  })
}

/** Sign a verified CSR with the zone's managed CA; every reported field comes from the real certificate. */
export async function issueClientCertificate(
  ca: StoredCa,
  csr: x509.Pkcs10CertificateRequest,
  validityDays: number,
  now = Date.now(),
): Promise<IssuedClientCertificate> {
  const notBefore = new Date(Math.floor(now / 1000) * 1000)
  const cert = await signLeaf(ca, {
    subject: csr.subjectName,
    publicKey: csr.publicKey,
    notBefore,
    notAfter: new Date(notBefore.getTime() + validityDays * 86_400_000),
    keyUsages: x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
    extendedKeyUsages: [x509.ExtendedKeyUsage.clientAuth],
  })
  const field = (name: string): string => cert.subjectName.getField(name)[0] ?? ''
  return {
    certificate: cert.toString('pem'),
    commonName: field('CN'),
    country: field('C'),
    organization: field('O'),
    organizationalUnit: field('OU'),
    state: field('ST'),
    location: field('L'),
    fingerprintSha256: sha256Hex(cert.rawData),
    serialNumber: cert.serialNumber,
    ski: cert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId ?? keyIdentifier(csr.publicKey),
    signature: signatureName(cert.rawData),
    issuedOn: isoSeconds(cert.notBefore),
    expiresOn: isoSeconds(cert.notAfter),
  }
}

export type PemBlock = PemDerBlock

/** The PEM blocks in `text`, in order (the linear scanner). Text outside blocks is ignored, as OpenSSL does. */
export { pemBlocks }

export interface CertificateFacts {
  pem: string
  subject: string
  issuer: string
  issuerOrg: string
  serialNumber: string
  signature: string
  notBefore: string
  expiresOn: string
  isCa: boolean
  fingerprintSha256: string
  /** `MD5 Fingerprint=1E:80:...` as Access reports it. */
  md5Fingerprint: string
  /** SHA-256 colon-hex as Gateway reports it. */
  sha256Colon: string
  spki: Buffer
}

/**
 * Parse uploaded PEM certificates. Anything that is not a decodable certificate — a private key or
 * CSR pasted into the certificate field, damaged base64 — fails like Cloudflare:
 * "Unable to parse certificate".
 */
export function parseCertificates(text: unknown): CertificateFacts[] {
  if (typeof text !== 'string' || text.trim() === '')
    throw new PkiInputError('Unable to parse certificate: the certificate field is empty.')
  const blocks = pemBlocks(text)
  if (blocks.length === 0) throw new PkiInputError('Unable to parse certificate: no PEM "CERTIFICATE" block found.')
  return blocks.map((block, index) => {
    if (block.label !== 'CERTIFICATE') {
      throw new PkiInputError(`Unable to parse certificate: PEM block ${index + 1} is a "${block.label}", not a "CERTIFICATE".`)
    }
    try {
      return certificateFacts(block.der)
    } catch {
      throw new PkiInputError(`Unable to parse certificate: PEM block ${index + 1} is not a valid X.509 certificate.`)
    }
  })
}

export function certificateFacts(der: Uint8Array): CertificateFacts {
  const cert = new x509.X509Certificate(der)
  const basic = cert.getExtension(x509.BasicConstraintsExtension)
  const md5 = createHash('md5').update(der).digest('hex').toUpperCase()
  const sha = sha256Hex(der).toUpperCase()
  return {
    pem: cert.toString('pem'),
    subject: cert.subject,
    issuer: cert.issuer,
    issuerOrg: cert.issuerName.getField('O')[0] ?? '',
    serialNumber: cert.serialNumber,
    signature: signatureName(der),
    notBefore: isoSeconds(cert.notBefore),
    expiresOn: isoSeconds(cert.notAfter),
    isCa: basic?.ca === true,
    fingerprintSha256: sha.toLowerCase(),
    md5Fingerprint: `MD5 Fingerprint=${colon(md5)}`,
    // Gateway writes a byte below 0x10 without its leading zero: the example in Cloudflare docs: Deploy custom
    // certificate reads `…:AB:0:31:…`.
    sha256Colon: colon(sha)
      .split(':')
      .map((byte) => byte.replace(/^0(?=[0-9A-F])/, ''))
      .join(':'),
    spki: Buffer.from(cert.publicKey.rawData),
  }
}

/** The signature algorithm name Cloudflare reports, or '' when it is not one Cloudflare accepts. */
export function signatureName(der: ArrayBuffer | Uint8Array): string {
  const asn = AsnConvert.parse(der, Certificate)
  return SIGNATURE_NAMES[asn.signatureAlgorithm.algorithm] ?? ''
}

/** Check an uploaded private key parses and belongs to the certificate; the key is never kept. */
export function checkPrivateKeyMatches(privateKeyPem: string, spki: Buffer): void {
  let publicDer: Buffer
  try {
    publicDer = createPublicKey(createPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'der' })
  } catch {
    throw new PkiInputError('Unable to parse private key: send an unencrypted PEM private key (PKCS#8, PKCS#1 or SEC1).')
  }
  if (!publicDer.equals(spki))
    throw new PkiInputError('The private key does not match the certificate: it belongs to a different key pair.')
}

function sha256Hex(data: ArrayBuffer | Uint8Array): string {
  return createHash('sha256').update(new Uint8Array(data)).digest('hex')
}

function colon(hex: string): string {
  return hex.match(/../g)!.join(':')
}
