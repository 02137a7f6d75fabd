// In-process certificate chains for path-validation tests: TBS written with the PKI engine's DER
// writer and signed with node:crypto, so any extension (malformed, duplicated, unknown critical)
// can be produced in microseconds. Keys are EC P-256 (or RSA-2048 for benchmarks).
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto'
import { bitString, context, ia5, ipBytes, octets, oid, printable, seq, set, tlv, TRUE, utf8 } from '../../src/main/pki/der-writer'

export interface Key {
  privateKey: KeyObject
  spki: Buffer
  keyId: Buffer
  /** The AlgorithmIdentifier of what this key signs: ecdsa-with-SHA256 or sha256WithRSAEncryption. */
  signatureAlgorithm: Buffer
}

const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'))
const RSA_SHA256 = seq(oid('1.2.840.113549.1.1.11'), Buffer.from([5, 0]))

/** An EC P-256 key (default), or an RSA-2048 one. */
export function newKey(type: 'ec' | 'rsa' = 'ec'): Key {
  const { privateKey, publicKey } =
    type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const spki = publicKey.export({ format: 'der', type: 'spki' })
  // RFC 5280 4.2.1.2 method (1) for P-256 (SHA-1 of the 65-byte point); any stable value links SKI and AKI.
  const keyId = createHash('sha1')
    .update(type === 'rsa' ? spki : spki.subarray(spki.length - 65))
    .digest()
  return { privateKey, spki, keyId, signatureAlgorithm: type === 'rsa' ? RSA_SHA256 : ECDSA_SHA256 }
}

export interface Ext {
  oid: string
  critical?: boolean
  value: Uint8Array
}

/** A Name from [type, value] pairs, one attribute per RDN; `[]` is the empty name. */
export function name(...attrs: [string, string][]): Buffer {
  const types: Record<string, string> = { CN: '2.5.4.3', O: '2.5.4.10', OU: '2.5.4.11', C: '2.5.4.6', E: '1.2.840.113549.1.9.1' }
  return seq(...attrs.map(([t, v]) => set(seq(oid(types[t] ?? t), t === 'C' ? printable(v) : t === 'E' ? ia5(v) : utf8(v)))))
}
export const cn = (value: string): Buffer => name(['CN', value])

/** GeneralName encoders (RFC 5280 4.2.1.6), IMPLICIT context tags. */
export const gn = {
  dns: (v: string): Buffer => tlv(0x82, Buffer.from(v, 'latin1')),
  email: (v: string): Buffer => tlv(0x81, Buffer.from(v, 'latin1')),
  uri: (v: string): Buffer => tlv(0x86, Buffer.from(v, 'latin1')),
  ip: (v: string): Buffer => tlv(0x87, ipBytes(v)),
  /** An iPAddress constraint: address and mask, e.g. ipNet('10.0.0.0', '255.0.0.0'). */
  ipNet: (addr: string, mask: string): Buffer => tlv(0x87, Buffer.concat([ipBytes(addr), ipBytes(mask)])),
  ipRaw: (bytes: number[]): Buffer => tlv(0x87, Buffer.from(bytes)),
  dir: (n: Buffer): Buffer => context(4, true, n),
}

const EXT_OID = {
  bc: '2.5.29.19',
  ku: '2.5.29.15',
  ski: '2.5.29.14',
  aki: '2.5.29.35',
  san: '2.5.29.17',
  nc: '2.5.29.30',
  eku: '2.5.29.37',
  pc: '2.5.29.36',
  iap: '2.5.29.54',
  aia: '1.3.6.1.5.5.7.1.1',
}

const KU_BITS: Record<string, number> = { digitalSignature: 0, keyEncipherment: 2, keyAgreement: 4, keyCertSign: 5, cRLSign: 6 }

