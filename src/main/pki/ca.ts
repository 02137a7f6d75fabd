/**
 * Private CAs: self-signed roots, intermediates, and signing CSRs with client/server/intermediate
 * profiles. Everything here is shaped to pass OpenSSL's X509_V_FLAG_X509_STRICT (Python 3.13's
 * default) and Cloudflare's BYOPKI requirements (Cloudflare docs: Deploy custom certificate): basicConstraints and keyUsage critical
 * on CAs, SKI on every certificate, AKI (key identifier) on every non-root, non-critical both.
 */
import { createPrivateKey, createPublicKey, randomBytes, type webcrypto } from 'node:crypto'
import { AsnConvert } from '@peculiar/asn1-schema'
import { GeneralName, GeneralSubtree, GeneralSubtrees, NameConstraints, id_ce_nameConstraints } from '@peculiar/asn1-x509'
import * as x509 from '@peculiar/x509'
import { AppError } from '../../shared/errors'
import type { KeyType, SignProfile } from '../../shared/pki-model'
import { csrSans, readCsr, sanExtension, subjectName, validDnsName } from './csr'
import { decodePem, toPem } from './encode'
import { exportSpkiDer, generateKey, keyAlgorithm, keyTypeOf, keyTypeOfKeyObject, signingAlgorithm, type KeyPair } from './keys'

type CryptoKey = webcrypto.CryptoKey
export type CaHash = 'SHA-256' | 'SHA-384' | 'SHA-512'

const DAY = 86_400_000
/** Backdate notBefore a little so a client whose clock is slightly behind still accepts a fresh certificate. */
const CLOCK_SKEW = 5 * 60_000
export const MAX_CA_DAYS = 36_500

export interface CreatedCa {
  certificatePem: string
  privateKey: CryptoKey
  publicKey: CryptoKey
  keyType: KeyType
}

interface CaCommon {
  cn: string
  o?: string
  keyType: KeyType
  days: number
  /** basicConstraints pathLenConstraint; omitted means unlimited. */
  pathLen?: number
  /** Critical nameConstraints with these permitted DNS subtrees (e.g. `example.com`). */
  permittedDns?: string[]
  /** Signature hash; default SHA-256, SHA-384 for P-384 keys. */
  hash?: CaHash
  /** Use this key pair instead of generating one. */
  keys?: KeyPair
  signal?: AbortSignal
  now?: Date
}

export type CreateRootCaOptions = CaCommon

export interface CreateIntermediateCaOptions extends CaCommon {
  issuer: string
  issuerKey: CryptoKey
}

function bad(message: string, hint: string): AppError {
  return new AppError('bad_input', message, { hint })
}

/** 16 random bytes, top bit clear (positive INTEGER), first byte non-zero (no leading zero octet). */
export function randomSerialHex(): string {
  const bytes = randomBytes(16)
  bytes[0] = (bytes[0]! % 0x7f) + 1
  return bytes.toString('hex')
}

function checkDays(days: number, max = MAX_CA_DAYS): void {
  if (!Number.isInteger(days) || days < 1 || days > max)
    throw bad(`Validity must be a whole number of days from 1 to ${max}, not ${days}.`, 'Choose a validity in days, e.g. 365 or 3650.')
}

function defaultHash(type: KeyType): CaHash {
  return type === 'ec-p384' ? 'SHA-384' : 'SHA-256'
}

/**
 * The key and algorithm @peculiar/x509 signs with. It merges the key's own algorithm over the
 * requested one, so for RSA the hash is the key's import hash: re-import when another is wanted.
 */
