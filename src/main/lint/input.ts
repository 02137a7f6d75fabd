/**
 * Reads what a user points `lint`/`inspect` at: PEM (any number of blocks) or DER, certificates or
 * PKCS#7 bundles; other PKI files (CSR, keys, PKCS#12, CRL) are named so the user knows what they
 * have. Identification here is by PEM label and DER shape — the PKI domain's `detect` is not
 * committed yet; switch to it once it is.
 */
import { readFile } from 'node:fs/promises'
import { AppError } from '../../shared/errors'
import type { InspectResult } from '../../shared/lint-model'
import { children, decodeOid, DerError, readTlv, TAG } from './der'
import { parseCertificate } from './der'

export type FileKind = InspectResult['kind']

export interface CertificateFile {
  kind: FileKind
  description: string
  /** DER certificates in file order (empty for CSRs, keys…). */
  certificates: Uint8Array[]
}

const CERT_LABELS = new Set(['CERTIFICATE', 'TRUSTED CERTIFICATE', 'X509 CERTIFICATE'])
const OTHER_LABELS: Record<string, [FileKind, string]> = {
  'CERTIFICATE REQUEST': ['csr', 'a certificate signing request (PKCS#10 CSR)'],
  'NEW CERTIFICATE REQUEST': ['csr', 'a certificate signing request (PKCS#10 CSR)'],
  'PRIVATE KEY': ['private-key', 'a private key (PKCS#8, unencrypted)'],
  'ENCRYPTED PRIVATE KEY': ['private-key', 'an encrypted private key (PKCS#8)'],
  'RSA PRIVATE KEY': ['private-key', 'an RSA private key (PKCS#1)'],
  'EC PRIVATE KEY': ['private-key', 'an EC private key (SEC 1)'],
  'PUBLIC KEY': ['public-key', 'a public key (SubjectPublicKeyInfo)'],
  'RSA PUBLIC KEY': ['public-key', 'an RSA public key (PKCS#1)'],
  'X509 CRL': ['crl', 'a certificate revocation list'],
  PKCS12: ['pkcs12', 'a PKCS#12 bundle'],
}
const OID_SIGNED_DATA = '1.2.840.113549.1.7.2'
const OID_DATA = '1.2.840.113549.1.7.1'

/** Certificates inside a PKCS#7 SignedData (a .p7b/.p7c bundle), without verifying anything. */
function pkcs7Certificates(der: Uint8Array): Uint8Array[] | null {
  try {
    const ci = readTlv(der, 0, der.length)
    const [oid, content] = children(der, ci)
    if (oid?.tag !== TAG.OID || decodeOid(der, oid) !== OID_SIGNED_DATA || content?.tag !== 0xa0) return null
    const signedData = readTlv(der, content.valueStart, content.end)
    const certs = children(der, signedData).find((el) => el.tag === 0xa0)
    return certs ? children(der, certs).filter((c) => c.tag === TAG.SEQUENCE).map((c) => der.subarray(c.start, c.end)) : []
  } catch (error) {
    if (error instanceof DerError) return null
    throw error
  }
}

