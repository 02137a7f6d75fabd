/**
 * Decoders for the extension values the rules look at, over the lean DER reader. Each returns a
 * plain summary or throws DerError; the lint context turns a throw into a "malformed extension"
 * finding instead of aborting the whole lint.
 */
import { children, decodeOid, DerError, readTlv, TAG, type Tlv } from './der'

export const EXT = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  issuerAltName: '2.5.29.18',
  basicConstraints: '2.5.29.19',
  nameConstraints: '2.5.29.30',
  crlDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  policyMappings: '2.5.29.33',
  authorityKeyIdentifier: '2.5.29.35',
  policyConstraints: '2.5.29.36',
  extKeyUsage: '2.5.29.37',
  inhibitAnyPolicy: '2.5.29.54',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  subjectInfoAccess: '1.3.6.1.5.5.7.1.11',
  netscapeCertType: '2.16.840.1.113730.1.1',
  ctPrecertPoison: '1.3.6.1.4.1.11129.2.4.3',
} as const

/**
 * Extensions OpenSSL 3 processes in path validation; a critical extension outside this set makes
 * verification fail ("unhandled critical extension"), as RFC 5280 6.1.4 (o) and 6.1.5 (e) require
 * of an extension the verifier does not process. Certdesk's path validation processes the same set.
 */
export const OPENSSL_SUPPORTED_EXTENSIONS = new Set<string>([
  EXT.netscapeCertType,
  EXT.keyUsage,
  EXT.subjectAltName,
  EXT.basicConstraints,
  EXT.certificatePolicies,
  EXT.crlDistributionPoints,
  EXT.extKeyUsage,
  '1.3.6.1.5.5.7.1.7', // sbgp-ipAddrBlock (RFC 3779)
  '1.3.6.1.5.5.7.1.8', // sbgp-autonomousSysNum
  EXT.policyConstraints,
  '1.3.6.1.5.5.7.1.14', // proxyCertInfo
  EXT.nameConstraints,
  EXT.policyMappings,
  EXT.inhibitAnyPolicy,
  '1.3.6.1.5.5.7.1.24', // TLS feature
])

/**
 * Extensions OpenSSL 3 decodes when it first looks at a certificate: one that is repeated or does not
 * decode makes the certificate invalid, so no path through it can be built.
 */
export const OPENSSL_DECODED_EXTENSIONS = new Set<string>([
  EXT.basicConstraints,
  EXT.keyUsage,
  EXT.extKeyUsage,
  EXT.netscapeCertType,
  EXT.subjectKeyIdentifier,
  EXT.authorityKeyIdentifier,
  EXT.subjectAltName,
  EXT.nameConstraints,
  EXT.crlDistributionPoints,
  '1.3.6.1.5.5.7.1.14', // proxyCertInfo
])

export const KU = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
  encipherOnly: 7,
  decipherOnly: 8,
} as const

export const EKU = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  anyExtendedKeyUsage: '2.5.29.37.0',
} as const

function top(value: Uint8Array, tag: number, what: string): Tlv {
  const tlv = readTlv(value, 0, value.length)
  if (tlv.tag !== tag) throw new DerError('unexpected_tag', `${what} is not the expected ASN.1 type`, 0)
  if (tlv.end !== value.length) throw new DerError('trailing_data', `${what} has trailing bytes`, tlv.end)
  return tlv
}

export interface BasicConstraints {
  ca: boolean
  /** null when absent. */
  pathLen: number | null
  pathLenNegative: boolean
}

export function decodeBasicConstraints(value: Uint8Array): BasicConstraints {
  const seq = top(value, TAG.SEQUENCE, 'basicConstraints')
  let ca = false
  let pathLen: number | null = null
  let pathLenNegative = false
  for (const el of children(value, seq)) {
    if (el.tag === TAG.BOOLEAN) ca = el.end > el.valueStart && value[el.valueStart] !== 0
    else if (el.tag === TAG.INTEGER) {
      if (el.end === el.valueStart) throw new DerError('bad_integer', 'basicConstraints pathLenConstraint is empty', el.start)
      pathLenNegative = (value[el.valueStart]! & 0x80) !== 0
      let n = 0
      for (let i = el.valueStart; i < el.end && i < el.valueStart + 6; i++) n = n * 256 + value[i]!
      pathLen = pathLenNegative ? -1 : n
    } else throw new DerError('unexpected_tag', 'basicConstraints has an unexpected element', el.start)
  }
  return { ca, pathLen, pathLenNegative }
}

/** Key usage as a bit mask: bit n set means KeyUsage bit n (KU.*) is asserted. */
export function decodeKeyUsage(value: Uint8Array): number {
  const bits = top(value, TAG.BIT_STRING, 'keyUsage')
  let mask = 0
  for (let i = bits.valueStart + 1, n = 0; i < bits.end && n < 2; i++, n++) {
    const byte = value[i]!
    for (let b = 0; b < 8; b++) if (byte & (0x80 >> b)) mask |= 1 << (n * 8 + b)
  }
  return mask
}

export function hasKeyUsage(mask: number, bit: number): boolean {
  return (mask & (1 << bit)) !== 0
}

export function decodeExtKeyUsage(value: Uint8Array): string[] {
  const seq = top(value, TAG.SEQUENCE, 'extKeyUsage')
  return children(value, seq).map((el) => {
    if (el.tag !== TAG.OID) throw new DerError('unexpected_tag', 'extKeyUsage holds something other than an OID', el.start)
    return decodeOid(value, el)
  })
}

export function decodeSubjectKeyIdentifier(value: Uint8Array): Uint8Array {
  const os = top(value, TAG.OCTET_STRING, 'subjectKeyIdentifier')
  return value.subarray(os.valueStart, os.end)
}

/** The keyIdentifier of an AuthorityKeyIdentifier, or null when the field is absent. */
export function decodeAuthorityKeyIdentifier(value: Uint8Array): { keyId: Uint8Array | null } {
  const seq = top(value, TAG.SEQUENCE, 'authorityKeyIdentifier')
  let keyId: Uint8Array | null = null
  for (const el of children(value, seq)) if (el.tag === 0x80) keyId = value.subarray(el.valueStart, el.end)
  return { keyId }
}

/** Netscape cert type: true when any of the CA bits (SSL CA, S/MIME CA, object-signing CA) is set. */
export function netscapeCertTypeIsCa(value: Uint8Array): boolean {
  const bits = top(value, TAG.BIT_STRING, 'netscapeCertType')
  return bits.end > bits.valueStart + 1 && (value[bits.valueStart + 1]! & 0x07) !== 0
}