async function signer(
  key: CryptoKey,
  hash?: CaHash,
): Promise<{ signingKey: CryptoKey; signingAlgorithm: webcrypto.Algorithm | webcrypto.EcdsaParams }> {
  const type = keyTypeOf(key)
  const wanted = hash ?? defaultHash(type)
  if (type.startsWith('ec')) return { signingKey: key, signingAlgorithm: { name: 'ECDSA', hash: wanted } }
  const current = (key.algorithm as webcrypto.RsaHashedKeyAlgorithm).hash.name
  if (current === wanted) return { signingKey: key, signingAlgorithm: signingAlgorithm(type) }
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', key)
  const signingKey = await crypto.subtle.importKey(
    'pkcs8',
    pkcs8,
    { ...(keyAlgorithm(type) as webcrypto.RsaHashedImportParams), hash: wanted },
    false,
    ['sign'],
  )
  return { signingKey, signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5' } }
}

function nameConstraintsExtension(permittedDns: string[]): x509.Extension {
  const subtrees = permittedDns.map((raw) => {
    const dns = raw.trim().replace(/^\./, '').toLowerCase()
    if (!validDnsName(dns) || dns.startsWith('*'))
      throw bad(
        `"${raw}" is not a DNS domain for a name constraint.`,
        'Give domains such as example.com; every name under them is permitted.',
      )
    return new GeneralSubtree({ base: new GeneralName({ dNSName: dns }) })
  })
  const value = AsnConvert.serialize(new NameConstraints({ permittedSubtrees: new GeneralSubtrees(subtrees) }))
  return new x509.Extension(id_ce_nameConstraints, true, value)
}

function caExtensions(pathLen: number | undefined): x509.Extension[] {
  if (pathLen !== undefined && (!Number.isInteger(pathLen) || pathLen < 0 || pathLen > 10))
    throw bad(`Path length must be a whole number from 0 to 10, not ${pathLen}.`, '0 means this CA may sign only end-entity certificates.')
  return [
    new x509.BasicConstraintsExtension(true, pathLen, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
  ]
}

async function caKeys(options: CaCommon): Promise<KeyPair> {
  if (options.keys) return options.keys
  return generateKey(options.keyType, options.signal ? { signal: options.signal } : {})
}

/** A self-signed root CA certificate (and its key) that passes strict verification and BYOPKI upload. */
export async function createRootCa(options: CreateRootCaOptions): Promise<CreatedCa> {
  checkDays(options.days)
  const name = subjectName({ cn: options.cn, ...(options.o ? { o: options.o } : {}) })
  const extensions = caExtensions(options.pathLen)
  if (options.permittedDns?.length) extensions.push(nameConstraintsExtension(options.permittedDns))
  const keys = await caKeys(options)
  const ski = await x509.SubjectKeyIdentifierExtension.create(keys.publicKey)
  const now = (options.now ?? new Date()).getTime()
  const notBefore = new Date(Math.floor((now - CLOCK_SKEW) / 1000) * 1000)
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialHex(),
    subject: name,
    issuer: name,
    notBefore,
    notAfter: new Date(notBefore.getTime() + options.days * DAY),
    publicKey: keys.publicKey,
    ...(await signer(keys.privateKey, options.hash)),
    // RFC 5280 4.2.1.1: a self-signed root may carry AKI = its own SKI; strict OpenSSL accepts both.
    extensions: [...extensions, ski, new x509.AuthorityKeyIdentifierExtension(ski.keyId)],
  })
  return { certificatePem: toPem(cert.rawData, 'CERTIFICATE'), privateKey: keys.privateKey, publicKey: keys.publicKey, keyType: keys.type }
}

export interface IssuerCa {
  cert: x509.X509Certificate
  keyId: string
}

/** A PEM certificate decoded, or a clear error naming `what` it was meant to be. */
function readCertificate(certPem: string, what: string): x509.X509Certificate {
  const block = decodePem(certPem, ['CERTIFICATE'], what)
  try {
    return new x509.X509Certificate(block.der)
  } catch (error) {
    throw new AppError('bad_input', `${what.charAt(0).toUpperCase()}${what.slice(1)} could not be decoded.`, {
      hint: '`openssl x509 -in CA.pem -noout -text` shows the same problem.',
      cause: error,
    })
  }
}

/** Parses an issuing CA certificate and checks it can issue (CA:TRUE, keyCertSign, not expired) with this key. */
export async function loadIssuer(certPem: string, key: CryptoKey, now = new Date()): Promise<IssuerCa> {
  const cert = readCertificate(certPem, 'the CA certificate')
  const basic = cert.getExtension(x509.BasicConstraintsExtension)
  if (!basic?.ca)
    throw bad(
      `"${cert.subject}" is not a CA certificate (basicConstraints CA:TRUE is missing), so it cannot sign certificates.`,
      'Choose a CA certificate, e.g. one made with `certdesk ca new`.',
    )
  const usage = cert.getExtension(x509.KeyUsagesExtension)
  if (usage && !(usage.usages & x509.KeyUsageFlags.keyCertSign))
    throw bad(
      `The CA "${cert.subject}" lacks the keyCertSign key usage, so verifiers would refuse what it signs.`,
      'Use a CA certificate with keyUsage keyCertSign.',
    )
  if (cert.notAfter.getTime() <= now.getTime())
    throw bad(`The CA "${cert.subject}" expired on ${cert.notAfter.toISOString()}.`, 'Renew the CA or choose another.')
  const spki = Buffer.from(await exportSpkiDer(await publicOf(key)))
  if (!spki.equals(Buffer.from(cert.publicKey.rawData)))
    throw bad(
      'The CA private key does not match the CA certificate: it belongs to a different key pair.',
      'Give the key file that was created together with this CA certificate.',
    )
  const keyId =
    cert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId ?? Buffer.from(await cert.publicKey.getKeyIdentifier()).toString('hex')
  return { cert, keyId }
}

