/**
 * GeneralNames (RFC 5280 4.2.1.6) and the names a certificate asserts about its subject, read with the
 * lean DER reader: what name constraints (4.2.1.10) and host name matching (RFC 6125) compare.
 */
import { children, decodeOid, DerError, readTlv, TAG } from '../der'

/** GeneralName CHOICE numbers. */
export const GN = { otherName: 0, rfc822: 1, dns: 2, x400: 3, directory: 4, edi: 5, uri: 6, ip: 7, registeredId: 8 } as const

export const GN_LABEL = [
  'otherName',
  'rfc822Name',
  'dNSName',
  'x400Address',
  'directoryName',
  'ediPartyName',
  'URI',
  'iPAddress',
  'registeredID',
]

export interface GeneralName {
  type: number
  /** The content: IA5 text bytes, IP octets, or for directoryName the DER of the Name. */
  value: Uint8Array
}

const latin1 = new TextDecoder('latin1')
const utf8 = new TextDecoder('utf-8')
export const text = (name: GeneralName): string => latin1.decode(name.value)

/** An extension value that is a SEQUENCE OF GeneralName (subjectAltName). Throws DerError when it is not well-formed. */
export function readGeneralNames(buf: Uint8Array): GeneralName[] {
  const seq = readTlv(buf, 0, buf.length)
  if (seq.tag !== TAG.SEQUENCE) throw new DerError('unexpected_tag', 'GeneralNames is not a SEQUENCE', 0)
  if (seq.end !== buf.length) throw new DerError('trailing_data', 'GeneralNames has trailing bytes', seq.end)
  return children(buf, seq).map((el) => readGeneralName(buf, el.start, el.end))
}

export function readGeneralName(buf: Uint8Array, start: number, end: number): GeneralName {
  const el = readTlv(buf, start, end)
  if ((el.tag & 0xc0) !== 0x80) throw new DerError('unexpected_tag', 'a GeneralName is not context-tagged', start)
  const type = el.tag & 0x1f
  if (type > 8) throw new DerError('unexpected_tag', 'a GeneralName has an unknown type', start)
  if (type === GN.directory) {
    const inner = readTlv(buf, el.valueStart, el.end)
    const value = buf.subarray(inner.start, inner.end)
    canonicalRdns(value) // throws DerError when the Name inside is not well-formed
    return { type, value }
  }
  return { type, value: buf.subarray(el.valueStart, el.end) }
}

const OID_CN = '2.5.4.3'
const OID_EMAIL = '1.2.840.113549.1.9.1'

export interface SubjectStrings {
  /** commonName values, as text. */
  cn: string[]
  /** emailAddress values; `ia5` false when one is not an IA5String (OpenSSL then reports unsupported syntax). */
  email: { value: string; ia5: boolean }[]
}

/** The CN and emailAddress attributes of a DER Name. */
export function subjectStrings(name: Uint8Array): SubjectStrings {
  const out: SubjectStrings = { cn: [], email: [] }
  try {
    const seq = readTlv(name, 0, name.length)
    for (const rdn of children(name, seq)) {
      for (const atv of children(name, rdn)) {
        const [oidTlv, valueTlv] = children(name, atv)
        if (oidTlv?.tag !== TAG.OID || !valueTlv) continue
        const oid = decodeOid(name, oidTlv)
        const value = name.subarray(valueTlv.valueStart, valueTlv.end)
        if (oid === OID_CN) out.cn.push((valueTlv.tag === 0x0c ? utf8 : latin1).decode(value))
        else if (oid === OID_EMAIL) out.email.push({ value: latin1.decode(value), ia5: valueTlv.tag === 0x16 })
      }
    }
  } catch (error) {
    if (!(error instanceof DerError)) throw error
  }
  return out
}

/**
 * A Name as comparable RDNs: each "oid=value" with the value case-folded and inner whitespace
 * collapsed, approximating the canonical encoding verifiers compare directoryName constraints on.
 */
export function canonicalRdns(name: Uint8Array): string[] {
  const seq = readTlv(name, 0, name.length)
  return children(name, seq).map((rdn) =>
    children(name, rdn)
      .map((atv) => {
        const [oidTlv, valueTlv] = children(name, atv)
        if (oidTlv?.tag !== TAG.OID || !valueTlv) throw new DerError('unexpected_tag', 'malformed attribute in a name', atv.start)
        const value = (valueTlv.tag === 0x0c ? utf8 : latin1).decode(name.subarray(valueTlv.valueStart, valueTlv.end))
        return `${decodeOid(name, oidTlv)}=${value.trim().replace(/\s+/g, ' ').toLowerCase()}`
      })
      .sort()
      .join('+'),
  )
}

/** IPv4 / IPv6 text for 4 or 16 octets (anything else as hex). */
export function ipText(bytes: Uint8Array): string {
  if (bytes.length === 4) return [...bytes].join('.')
  if (bytes.length === 16) {
    const groups: string[] = []
    for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16))
    return groups.join(':')
  }
  return Buffer.from(bytes).toString('hex')
}
