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

/** Extensions OpenSSL 3 understands; a critical extension outside this set makes verification fail. */
export const OPENSSL_SUPPORTED_EXTENSIONS = new Set<string>([
  EXT.netscapeCertType,
  EXT.keyUsage,
  EXT.subjectAltName,
  EXT.basicConstraints,
  EXT.certificatePolicies,
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

/** Number of GeneralNames in a SubjectAltName (0 means the forbidden empty SEQUENCE). */
export function countGeneralNames(value: Uint8Array): number {
  const seq = top(value, TAG.SEQUENCE, 'subjectAltName')
  return children(value, seq).length
}

export interface NameConstraintsCheck {
  permitted: number
  excluded: number
  /** Problems that make it malformed under RFC 5280 4.2.1.10. */
  problems: string[]
}

export function checkNameConstraints(value: Uint8Array): NameConstraintsCheck {
  const seq = top(value, TAG.SEQUENCE, 'nameConstraints')
  const problems: string[] = []
  let permitted = 0
  let excluded = 0
  for (const el of children(value, seq)) {
    if (el.tag !== 0xa0 && el.tag !== 0xa1) {
      problems.push(`unexpected element with tag 0x${el.tag.toString(16)}`)
      continue
    }
    const subtrees = children(value, el)
    if (subtrees.length === 0) problems.push(`${el.tag === 0xa0 ? 'permittedSubtrees' : 'excludedSubtrees'} is empty`)
    for (const subtree of subtrees) {
      if (subtree.tag !== TAG.SEQUENCE) {
        problems.push('a GeneralSubtree is not a SEQUENCE')
        continue
      }
      const parts = children(value, subtree)
      if (parts.length === 0) problems.push('a GeneralSubtree has no base name')
      for (const part of parts.slice(1)) {
        // minimum MUST be zero (so DER omits it) and maximum MUST be absent.
        if (part.tag === 0x80) problems.push('a GeneralSubtree sets minimum (must be absent)')
        if (part.tag === 0x81) problems.push('a GeneralSubtree sets maximum (must be absent)')
      }
    }
    if (el.tag === 0xa0) permitted += subtrees.length
    else excluded += subtrees.length
  }
  if (permitted === 0 && excluded === 0 && problems.length === 0) problems.push('neither permittedSubtrees nor excludedSubtrees is present')
  return { permitted, excluded, problems }
}

/** Netscape cert type: true when any of the CA bits (SSL CA, S/MIME CA, object-signing CA) is set. */
export function netscapeCertTypeIsCa(value: Uint8Array): boolean {
  const bits = top(value, TAG.BIT_STRING, 'netscapeCertType')
  return bits.end > bits.valueStart + 1 && (value[bits.valueStart + 1]! & 0x07) !== 0
}