/** Names a DER blob that is not a certificate, by its shape. */
function identifyDer(der: Uint8Array): [FileKind, string] {
  try {
    const top = readTlv(der, 0, der.length)
    const parts = children(der, top)
    const [a, b, c] = parts
    if (a?.tag === TAG.INTEGER && der[a.valueStart] === 3 && b?.tag === TAG.SEQUENCE) {
      const inner = children(der, b)[0]
      if (inner?.tag === TAG.OID && decodeOid(der, inner) === OID_DATA) return ['pkcs12', 'a PKCS#12 bundle (.p12/.pfx); Certdesk needs its password to open it']
    }
    if (a?.tag === TAG.INTEGER && b?.tag === TAG.SEQUENCE && c?.tag === TAG.OCTET_STRING) return ['private-key', 'a DER private key (PKCS#8)']
    if (a?.tag === TAG.INTEGER && b?.tag === TAG.OCTET_STRING) return ['private-key', 'a DER EC private key (SEC 1)']
    if (a?.tag === TAG.INTEGER && b?.tag === TAG.INTEGER) return ['private-key', 'a DER private key (PKCS#1 RSA)']
    if (a?.tag === TAG.SEQUENCE && b?.tag === TAG.SEQUENCE && c?.tag === TAG.BIT_STRING) {
      const info = children(der, a)
      if (info[0]?.tag === TAG.INTEGER && info[1]?.tag === TAG.SEQUENCE && info[2]?.tag === TAG.SEQUENCE) return ['csr', 'a DER certificate signing request (PKCS#10 CSR)']
      if (info[0]?.tag === TAG.SEQUENCE && info[1]?.tag === TAG.SEQUENCE) return ['crl', 'a DER certificate revocation list']
    }
    if (a?.tag === TAG.SEQUENCE && b?.tag === TAG.BIT_STRING && parts.length === 2) return ['public-key', 'a DER public key (SubjectPublicKeyInfo)']
  } catch (error) {
    if (!(error instanceof DerError)) throw error
  }
  return ['unknown', 'not a certificate or any PKI format Certdesk recognises']
}

export function readCertificateData(data: Uint8Array, name = 'the input'): CertificateFile {
  const text = new TextDecoder('latin1').decode(data.subarray(0, Math.min(data.length, 1 << 22)))
  const blocks = [...text.matchAll(/-----BEGIN ([A-Z0-9 #]+)-----([\s\S]*?)-----END \1-----/g)]
  if (blocks.length > 0) {
    const certificates: Uint8Array[] = []
    const others: [FileKind, string][] = []
    for (const [, label, body] of blocks) {
      const der = new Uint8Array(Buffer.from(body!.replace(/^[A-Za-z-]+:.*$/gm, ''), 'base64'))
      if (CERT_LABELS.has(label!)) certificates.push(der)
      else if (label === 'PKCS7') certificates.push(...(pkcs7Certificates(der) ?? []))
      else others.push(OTHER_LABELS[label!] ?? ['unknown', `a PEM block labelled "${label}"`])
    }
    if (certificates.length > 0) {
      const kind = certificates.length === 1 ? 'certificate' : 'chain'
      const extra = others.length ? `, plus ${others.map((o) => o[1]).join(', ')}` : ''
      return { kind, description: `${certificates.length === 1 ? 'a PEM certificate' : `a PEM chain of ${certificates.length} certificates`}${extra}`, certificates }
    }
    const [kind, description] = others[0]!
    return { kind, description, certificates: [] }
  }
  const p7 = pkcs7Certificates(data)
  if (p7) return { kind: 'pkcs7', description: `a PKCS#7 bundle of ${p7.length} certificate(s)`, certificates: p7 }
  try {
    parseCertificate(data)
    return { kind: 'certificate', description: 'a DER certificate', certificates: [data] }
  } catch (error) {
    if (!(error instanceof DerError)) throw error
    const [kind, description] = identifyDer(data)
    if (kind !== 'unknown') return { kind, description, certificates: [] }
    // Looks like it was meant to be a certificate (starts with SEQUENCE) — say what is wrong with it.
    if (data[0] === 0x30) {
      throw new AppError('bad_input', `${name} is not a valid DER certificate: ${error.message}.`, {
        hint: 'Check the file is complete; `openssl x509 -in FILE -inform DER -noout -text` shows the same problem.',
        details: { reason: error.reason, offset: error.offset },
      })
    }
    return { kind, description, certificates: [] }
  }
}

export async function readCertificateFile(path: string): Promise<CertificateFile> {
  let data: Buffer
  try {
    data = await readFile(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new AppError('bad_input', code === 'ENOENT' ? `${path} does not exist.` : `${path} could not be read (${code ?? 'error'}).`, {
      hint: 'Give the path of a PEM or DER certificate file.',
      cause: error,
    })
  }
  if (data.length === 0) throw new AppError('bad_input', `${path} is empty.`, { hint: 'Give the path of a PEM or DER certificate file.' })
  return readCertificateData(new Uint8Array(data), path)
}