/** The public CryptoKey of a private one (via its PKCS#8). */
async function publicOf(privateKey: CryptoKey): Promise<CryptoKey> {
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', privateKey))
  const spki = createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })).export({ type: 'spki', format: 'der' })
  return crypto.subtle.importKey('spki', spki, keyAlgorithm(keyTypeOf(privateKey)), true, ['verify'])
}

function validityWithin(issuer: x509.X509Certificate, days: number, now: number): { notBefore: Date; notAfter: Date } {
  const notBefore = new Date(Math.max(Math.floor((now - CLOCK_SKEW) / 1000) * 1000, issuer.notBefore.getTime()))
  // Never outlive the issuer: a certificate valid past its CA's expiry fails verification then anyway.
  const notAfter = new Date(Math.min(notBefore.getTime() + days * DAY, issuer.notAfter.getTime()))
  return { notBefore, notAfter }
}

/** An intermediate CA signed by `issuer`, with a new (or given) key. */
export async function createIntermediateCa(options: CreateIntermediateCaOptions): Promise<CreatedCa> {
  checkDays(options.days)
  const now = options.now ?? new Date()
  const issuer = await loadIssuer(options.issuer, options.issuerKey, now)
  checkIssuerPathLen(issuer.cert)
  const name = subjectName({ cn: options.cn, ...(options.o ? { o: options.o } : {}) })
  const extensions = caExtensions(options.pathLen)
  if (options.permittedDns?.length) extensions.push(nameConstraintsExtension(options.permittedDns))
  const keys = await caKeys(options)
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialHex(),
    subject: name,
    issuer: issuer.cert.subjectName,
    ...validityWithin(issuer.cert, options.days, now.getTime()),
    publicKey: keys.publicKey,
    ...(await signer(options.issuerKey, options.hash)),
    extensions: [
      ...extensions,
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      new x509.AuthorityKeyIdentifierExtension(issuer.keyId),
    ],
  })
  return { certificatePem: toPem(cert.rawData, 'CERTIFICATE'), privateKey: keys.privateKey, publicKey: keys.publicKey, keyType: keys.type }
}

function checkIssuerPathLen(issuer: x509.X509Certificate): void {
  const pathLen = issuer.getExtension(x509.BasicConstraintsExtension)?.pathLength
  if (pathLen === 0)
    throw bad(
      `The CA "${issuer.subject}" has path length 0: it may sign only end-entity certificates, not another CA.`,
      'Sign the intermediate with a CA whose path length allows it (or none).',
    )
}

export interface SignCsrOptions {
  caCertPem: string
  caKey: CryptoKey
  csrPem: string
  profile: SignProfile
  days: number
  hash?: CaHash
  now?: Date
}

export interface SignedCertificate {
  certificatePem: string
  der: Uint8Array
  serialNumber: string
  notBefore: string
  notAfter: string
}

/** Signs a verified CSR as a client, server or intermediate-CA certificate. */
export async function signCsr(options: SignCsrOptions): Promise<SignedCertificate> {
  checkDays(options.days)
  const now = options.now ?? new Date()
  const issuer = await loadIssuer(options.caCertPem, options.caKey, now)
  const csr = await readCsr(options.csrPem)
  // Refuse keys Certdesk would not generate (RSA < 2048, odd curves) with a specific reason.
  keyTypeOfKeyObject(createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: 'der', type: 'spki' }))
  const sans = csrSans(csr)
  const emptySubject = csr.subjectName.toJSON().length === 0
  const extensions: x509.Extension[] = []
  switch (options.profile) {
    case 'client':
      extensions.push(
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
      )
      break
    case 'server': {
      if (sans.length === 0)
        throw bad(
          'A server certificate needs at least one subject alternative name, and the CSR has none.',
          'Make the CSR with --san DNS:host.example.com (clients ignore the CN for host names).',
        )
      const rsa = csr.publicKey.algorithm.name === 'RSASSA-PKCS1-v1_5' || csr.publicKey.algorithm.name === 'RSA-PSS'
      extensions.push(
        new x509.BasicConstraintsExtension(false, undefined, true),
        // RSA key exchange (TLS 1.2) needs keyEncipherment; ECDSA keys only sign.
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | (rsa ? x509.KeyUsageFlags.keyEncipherment : 0), true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      )
      break
    }
    case 'intermediate':
      checkIssuerPathLen(issuer.cert)
      if (emptySubject) throw bad('A CA certificate needs a subject name, and the CSR has none.', 'Make the CSR with a common name.')
      extensions.push(...caExtensions(0))
      break
    default:
      throw bad(`Unknown signing profile "${String(options.profile)}".`, 'Choose client, server or intermediate.')
  }
  if (sans.length) extensions.push(sanExtension(sans, emptySubject))
  else if (emptySubject) throw bad('The CSR has neither a subject name nor subject alternative names.', 'Make the CSR with a common name.')
  extensions.push(await x509.SubjectKeyIdentifierExtension.create(csr.publicKey), new x509.AuthorityKeyIdentifierExtension(issuer.keyId))
  const validity = validityWithin(issuer.cert, options.days, now.getTime())
  return issueCertificate({
    subject: csr.subjectName,
    issuer: issuer.cert.subjectName,
    validity,
    publicKey: csr.publicKey,
    signingKey: options.caKey,
    hash: options.hash,
    extensions,
  })
}

