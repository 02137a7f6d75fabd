/** Distinguished names from raw DER, for chain reports and the inspector (RFC 4514 order: most specific first). */
import type { DistinguishedName, NameAttribute } from '../../shared/lint-model'
import { children, decodeOid, DerError, readTlv, TAG } from './der'
import { NAME_ATTRIBUTES } from './oids'

const latin1 = new TextDecoder('latin1')
const utf8 = new TextDecoder('utf-8')

function decodeString(buf: Uint8Array, tag: number): string {
  switch (tag) {
    case 0x0c: // UTF8String
      return utf8.decode(buf)
    case 0x1e: {
      // BMPString: UTF-16BE
      let s = ''
      for (let i = 0; i + 1 < buf.length; i += 2) s += String.fromCharCode((buf[i]! << 8) | buf[i + 1]!)
      return s
    }
    case 0x1c: {
      // UniversalString: UTF-32BE
      let s = ''
      for (let i = 0; i + 3 < buf.length; i += 4)
        s += String.fromCodePoint(((buf[i]! << 24) | (buf[i + 1]! << 16) | (buf[i + 2]! << 8) | buf[i + 3]!) >>> 0)
      return s
    }
    default: // PrintableString, IA5String, T61String, VisibleString, NumericString
      return latin1.decode(buf)
  }
}

const escape = (value: string): string =>
  value
    .replace(/([,+"\\<>;=])/g, '\\$1')
    .replace(/^([ #])/, '\\$1')
    .replace(/ $/, '\\ ')

export function decodeName(raw: Uint8Array): DistinguishedName {
  const attributes: NameAttribute[] = []
  const rdns: string[] = []
  try {
    const seq = readTlv(raw, 0, raw.length)
    for (const rdn of children(raw, seq)) {
      const parts: string[] = []
      for (const atv of children(raw, rdn)) {
        const [oidTlv, valueTlv] = children(raw, atv)
        if (!oidTlv || oidTlv.tag !== TAG.OID || !valueTlv) continue
        const oid = decodeOid(raw, oidTlv)
        const type = NAME_ATTRIBUTES[oid] ?? oid
        const value = decodeString(raw.subarray(valueTlv.valueStart, valueTlv.end), valueTlv.tag)
        attributes.push({ type, oid, value })
        parts.push(`${type}=${escape(value)}`)
      }
      rdns.push(parts.join('+'))
    }
  } catch (error) {
    if (!(error instanceof DerError)) throw error
    return { text: '(malformed name)', attributes }
  }
  return { text: rdns.reverse().join(', '), attributes }
}

export function describeName(raw: Uint8Array): string {
  const text = decodeName(raw).text
  return text === '' ? '(empty)' : text
}
