/**
 * A minimal DER writer for the structures Certdesk builds on hot paths (CSRs in bulk issuance).
 * @peculiar/x509's generic ASN.1 object model costs about a millisecond per CSR; writing the few
 * TLVs directly costs microseconds. Only definite-length DER; SETs built here hold one element, so
 * no DER SET OF sorting is needed.
 */
import { isIP } from 'node:net'

function lengthBytes(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length])
  const bytes: number[] = []
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

export function tlv(tag: number, ...content: Uint8Array[]): Buffer {
  const body = Buffer.concat(content)
  return Buffer.concat([Buffer.from([tag]), lengthBytes(body.length), body])
}

export const seq = (...content: Uint8Array[]): Buffer => tlv(0x30, ...content)
export const set = (...content: Uint8Array[]): Buffer => tlv(0x31, ...content)
export const utf8 = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'))
export const printable = (text: string): Buffer => tlv(0x13, Buffer.from(text, 'latin1'))
export const ia5 = (text: string): Buffer => tlv(0x16, Buffer.from(text, 'latin1'))
export const octets = (data: Uint8Array): Buffer => tlv(0x04, data)
export const bitString = (data: Uint8Array): Buffer => tlv(0x03, Buffer.from([0]), data)
export const NULL = Buffer.from([0x05, 0x00])
export const TRUE = Buffer.from([0x01, 0x01, 0xff])
/** Context-specific tag [n]: constructed (EXPLICIT, or IMPLICIT of a constructed type) or primitive IMPLICIT. */
export const context = (n: number, constructed: boolean, ...content: Uint8Array[]): Buffer =>
  tlv((constructed ? 0xa0 : 0x80) | n, ...content)

/** A small non-negative INTEGER. */
export function smallInt(value: number): Buffer {
  if (!Number.isInteger(value) || value < 0 || value > 0x7f) throw new RangeError(`smallInt: ${value}`)
  return Buffer.from([0x02, 0x01, value])
}

const oidCache = new Map<string, Buffer>()

export function oid(dotted: string): Buffer {
  let cached = oidCache.get(dotted)
  if (cached) return cached
  const arcs = dotted.split('.').map(Number)
  const bytes: number[] = []
  const push = (value: number): void => {
    const chunk = [value & 0x7f]
    for (let v = Math.floor(value / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80)
    bytes.push(...chunk)
  }
  push(arcs[0]! * 40 + arcs[1]!)
  for (const arc of arcs.slice(2)) push(arc)
  cached = tlv(0x06, Buffer.from(bytes))
  oidCache.set(dotted, cached)
  return cached
}

/** The 4 or 16 bytes of an IPv4/IPv6 address (for GeneralName iPAddress). */
export function ipBytes(address: string): Buffer {
  const family = isIP(address)
  if (family === 4) return Buffer.from(address.split('.').map(Number))
  if (family !== 6) throw new RangeError(`not an IP address: ${address}`)
  let text = address
  // An embedded IPv4 tail (::ffff:10.0.0.1) becomes two hex groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (v4) {
    const [a, b, c, d] = v4[1]!.split('.').map(Number) as [number, number, number, number]
    text = text.slice(0, -v4[1]!.length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head, tail] = text.split('::') as [string, string | undefined]
  const h = head ? head.split(':') : []
  const t = tail ? tail.split(':') : []
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t]
  const out = Buffer.alloc(16)
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2))
  return out
}