/** A certificate with a new random serial, signed by `signingKey`: the PEM, DER, serial and validity as records keep them. */
async function issueCertificate(fields: {
  subject: x509.Name
  issuer: x509.Name
  validity: { notBefore: Date; notAfter: Date }
  publicKey: x509.PublicKey
  signingKey: CryptoKey
  hash?: CaHash | undefined
  extensions: x509.Extension[]
}): Promise<SignedCertificate> {
  const { validity } = fields
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialHex(),
    subject: fields.subject,
    issuer: fields.issuer,
    ...validity,
    publicKey: fields.publicKey,
    ...(await signer(fields.signingKey, fields.hash)),
    extensions: fields.extensions,
  })
  const der = new Uint8Array(cert.rawData)
  return {
    certificatePem: toPem(der, 'CERTIFICATE'),
    der,
    serialNumber: cert.serialNumber,
    notBefore: validity.notBefore.toISOString(),
    notAfter: validity.notAfter.toISOString(),
  }
}

export interface ReissueCaOptions {
  /** The CA certificate to renew: its subject, issuer, extensions (SKI, AKI, basicConstraints, key usage, name constraints) are kept. */
  certificatePem: string
  /** The CA's own key (the key the certificate certifies): it stays the same, so what the CA issued stays valid. */
  key: CryptoKey
  /** Omitted: as long as the original was valid. */
  days?: number | undefined
  /** For an intermediate: the certificate and key of the CA that issued it. Omitted: the certificate must be self-signed. */
  issuer?: { certificatePem: string; key: CryptoKey } | undefined
  hash?: CaHash
  now?: Date
}

/** The whole days `cert` was valid for (at least 1). */
export function validityDays(cert: x509.X509Certificate): number {
  return Math.max(1, Math.round((cert.notAfter.getTime() - cert.notBefore.getTime()) / DAY))
}

/**
 * The same CA certificate again with a new serial and validity: same subject, issuer, key and extensions (so the
 * SKI, and every AKI pointing at it, still match). A root is signed by its own key; an intermediate by `issuer`.
 */
export async function reissueCa(options: ReissueCaOptions): Promise<SignedCertificate> {
  const old = readCertificate(options.certificatePem, 'the CA certificate')
  if (!old.getExtension(x509.BasicConstraintsExtension)?.ca)
    throw bad(
      `"${old.subject}" is not a CA certificate (basicConstraints CA:TRUE is missing), so there is no CA to re-issue.`,
      'Renew a client or server certificate by issuing it again for its key.',
    )
  const days = options.days ?? validityDays(old)
  checkDays(days)
  const spki = Buffer.from(await exportSpkiDer(await publicOf(options.key)))
  if (!spki.equals(Buffer.from(old.publicKey.rawData)))
    throw bad('The key does not match the CA certificate: it belongs to a different key pair.', 'Re-issue with the CA’s own key.')
  const now = options.now ?? new Date()
  const selfSigned = old.subject === old.issuer && (await old.verify({ publicKey: old.publicKey, signatureOnly: true }))
  let validity: { notBefore: Date; notAfter: Date }
  if (options.issuer) {
    const issuer = await loadIssuer(options.issuer.certificatePem, options.issuer.key, now)
    if (issuer.cert.subject !== old.issuer)
      throw bad(`"${issuer.cert.subject}" did not issue "${old.subject}" (its issuer is "${old.issuer}").`, 'Give the CA that issued it.')
    validity = validityWithin(issuer.cert, days, now.getTime())
  } else {
    if (!selfSigned)
      throw bad(
        `"${old.subject}" is an intermediate issued by "${old.issuer}", so it cannot sign itself.`,
        'Re-issue it with the key of the CA that issued it.',
      )
    const notBefore = new Date(Math.floor((now.getTime() - CLOCK_SKEW) / 1000) * 1000)
    validity = { notBefore, notAfter: new Date(notBefore.getTime() + days * DAY) }
  }
  return issueCertificate({
    subject: old.subjectName,
    issuer: old.issuerName,
    validity,
    publicKey: old.publicKey,
    signingKey: options.issuer?.key ?? options.key,
    hash: options.hash,
    extensions: old.extensions,
  })
}
