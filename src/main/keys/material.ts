/**
 * Key material without the vault: new keys, CSRs and roots, reading a key or a root with its key,
 * signing and PKCS#12. KeyService keeps what these make in the vault; `certdesk key|csr|ca|p12`
 * writes it to files. Loaded on demand by the CLI (it pulls in @peculiar/x509 and pkijs).
 */
import { createPublicKey, X509Certificate, type webcrypto } from 'node:crypto'
import { AppError } from '../../shared/errors'
import type { KeyType, SanEntry } from '../../shared/pki-model'
import { parseOrThrow } from '../lint/engine'
import { assertKeyMatchesSpki, decodePem, parsePem, privateKeyToPem, readPrivateKey, sha256Hex, toPem } from '../pki/encode'
import { exportPkcs8Der, importKeyObject, keyTypeOfKeyObject, type KeyPair } from '../pki/keys'
import { createCsr, csrSans, readCsr, type CreateCsrOptions } from '../pki/csr'

export { createRootCa, reissueCa, signCsr } from '../pki/ca'
export { parseSan, validateSubject } from '../pki/csr'
export { exportPkcs8Der, generateKey, shutdownKeyPool, type KeyPair } from '../pki/keys'
export { exportPkcs12 } from '../pki/pkcs12'

/** What a CSR says, read back from its DER (signature checked): subject, SANs and the key's type. */
export interface DecodedCsr {
  subject: string
  sans: SanEntry[]
  keyType: KeyType
}

/** A CSR for `keys`, and what it says as read back from its own DER (what Cloudflare will see). */
export async function newCsr(options: CreateCsrOptions): Promise<{ pem: string; decoded: DecodedCsr }> {
  const { pem } = await createCsr(options)
  const csr = await readCsr(pem)
  const publicKey = createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: 'der', type: 'spki' })
  return { pem, decoded: { subject: csr.subject, sans: csrSans(csr), keyType: keyTypeOfKeyObject(publicKey) } }
}

/** A private key given as PEM (PKCS#1/SEC1/PKCS#8, possibly encrypted) or DER, as a CryptoKey pair. */
export async function readKeyPair(input: string | Uint8Array, password?: string): Promise<KeyPair> {
  return importKeyObject(readPrivateKey(input, password))
}

/** A private key as PKCS#8 PEM, encrypted (PBES2/AES-256-CBC) when a password is given. */
export async function privateKeyPem(privateKey: webcrypto.CryptoKey, password?: string): Promise<string> {
  return privateKeyToPem(await exportPkcs8Der(privateKey), password)
}

/** Every CERTIFICATE block of a PEM text, as DER, in order. */
export function certificateDers(text: string): Uint8Array[] {
  return parsePem(text)
    .filter((b) => b.label === 'CERTIFICATE')
    .map((b) => b.der)
}

export interface RootWithKey {
  /** The root alone, re-encoded as PEM. */
  pem: string
  sha256: string
  /** The subject's common name, for messages and labels. */
  name: string
  keys: KeyPair
}

/**
 * An existing root and its private key, checked to belong together: one certificate (a chain is
 * refused), that parses, whose public key is the key's.
 */
export async function readRootWithKey(certificatePem: string, keyPem: string, passphrase?: string): Promise<RootWithKey> {
  const block = decodePem(certificatePem, ['CERTIFICATE'], 'the root certificate')
  if (certificateDers(certificatePem).length > 1) {
    throw new AppError('bad_input', 'That is a chain of certificates; Gateway takes the root certificate alone.', {
      hint: 'Give only the root (the self-signed certificate at the top of the chain).',
    })
  }
  const key = readPrivateKey(keyPem, passphrase || undefined)
  parseOrThrow(block.der, 'root certificate')
  const certificate = new X509Certificate(block.der)
  assertKeyMatchesSpki(key, certificate.publicKey.export({ type: 'spki', format: 'der' }), 'the root certificate')
  const name = /^CN=(.+)$/m.exec(certificate.subject)?.[1] ?? 'imported root'
  return { pem: toPem(block.der, 'CERTIFICATE'), sha256: sha256Hex(block.der), name, keys: await importKeyObject(key) }
}

/** What a PEM certificate's records name it by: serial (lowercase hex), expiry, issuer, and whether it signed itself. */
export function certificateFacts(pem: string): { serialNumber: string; notAfter: string; issuer: string; selfSigned: boolean } {
  const cert = new X509Certificate(decodePem(pem, ['CERTIFICATE'], 'the certificate').der)
  return {
    serialNumber: cert.serialNumber.toLowerCase(),
    notAfter: new Date(cert.validTo).toISOString(),
    issuer: cert.issuer.replace(/\n/g, ', '),
    selfSigned: cert.checkIssued(cert) && cert.verify(cert.publicKey),
  }
}

/** Whether the certificate `issuerPem` issued `pem`: names (and key identifiers) match and its key verifies the signature. */
export function issuedBy(pem: string, issuerPem: string): boolean {
  const cert = new X509Certificate(decodePem(pem, ['CERTIFICATE'], 'the certificate').der)
  const issuer = new X509Certificate(decodePem(issuerPem, ['CERTIFICATE'], 'the issuer certificate').der)
  return cert.checkIssued(issuer) && cert.verify(issuer.publicKey)
}
