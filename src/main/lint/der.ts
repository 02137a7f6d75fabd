/**
 * A lean DER reader for the lint pass. The trust-store scan lints every root on a machine and fleets
 * hold tens of thousands of client certificates, so this walks the TLV structure of a certificate
 * over a Uint8Array and extracts exactly what the rules need — no object model, no copies (values
 * are subarray views). @peculiar/x509 stays for the rich inspector view.
 *
 * Every malformation becomes a `DerError` with the byte offset and a specific reason; nothing loops
 * without consuming input, so garbage can neither crash nor hang it.
 */

export class DerError extends Error {
  override name = 'DerError'
  constructor(
    readonly reason: string,
    message: string,
    readonly offset: number,
  ) {
    super(message)
  }
}

/** A DER failure in the user's words, for messages: byte offsets and lengths stay in details and the log. */
export function derProblemInWords(error: DerError): string {
  return error.reason === 'truncated' ? 'it is cut short, so part of it is missing' : 'its structure is broken'
}

/** One TLV: the tag byte, where the whole element starts, where its value starts and ends. */
export interface Tlv {
  tag: number
  start: number
  valueStart: number
  end: number
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const

/** Reads the TLV at `pos`, which must end at or before `limit`. */
export function readTlv(buf: Uint8Array, pos: number, limit: number): Tlv {
  if (pos >= limit) throw new DerError('truncated', `expected an element at byte ${pos} but the data ends there`, pos)
  const tag = buf[pos]!
  // Certificates use only low tag numbers; the high-tag-number form never appears in X.509.
  if ((tag & 0x1f) === 0x1f) throw new DerError('bad_tag', `unsupported multi-byte tag 0x${tag.toString(16)} at byte ${pos}`, pos)
  if (pos + 1 >= limit) throw new DerError('truncated', `the length of the element at byte ${pos} is missing`, pos)
  let lenByte = buf[pos + 1]!
  let cursor = pos + 2
  let length: number
  if (lenByte < 0x80) {
    length = lenByte
  } else {
    lenByte &= 0x7f
    if (lenByte === 0) throw new DerError('indefinite_length', `indefinite length at byte ${pos} is not allowed in DER`, pos)
    if (lenByte > 4) throw new DerError('bad_length', `length of ${lenByte} bytes at byte ${pos} is larger than any certificate`, pos)
    if (cursor + lenByte > limit)
      throw new DerError('truncated', `the length of the element at byte ${pos} runs past the end of the data`, pos)
    length = 0
    for (let i = 0; i < lenByte; i++) length = length * 256 + buf[cursor + i]!
    cursor += lenByte
  }
  const end = cursor + length
  if (end > limit) {
    throw new DerError('truncated', `the element at byte ${pos} claims ${length} bytes but only ${limit - cursor} remain`, pos)
  }
  return { tag, start: pos, valueStart: cursor, end }
}

function expect(buf: Uint8Array, pos: number, limit: number, tag: number, what: string): Tlv {
  const tlv = readTlv(buf, pos, limit)
  if (tlv.tag !== tag) {
    throw new DerError('unexpected_tag', `${what} at byte ${pos} has tag 0x${tlv.tag.toString(16)}, expected 0x${tag.toString(16)}`, pos)
  }
  return tlv
}

/** Children of a constructed element, in order. */
export function children(buf: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = []
  let pos = parent.valueStart
  while (pos < parent.end) {
    const child = readTlv(buf, pos, parent.end)
    out.push(child)
    pos = child.end
  }
  return out
}

// Certificates use a few dozen object identifiers, each many times: one decoded before is looked up by
// its exact bytes (a hash of them, then a byte compare), as turning arcs into text costs more than the rest.
const OID_TEXT = new Map<number, { bytes: Uint8Array; text: string }>()
const OID_TEXT_LIMIT = 2048
const OID_MEMO_BYTES = 32

export function decodeOid(buf: Uint8Array, tlv: Tlv): string {
  const { valueStart, end } = tlv
  const length = end - valueStart
  if (length > OID_MEMO_BYTES) return oidText(buf, tlv)
  let h = 0x811c9dc5 ^ length
  for (let i = valueStart; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193)
  const known = OID_TEXT.get(h & 0x3fffffff)
  if (known && known.bytes.length === length) {
    let i = 0
    while (i < length && known.bytes[i] === buf[valueStart + i]) i++
    if (i === length) return known.text
  }
  const text = oidText(buf, tlv)
  if (OID_TEXT.size < OID_TEXT_LIMIT) OID_TEXT.set(h & 0x3fffffff, { bytes: Uint8Array.from(buf.subarray(valueStart, end)), text })
  return text
}

function oidText(buf: Uint8Array, tlv: Tlv): string {
  const { valueStart, end } = tlv
  if (end === valueStart) throw new DerError('bad_oid', `empty object identifier at byte ${tlv.start}`, tlv.start)
  const parts: number[] = []
  let value = 0
  let first = true
  for (let i = valueStart; i < end; i++) {
    const byte = buf[i]!
    // Arcs above 2^53 cannot be represented and never occur in real certificates.
    if (value > 0x1fffffffffff) throw new DerError('bad_oid', `object identifier arc too large at byte ${tlv.start}`, tlv.start)
    value = value * 128 + (byte & 0x7f)
    if ((byte & 0x80) === 0) {
      if (first) {
        const top = value < 40 ? 0 : value < 80 ? 1 : 2
        parts.push(top, value - top * 40)
        first = false
      } else {
        parts.push(value)
      }
      value = 0
    } else if (i === end - 1) {
      throw new DerError('bad_oid', `object identifier at byte ${tlv.start} ends mid-arc`, tlv.start)
    }
  }
  return parts.join('.')
}

export interface AlgorithmIdentifier {
  oid: string
  /** The whole DER AlgorithmIdentifier, for byte-exact inner/outer comparison (RFC 5280 4.1.1.2). */
  raw: Uint8Array
  /** The parameters element, if any. */
  params: Tlv | null
}

function readAlgorithm(buf: Uint8Array, tlv: Tlv, what: string): AlgorithmIdentifier {
  if (tlv.tag !== TAG.SEQUENCE) throw new DerError('unexpected_tag', `${what} at byte ${tlv.start} is not a SEQUENCE`, tlv.start)
  const oidTlv = expect(buf, tlv.valueStart, tlv.end, TAG.OID, `${what} algorithm`)
  const params = oidTlv.end < tlv.end ? readTlv(buf, oidTlv.end, tlv.end) : null
  return { oid: decodeOid(buf, oidTlv), raw: buf.subarray(tlv.start, tlv.end), params }
}

export interface DerTime {
  kind: 'utc' | 'generalized'
  /** Milliseconds since the epoch. */
  ms: number
  year: number
  /** True for the only forms DER allows: YYMMDDHHMMSSZ / YYYYMMDDHHMMSSZ. */
  canonical: boolean
}

function digits(buf: Uint8Array, from: number, count: number, what: string, at: number): number {
  let value = 0
  for (let i = from; i < from + count; i++) {
    const c = buf[i]! - 0x30
    if (c < 0 || c > 9) throw new DerError('bad_time', `${what} at byte ${at} is not a valid time`, at)
    value = value * 10 + c
  }
  return value
}

function readTime(buf: Uint8Array, tlv: Tlv, what: string): DerTime {
  const len = tlv.end - tlv.valueStart
  const v = tlv.valueStart
  let year: number
  let rest: number
  let kind: DerTime['kind']
  if (tlv.tag === TAG.UTC_TIME) {
    if (len < 11) throw new DerError('bad_time', `${what} at byte ${tlv.start} is too short for a UTCTime`, tlv.start)
    const yy = digits(buf, v, 2, what, tlv.start)
    year = yy >= 50 ? 1900 + yy : 2000 + yy // RFC 5280 4.1.2.5.1
    rest = v + 2
    kind = 'utc'
  } else if (tlv.tag === TAG.GENERALIZED_TIME) {
    if (len < 13) throw new DerError('bad_time', `${what} at byte ${tlv.start} is too short for a GeneralizedTime`, tlv.start)
    year = digits(buf, v, 4, what, tlv.start)
    rest = v + 4
    kind = 'generalized'
  } else {
    throw new DerError('unexpected_tag', `${what} at byte ${tlv.start} is neither UTCTime nor GeneralizedTime`, tlv.start)
  }
  const month = digits(buf, rest, 2, what, tlv.start)
  const day = digits(buf, rest + 2, 2, what, tlv.start)
  const hour = digits(buf, rest + 4, 2, what, tlv.start)
  const minute = digits(buf, rest + 6, 2, what, tlv.start)
  let cursor = rest + 8
  let second = 0
  if (cursor + 2 <= tlv.end && buf[cursor] !== 0x5a && buf[cursor] !== 0x2b && buf[cursor] !== 0x2d) {
    second = digits(buf, cursor, 2, what, tlv.start)
    cursor += 2
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    throw new DerError('bad_time', `${what} at byte ${tlv.start} has an out-of-range date or time`, tlv.start)
  }
  let offsetMinutes = 0
  const canonicalLength = kind === 'utc' ? 13 : 15
  if (cursor < tlv.end && buf[cursor] !== 0x5a && buf[cursor] !== 0x2b && buf[cursor] !== 0x2d) {
    // Fractional seconds or other trailing text: BER, tolerated for reading, never canonical.
    while (cursor < tlv.end && buf[cursor] !== 0x5a && buf[cursor] !== 0x2b && buf[cursor] !== 0x2d) cursor++
  }
  if (cursor < tlv.end && (buf[cursor] === 0x2b || buf[cursor] === 0x2d)) {
    if (cursor + 5 > tlv.end) throw new DerError('bad_time', `${what} at byte ${tlv.start} has a truncated UTC offset`, tlv.start)
    const sign = buf[cursor] === 0x2b ? 1 : -1
    offsetMinutes = sign * (digits(buf, cursor + 1, 2, what, tlv.start) * 60 + digits(buf, cursor + 3, 2, what, tlv.start))
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000
  const canonical = len === canonicalLength && buf[tlv.end - 1] === 0x5a
  return { kind, ms, year, canonical }
}

export interface Extension {
  oid: string
  critical: boolean
  /** The contents of extnValue (the DER of the extension's own value). */
  value: Uint8Array
  /** Offset of `value` within the certificate, for error messages. */
  offset: number
}

export interface PublicKeyInfo {
  algorithm: string
  /** Named curve OID for EC keys. */
  curve: string | null
  /** EC key carrying explicit domain parameters instead of a named curve (RFC 5480 forbids it). */
  explicitCurve: boolean
  /** RSA modulus / DSA p bits, curve size for EC/EdDSA; null when it cannot be determined. */
  bits: number | null
  raw: Uint8Array
  /** Why the key inside the BIT STRING does not decode (the certificate still parses), or null. */
  damaged: string | null
}

export interface ParsedCertificate {
  der: Uint8Array
  /** 1, 2 or 3. */
  version: number
  /** Content octets of the serial INTEGER (two's complement, big-endian). */
  serial: Uint8Array
  innerSignature: AlgorithmIdentifier
  outerSignature: AlgorithmIdentifier
  /** Full DER of the Name, for comparison. */
  issuerRaw: Uint8Array
  issuerEmpty: boolean
  subjectRaw: Uint8Array
  subjectEmpty: boolean
  notBefore: DerTime
  notAfter: DerTime
  publicKey: PublicKeyInfo
  /** The issuer's signature over tbsCertificate. */
  tbs: Uint8Array
  signature: Uint8Array
  /** Null when the certificate has no [3] extensions field. */
  extensions: Extension[] | null
}

export const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1'
export const OID_RSA = '1.2.840.113549.1.1.1'
const OID_RSA_PSS = '1.2.840.113549.1.1.10'
const OID_DSA = '1.2.840.10040.4.1'
const CURVE_BITS: Record<string, number> = {
  '1.2.840.10045.3.1.7': 256,
  '1.3.132.0.34': 384,
  '1.3.132.0.35': 521,
  '1.3.132.0.10': 256,
  '1.2.840.10045.3.1.1': 192,
  '1.3.132.0.33': 224,
  '1.3.36.3.3.2.8.1.1.7': 256,
  '1.3.36.3.3.2.8.1.1.11': 384,
  '1.3.36.3.3.2.8.1.1.13': 512,
}
const EDWARDS_BITS: Record<string, number> = { '1.3.101.112': 256, '1.3.101.113': 456, '1.3.101.110': 256, '1.3.101.111': 448 }

/** Bit length of a big-endian unsigned INTEGER's content octets. */
function integerBits(buf: Uint8Array, tlv: Tlv): number {
  let i = tlv.valueStart
  while (i < tlv.end && buf[i] === 0) i++
  if (i === tlv.end) return 0
  return (tlv.end - i - 1) * 8 + (32 - Math.clz32(buf[i]!))
}

function readPublicKey(buf: Uint8Array, tlv: Tlv): PublicKeyInfo {
  if (tlv.tag !== TAG.SEQUENCE)
    throw new DerError('unexpected_tag', `subjectPublicKeyInfo at byte ${tlv.start} is not a SEQUENCE`, tlv.start)
  const algTlv = readTlv(buf, tlv.valueStart, tlv.end)
  const alg = readAlgorithm(buf, algTlv, 'subjectPublicKeyInfo')
  const keyTlv = expect(buf, algTlv.end, tlv.end, TAG.BIT_STRING, 'subjectPublicKey')
  let curve: string | null = null
  let explicitCurve = false
  let bits: number | null = null
  let damaged: string | null = null
  try {
    ;({ curve, explicitCurve, bits } = keyDetails(buf, alg, keyTlv))
  } catch (error) {
    // A key that does not decode is that certificate's problem: report it there and lint the rest.
    if (!(error instanceof DerError)) throw error
    damaged = error.message
  }
  return { algorithm: alg.oid, curve, explicitCurve, bits, raw: buf.subarray(tlv.start, tlv.end), damaged }
}

function keyDetails(
  buf: Uint8Array,
  alg: AlgorithmIdentifier,
  keyTlv: Tlv,
): { curve: string | null; explicitCurve: boolean; bits: number | null } {
  let curve: string | null = null
  let explicitCurve = false
  let bits: number | null = null
  if (alg.oid === OID_RSA || alg.oid === OID_RSA_PSS) {
    // BIT STRING: one unused-bits byte, then RSAPublicKey ::= SEQUENCE { modulus, publicExponent }.
    const seq = expect(buf, keyTlv.valueStart + 1, keyTlv.end, TAG.SEQUENCE, 'RSAPublicKey')
    bits = integerBits(buf, expect(buf, seq.valueStart, seq.end, TAG.INTEGER, 'RSA modulus'))
  } else if (alg.oid === OID_EC_PUBLIC_KEY) {
    if (alg.params?.tag === TAG.OID) {
      curve = decodeOid(buf, alg.params)
      bits = CURVE_BITS[curve] ?? null
    } else if (alg.params?.tag === TAG.SEQUENCE) {
      explicitCurve = true
      // Explicit ECParameters: the point length tells the field size closely enough for strength checks.
      const pointBytes = keyTlv.end - keyTlv.valueStart - 1
      bits = pointBytes > 1 ? ((pointBytes - 1) / 2) * 8 : null
    }
  } else if (alg.oid === OID_DSA && alg.params?.tag === TAG.SEQUENCE) {
    bits = integerBits(buf, expect(buf, alg.params.valueStart, alg.params.end, TAG.INTEGER, 'DSA p'))
  } else {
    bits = EDWARDS_BITS[alg.oid] ?? null
  }
  return { curve, explicitCurve, bits }
}

/** A bare SubjectPublicKeyInfo (a CSR's key, say), read the way a certificate's is. */
export function parsePublicKeyInfo(spki: Uint8Array): PublicKeyInfo {
  const key = readPublicKey(spki, readTlv(spki, 0, spki.length))
  if (key.damaged) throw new DerError('bad_key', key.damaged, 0)
  return key
}

/** A Name is empty when its RDNSequence has no RelativeDistinguishedName. */
function readName(buf: Uint8Array, tlv: Tlv, what: string): { raw: Uint8Array; empty: boolean } {
  if (tlv.tag !== TAG.SEQUENCE) throw new DerError('unexpected_tag', `${what} name at byte ${tlv.start} is not a SEQUENCE`, tlv.start)
  return { raw: buf.subarray(tlv.start, tlv.end), empty: tlv.end === tlv.valueStart }
}

function readExtensions(buf: Uint8Array, wrapper: Tlv): Extension[] {
  const seq = expect(buf, wrapper.valueStart, wrapper.end, TAG.SEQUENCE, 'extensions')
  const out: Extension[] = []
  for (const ext of children(buf, seq)) {
    if (ext.tag !== TAG.SEQUENCE) throw new DerError('unexpected_tag', `extension at byte ${ext.start} is not a SEQUENCE`, ext.start)
    const oidTlv = expect(buf, ext.valueStart, ext.end, TAG.OID, 'extension id')
    let next = readTlv(buf, oidTlv.end, ext.end)
    let critical = false
    if (next.tag === TAG.BOOLEAN) {
      critical = next.end > next.valueStart && buf[next.valueStart] !== 0
      next = readTlv(buf, next.end, ext.end)
    }
    if (next.tag !== TAG.OCTET_STRING)
      throw new DerError('unexpected_tag', `extension value at byte ${next.start} is not an OCTET STRING`, next.start)
    out.push({ oid: decodeOid(buf, oidTlv), critical, value: buf.subarray(next.valueStart, next.end), offset: next.valueStart })
  }
  return out
}

/** Parses a DER X.509 certificate far enough for every lint rule. Throws DerError on malformed input. */
export function parseCertificate(der: Uint8Array): ParsedCertificate {
  const cert = readTlv(der, 0, der.length)
  if (cert.tag !== TAG.SEQUENCE)
    throw new DerError('not_certificate', 'the data does not start with a SEQUENCE, so it is not a DER certificate', 0)
  if (cert.end !== der.length)
    throw new DerError('trailing_data', `${der.length - cert.end} unexpected bytes follow the certificate`, cert.end)
  const tbs = expect(der, cert.valueStart, cert.end, TAG.SEQUENCE, 'tbsCertificate')
  const outerAlgTlv = readTlv(der, tbs.end, cert.end)
  const outerSignature = readAlgorithm(der, outerAlgTlv, 'signatureAlgorithm')
  const sigTlv = expect(der, outerAlgTlv.end, cert.end, TAG.BIT_STRING, 'signatureValue')
  if (sigTlv.end !== cert.end) throw new DerError('trailing_data', `unexpected data after the signature at byte ${sigTlv.end}`, sigTlv.end)

  let pos = tbs.valueStart
  let el = readTlv(der, pos, tbs.end)
  let version = 1
  if (el.tag === 0xa0) {
    const v = expect(der, el.valueStart, el.end, TAG.INTEGER, 'version')
    if (v.end - v.valueStart !== 1 || der[v.valueStart]! > 2) {
      throw new DerError('bad_version', `version at byte ${v.start} is not v1, v2 or v3`, v.start)
    }
    version = der[v.valueStart]! + 1
    pos = el.end
    el = readTlv(der, pos, tbs.end)
  }
  if (el.tag !== TAG.INTEGER) throw new DerError('unexpected_tag', `serialNumber at byte ${el.start} is not an INTEGER`, el.start)
  if (el.end === el.valueStart) throw new DerError('bad_serial', `serialNumber at byte ${el.start} has no content octets`, el.start)
  const serial = der.subarray(el.valueStart, el.end)
  el = readTlv(der, el.end, tbs.end)
  const innerSignature = readAlgorithm(der, el, 'tbsCertificate signature')
  el = readTlv(der, el.end, tbs.end)
  const issuer = readName(der, el, 'issuer')
  const validity = expect(der, el.end, tbs.end, TAG.SEQUENCE, 'validity')
  const nb = readTlv(der, validity.valueStart, validity.end)
  const na = readTlv(der, nb.end, validity.end)
  const notBefore = readTime(der, nb, 'notBefore')
  const notAfter = readTime(der, na, 'notAfter')
  el = readTlv(der, validity.end, tbs.end)
  const subject = readName(der, el, 'subject')
  el = readTlv(der, el.end, tbs.end)
  const publicKey = readPublicKey(der, el)
  pos = el.end
  let extensions: Extension[] | null = null
  while (pos < tbs.end) {
    el = readTlv(der, pos, tbs.end)
    if (el.tag === 0xa3) extensions = readExtensions(der, el)
    else if (el.tag !== 0x81 && el.tag !== 0x82 && el.tag !== 0xa1 && el.tag !== 0xa2) {
      throw new DerError(
        'unexpected_tag',
        `unexpected element with tag 0x${el.tag.toString(16)} at byte ${el.start} in tbsCertificate`,
        el.start,
      )
    }
    pos = el.end
  }
  return {
    der,
    version,
    serial,
    innerSignature,
    outerSignature,
    issuerRaw: issuer.raw,
    issuerEmpty: issuer.empty,
    subjectRaw: subject.raw,
    subjectEmpty: subject.empty,
    notBefore,
    notAfter,
    publicKey,
    tbs: der.subarray(tbs.start, tbs.end),
    signature: der.subarray(sigTlv.valueStart + 1, sigTlv.end),
    extensions,
  }
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

export function toHex(bytes: Uint8Array): string {
  let out = ''
  for (const b of bytes) out += (b < 16 ? '0' : '') + b.toString(16)
  return out
}