export const ext = {
  bc: (ca: boolean, pathLen?: number, critical = true): Ext => ({
    oid: EXT_OID.bc,
    critical,
    value: seq(...(ca ? [TRUE] : []), ...(pathLen === undefined ? [] : [tlv(0x02, Buffer.from([pathLen]))])),
  }),
  ku: (bits: (keyof typeof KU_BITS)[], critical = true): Ext => {
    let mask = 0
    for (const b of bits) mask |= 0x8000 >> KU_BITS[b]!
    const bytes = mask & 0xff ? [mask >> 8, mask & 0xff] : [mask >> 8]
    let unused = 0
    const last = bytes[bytes.length - 1]!
    while (unused < 7 && last !== 0 && (last & (1 << unused)) === 0) unused++
    return { oid: EXT_OID.ku, critical, value: tlv(0x03, Buffer.from([unused, ...bytes])) }
  },
  ski: (key: Key): Ext => ({ oid: EXT_OID.ski, value: octets(key.keyId) }),
  aki: (key: Key): Ext => ({ oid: EXT_OID.aki, value: seq(tlv(0x80, key.keyId)) }),
  san: (names: Buffer[], critical = false): Ext => ({ oid: EXT_OID.san, critical, value: seq(...names) }),
  /** NameConstraints from permitted and excluded base names (null leaves the field out). */
  nc: (permitted: Buffer[] | null, excluded: Buffer[] | null = null, critical = true): Ext => ({
    oid: EXT_OID.nc,
    critical,
    value: seq(
      ...(permitted ? [context(0, true, ...permitted.map((b) => seq(b)))] : []),
      ...(excluded ? [context(1, true, ...excluded.map((b) => seq(b)))] : []),
    ),
  }),
  eku: (oids: string[], critical = false): Ext => ({ oid: EXT_OID.eku, critical, value: seq(...oids.map((o) => oid(o))) }),
  /** PolicyConstraints with requireExplicitPolicy / inhibitPolicyMapping skip counts. */
  pc: (require: number | null, inhibit: number | null, critical = true): Ext => ({
    oid: EXT_OID.pc,
    critical,
    value: seq(
      ...(require === null ? [] : [tlv(0x80, Buffer.from([require]))]),
      ...(inhibit === null ? [] : [tlv(0x81, Buffer.from([inhibit]))]),
    ),
  }),
  inhibitAnyPolicy: (skip: number, critical = true): Ext => ({ oid: EXT_OID.iap, critical, value: tlv(0x02, Buffer.from([skip])) }),
  aia: (url: string, critical = false): Ext => ({
    oid: EXT_OID.aia,
    critical,
    value: seq(seq(oid('1.3.6.1.5.5.7.48.2'), gn.uri(url))),
  }),
  raw: (o: string, value: Uint8Array, critical = false): Ext => ({ oid: o, critical, value }),
}

export const EKU_OID = { serverAuth: '1.3.6.1.5.5.7.3.1', clientAuth: '1.3.6.1.5.5.7.3.2' }

const DAY = 86_400_000
function time(d: Date): Buffer {
  const iso = d.toISOString()
  const year = d.getUTCFullYear()
  const body = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`
  return year < 2050 ? tlv(0x17, Buffer.from(body.slice(2), 'latin1')) : tlv(0x18, Buffer.from(body, 'latin1'))
}

export interface CertSpec {
  subject: Buffer
  issuer: Buffer
  key: Key
  signer: Key
  exts?: Ext[]
  serial?: number
  version?: 1 | 3
  notBefore?: Date
  notAfter?: Date
}

export const T0 = Date.UTC(2026, 0, 1)

export function certificate(spec: CertSpec): Uint8Array {
  const notBefore = spec.notBefore ?? new Date(T0 - DAY)
  const notAfter = spec.notAfter ?? new Date(T0 + 365 * DAY)
  const serial = spec.serial ?? 0x1234
  // Minimal two's-complement INTEGER content (DER): big-endian, a leading 0 only before a high bit.
  const serialBytes: number[] = []
  for (let v = serial; v > 0 || serialBytes.length === 0; v = Math.floor(v / 256)) serialBytes.unshift(v & 0xff)
  if (serialBytes[0]! & 0x80) serialBytes.unshift(0)
  const exts = spec.exts ?? []
  const tbs = seq(
    ...(spec.version === 1 ? [] : [context(0, true, tlv(0x02, Buffer.from([2])))]),
    tlv(0x02, Buffer.from(serialBytes)),
    spec.signer.signatureAlgorithm,
    spec.issuer,
    seq(time(notBefore), time(notAfter)),
    spec.subject,
    spec.key.spki,
    ...(exts.length ? [context(3, true, seq(...exts.map((e) => seq(oid(e.oid), ...(e.critical ? [TRUE] : []), octets(e.value)))))] : []),
  )
  return new Uint8Array(seq(tbs, spec.signer.signatureAlgorithm, bitString(sign('sha256', tbs, spec.signer.privateKey))))
}

/** Extensions of a well-formed CA signed by `issuer` (its own key when a root). */
export const caExts = (key: Key, issuer: Key): Ext[] => [
  ext.bc(true),
  ext.ku(['keyCertSign', 'cRLSign']),
  ext.ski(key),
  ...(issuer === key ? [] : [ext.aki(issuer)]),
]
export const leafExts = (key: Key, issuer: Key, sans: Buffer[] = [gn.dns('app.example.test')]): Ext[] => [
  ext.bc(false),
  ext.ku(['digitalSignature']),
  ext.eku([EKU_OID.serverAuth, EKU_OID.clientAuth]),
  ...(sans.length ? [ext.san(sans)] : []),
  ext.ski(key),
  ext.aki(issuer),
]

export function derToPem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '')
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`
}
