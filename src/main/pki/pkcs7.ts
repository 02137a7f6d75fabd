/**
 * Certs-only PKCS#7 (CMS SignedData without signers: the .p7b/.p7c "certificate bundle" that
 * Windows, Java and many CAs hand out). Written with pkijs; read with pkijs for the structure and
 * asn1js's retained bytes for the certificates, so each comes back byte-for-byte as it went in.
 */
import * as asn1js from 'asn1js'
import * as pkijs from 'pkijs'
import { AppError } from '../../shared/errors'
import { asArrayBuffer, decodeBer } from './ber'
import { toPem } from './encode'

export const OID_SIGNED_DATA = '1.2.840.113549.1.7.2'
const OID_DATA = '1.2.840.113549.1.7.1'

function bad(message: string): AppError {
  return new AppError('bad_input', message, { hint: 'Export the bundle again as PKCS#7 (.p7b), or give the certificates as PEM.' })
}

/** A certs-only SignedData holding `certificates` (DER) in the given order. */
export function encodePkcs7(certificates: Uint8Array[]): Uint8Array {
  if (certificates.length === 0) throw bad('A PKCS#7 bundle needs at least one certificate.')
  const certs = certificates.map((der, i) => {
    try {
      return pkijs.Certificate.fromBER(asArrayBuffer(der))
    } catch (error) {
      throw new AppError('bad_input', `Certificate ${i + 1} could not be decoded, so it cannot go into a PKCS#7 bundle.`, { cause: error })
    }
  })
  const signed = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID_DATA }),
    certificates: certs,
  })
  const info = new pkijs.ContentInfo({ contentType: OID_SIGNED_DATA, content: signed.toSchema(true) })
  return new Uint8Array(info.toSchema().toBER())
}

export function pkcs7ToPem(der: Uint8Array): string {
  return toPem(der, 'PKCS7')
}

/** The certificates (DER, in file order) of a PKCS#7 SignedData; a specific bad_input otherwise. */
export function decodePkcs7(der: Uint8Array): Uint8Array[] {
  const parsed = decodeBer(der)
  if (!parsed.ok) throw bad(`The PKCS#7 bundle is not valid DER: ${parsed.error}.`)
  let info: pkijs.ContentInfo
  try {
    info = new pkijs.ContentInfo({ schema: parsed.result })
  } catch {
    throw bad('This is not a PKCS#7 ContentInfo (the outer structure does not match).')
  }
  if (info.contentType !== OID_SIGNED_DATA)
    throw bad(`This PKCS#7 holds content of type ${info.contentType}, not a certificate bundle (SignedData).`)
  // SignedData ::= SEQUENCE { version, digestAlgorithms, encapContentInfo, certificates [0] IMPLICIT SET OPTIONAL, … }
  const signedData = info.content as asn1js.Sequence
  if (!(signedData instanceof asn1js.Sequence)) throw bad('The PKCS#7 SignedData is malformed.')
  const certSet = signedData.valueBlock.value.find((el) => el.idBlock.tagClass === 3 && el.idBlock.tagNumber === 0)
  if (!certSet) return []
  const items = (certSet as asn1js.Constructed).valueBlock.value ?? []
  return (
    items
      // CertificateChoices: a plain Certificate is a SEQUENCE; attribute/other certs are tagged — skip those.
      .filter((el) => el.idBlock.tagClass === 1 && el.idBlock.tagNumber === 16)
      .map((el) => new Uint8Array(el.valueBeforeDecodeView))
  )
}
