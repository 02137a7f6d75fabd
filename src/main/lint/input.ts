/**
 * Reads what a user points `lint`/`inspect` at: PEM (any number of blocks) or DER, certificates or
 * PKCS#7 bundles, with the lean DER reader (this is the hot path of a trust-store scan). Anything
 * else (CSR, keys, PKCS#12, CRL) is named by the PKI domain's `detect`, so the user knows what they have.
 */
import { readFile } from 'node:fs/promises'
import { AppError } from '../../shared/errors'
import type { InspectResult } from '../../shared/lint-model'
import { checkPemCount, checkPemFileSize, checkPemInputSize, pemLabelKind, scanPem } from '../certs/pem'
import type { Detected } from '../pki/detect'
import { children, decodeOid, DerError, derProblemInWords, readTlv, TAG } from './der'
import { parseCertificate } from './der'

export type FileKind = InspectResult['kind']

export interface CertificateFile {
  kind: FileKind
  description: string
  /** DER certificates in file order (empty for CSRs, keys…). */
  certificates: Uint8Array[]
}

const OID_SIGNED_DATA = '1.2.840.113549.1.7.2'

/** Certificates inside a PKCS#7 SignedData (a .p7b/.p7c bundle), without verifying anything. */
function pkcs7Certificates(der: Uint8Array): Uint8Array[] | null {
  try {
    const ci = readTlv(der, 0, der.length)
    const [oid, content] = children(der, ci)
    if (oid?.tag !== TAG.OID || decodeOid(der, oid) !== OID_SIGNED_DATA || content?.tag !== 0xa0) return null
    const signedData = readTlv(der, content.valueStart, content.end)
    const certs = children(der, signedData).find((el) => el.tag === 0xa0)
    return certs
      ? children(der, certs)
          .filter((c) => c.tag === TAG.SEQUENCE)
          .map((c) => der.subarray(c.start, c.end))
      : []
  } catch (error) {
    if (error instanceof DerError) return null
    throw error
  }
}

/**
 * The PKI domain's detector names what holds no certificate. It loads asn1js, pkijs and @peculiar/x509, so it is
 * loaded only for such input (`certdesk lint cert.pem` never loads it): readCertificateFile loads it when needed;
 * a synchronous caller passes it to readCertificateData, or loads it first with loadDetector().
 */
export type Detect = (input: Uint8Array) => Detected
let loadedDetect: Detect | undefined

export async function loadDetector(): Promise<Detect> {
  if (!loadedDetect) {
    await import('reflect-metadata') // before @peculiar/x509, as in inspect.ts
    loadedDetect = (await import('../pki/detect')).detect
  }
  return loadedDetect
}

class DetectorNotLoaded extends Error {
  override name = 'DetectorNotLoaded'
}

/** Names what holds no certificate, with the PKI domain's detector. */
function identifyOther(data: Uint8Array, detect = loadedDetect): [FileKind, string] {
  if (!detect)
    throw new DetectorNotLoaded('readCertificateData: pass the PKI detector (or await loadDetector()) to name input without a certificate')
  try {
    const found = detect(data)
    return [found.kind === 'encrypted-private-key' ? 'private-key' : found.kind === 'chain' ? 'certificate' : found.kind, found.description]
  } catch (error) {
    if (!(error instanceof AppError)) throw error
    if (error.details?.['label'] === 'X509 CRL') return ['crl', 'a certificate revocation list (CRL)']
    return ['unknown', `not a certificate or any PKI format Certdesk recognises (${error.message.replace(/\.$/, '')})`]
  }
}

export function readCertificateData(data: Uint8Array, name = 'the input', detect?: Detect): CertificateFile {
  checkPemInputSize(data.length, name)
  const blocks = scanPem(new TextDecoder('latin1').decode(data))
  checkPemCount(blocks.length, 'PEM blocks', name)
  if (blocks.length > 0) {
    const certificates: Uint8Array[] = []
    const others: string[] = []
    for (const { label, body } of blocks) {
      const der = new Uint8Array(Buffer.from(body, 'base64'))
      if (pemLabelKind(label) === 'certificate') certificates.push(der)
      else if (label === 'PKCS7') certificates.push(...(pkcs7Certificates(der) ?? []))
      else others.push(label)
    }
    checkPemCount(certificates.length, 'certificates', name)
    if (certificates.length > 0) {
      const kind = certificates.length === 1 ? 'certificate' : 'chain'
      const extra = others.length
        ? `, plus ${others.length === 1 ? 'another PEM block' : `${others.length} other PEM blocks`} (${others.join(', ')})`
        : ''
      return {
        kind,
        description: `${certificates.length === 1 ? 'a PEM certificate' : `a PEM chain of ${certificates.length} certificates`}${extra}`,
        certificates,
      }
    }
    const [kind, description] = identifyOther(data, detect)
    return { kind, description, certificates: [] }
  }
  const p7 = pkcs7Certificates(data)
  if (p7) {
    checkPemCount(p7.length, 'certificates', name)
    return { kind: 'pkcs7', description: `a PKCS#7 bundle of ${p7.length} certificate(s)`, certificates: p7 }
  }
  try {
    parseCertificate(data)
    return { kind: 'certificate', description: 'a DER certificate', certificates: [data] }
  } catch (error) {
    if (!(error instanceof DerError)) throw error
    const [kind, description] = identifyOther(data, detect)
    if (kind !== 'unknown') return { kind, description, certificates: [] }
    // Looks like it was meant to be a certificate (starts with SEQUENCE) — say what is wrong with it.
    if (data[0] === 0x30) {
      throw new AppError('bad_input', `${name} is damaged or not DER: ${derProblemInWords(error)}.`, {
        hint: 'Check the file is complete; `openssl x509 -in FILE -inform DER -noout -text` shows the same problem.',
        details: { reason: error.reason, offset: error.offset },
      })
    }
    return { kind, description, certificates: [] }
  }
}

export async function readCertificateFile(path: string): Promise<CertificateFile> {
  checkPemFileSize(path)
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
  const bytes = new Uint8Array(data)
  try {
    return readCertificateData(bytes, path)
  } catch (error) {
    if (!(error instanceof DetectorNotLoaded)) throw error
    return readCertificateData(bytes, path, await loadDetector())
  }
}
