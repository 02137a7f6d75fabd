/**
 * Everything a rule may ask about one certificate, decoded once per lint from the lean reader.
 * A known extension that fails to decode is recorded in `malformed` (reported by a rule) and then
 * treated as absent, so one bad extension never hides the other findings.
 */
import { bytesEqual, DerError, derProblemInWords, type Extension, type ParsedCertificate } from './der'
import {
  checkNameConstraints,
  countGeneralNames,
  decodeAuthorityKeyIdentifier,
  decodeBasicConstraints,
  decodeExtKeyUsage,
  decodeKeyUsage,
  decodeSubjectKeyIdentifier,
  EXT,
  netscapeCertTypeIsCa,
  type BasicConstraints,
  type NameConstraintsCheck,
} from './extensions'
import { oidName } from './oids'

export interface LintOptions {
  /** The issuing certificate, for checks that compare with it (validity beyond the issuer's). */
  issuer?: ParsedCertificate
  now: number
  expiringDays: number
  /** The profile demands a CA (root-ca, intermediate-ca, cloudflare-upload, gateway-byopki). */
  expectCa: boolean
  /** Known when linting a chain: true for the last certificate (the trust anchor's position). */
  lastInChain?: boolean
}

export interface LintContext extends LintOptions {
  cert: ParsedCertificate
  bc: (BasicConstraints & { critical: boolean }) | null
  /** Key usage bit mask (see KU), null when the extension is absent. */
  keyUsage: number | null
  keyUsageCritical: boolean
  eku: string[] | null
  ski: Uint8Array | null
  skiCritical: boolean
  aki: { keyId: Uint8Array | null; critical: boolean } | null
  /** Number of names in subjectAltName; null when absent. */
  sanCount: number | null
  sanCritical: boolean
  nameConstraints: (NameConstraintsCheck & { critical: boolean }) | null
  netscapeCa: boolean
  /** BasicConstraints cA=TRUE — what OpenSSL calls EXFLAG_CA. */
  isCa: boolean
  /** A CA by the certificate or by what the profile demands: CA rules apply. */
  treatAsCa: boolean
  selfIssued: boolean
  /** Self-issued and the AKI (if any) points at its own SKI; the signature is not checked here. */
  selfSigned: boolean
  /** Would this certificate sit last in its chain (the anchor)? Given for chains, else = selfSigned. */
  isLast: boolean
  duplicates: string[]
  malformed: string[]
}

function decode<T>(ext: Extension, malformed: string[], fn: (value: Uint8Array) => T): T | null {
  try {
    return fn(ext.value)
  } catch (error) {
    if (!(error instanceof DerError)) throw error
    malformed.push(`${oidName(ext.oid)} (${ext.oid}): damaged or not DER, ${derProblemInWords(error)}`)
    return null
  }
}

export function buildContext(cert: ParsedCertificate, options: LintOptions): LintContext {
  const malformed: string[] = []
  const duplicates: string[] = []
  const seen = new Set<string>()
  let bc: LintContext['bc'] = null
  let keyUsage: number | null = null
  let keyUsageCritical = false
  let eku: string[] | null = null
  let ski: Uint8Array | null = null
  let skiCritical = false
  let aki: LintContext['aki'] = null
  let sanCount: number | null = null
  let sanCritical = false
  let nameConstraints: LintContext['nameConstraints'] = null
  let netscapeCa = false

  for (const ext of cert.extensions ?? []) {
    if (seen.has(ext.oid)) duplicates.push(ext.oid)
    seen.add(ext.oid)
    switch (ext.oid) {
      case EXT.basicConstraints: {
        const v = decode(ext, malformed, decodeBasicConstraints)
        if (v) bc = { ...v, critical: ext.critical }
        break
      }
      case EXT.keyUsage:
        keyUsage = decode(ext, malformed, decodeKeyUsage)
        keyUsageCritical = ext.critical
        break
      case EXT.extKeyUsage:
        eku = decode(ext, malformed, decodeExtKeyUsage)
        break
      case EXT.subjectKeyIdentifier:
        ski = decode(ext, malformed, decodeSubjectKeyIdentifier)
        skiCritical = ext.critical
        break
      case EXT.authorityKeyIdentifier: {
        const v = decode(ext, malformed, decodeAuthorityKeyIdentifier)
        if (v) aki = { keyId: v.keyId, critical: ext.critical }
        break
      }
      case EXT.subjectAltName:
        sanCount = decode(ext, malformed, countGeneralNames)
        sanCritical = ext.critical
        break
      case EXT.nameConstraints: {
        const v = decode(ext, malformed, checkNameConstraints)
        if (v) nameConstraints = { ...v, critical: ext.critical }
        break
      }
      case EXT.netscapeCertType:
        netscapeCa = decode(ext, malformed, netscapeCertTypeIsCa) ?? false
        break
    }
  }
  const isCa = bc?.ca === true
  const selfIssued = bytesEqual(cert.subjectRaw, cert.issuerRaw)
  const selfSigned = selfIssued && (aki === null || aki.keyId === null || ski === null || bytesEqual(aki.keyId, ski))
  return {
    ...options,
    cert,
    bc,
    keyUsage,
    keyUsageCritical,
    eku,
    ski,
    skiCritical,
    aki,
    sanCount,
    sanCritical,
    nameConstraints,
    netscapeCa,
    isCa,
    treatAsCa: isCa || options.expectCa,
    selfIssued,
    selfSigned,
    isLast: options.lastInChain ?? selfSigned,
    duplicates,
    malformed,
  }
}
