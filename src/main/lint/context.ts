/**
 * Everything a rule may ask about one certificate, decoded once per lint from the lean reader.
 * A known extension that fails to decode is recorded in `malformed` (reported by a rule) and then
 * treated as absent, so one bad extension never hides the other findings.
 */
import { bytesEqual, DerError, derProblemInWords, type Extension, type ParsedCertificate } from './der'
import {
  decodeAuthorityKeyIdentifier,
  decodeBasicConstraints,
  decodeExtKeyUsage,
  decodeKeyUsage,
  decodeSubjectKeyIdentifier,
  EXT,
  netscapeCertTypeIsCa,
  type BasicConstraints,
} from './extensions'
import { oidName } from './oids'
import { readGeneralNames, type GeneralName } from './path/general-names'
import { decodeNameConstraints, type NameConstraints } from './path/name-constraints'
import { isShared } from './shared'

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

/** What a certificate says, whatever the options: decoded once for a shared certificate. */
export interface CertificateFacts {
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
  /** The subjectAltName entries; null when absent (or malformed). */
  san: GeneralName[] | null
  sanCritical: boolean
  nameConstraints: (NameConstraints & { critical: boolean }) | null
  /** Criticality of policyConstraints / inhibitAnyPolicy; null when absent. */
  policyConstraintsCritical: boolean | null
  inhibitAnyPolicyCritical: boolean | null
  netscapeCa: boolean
  /** BasicConstraints cA=TRUE — what OpenSSL calls EXFLAG_CA. */
  isCa: boolean
  selfIssued: boolean
  /** Self-issued and the AKI (if any) points at its own SKI; the signature is not checked here. */
  selfSigned: boolean
  duplicates: string[]
  malformed: string[]
}

export interface LintContext extends LintOptions, CertificateFacts {
  /** A CA by the certificate or by what the profile demands: CA rules apply. */
  treatAsCa: boolean
  /** Would this certificate sit last in its chain (the anchor)? Given for chains, else = selfSigned. */
  isLast: boolean
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

/** Facts of shared certificates (see shared.ts), kept while the certificate lives. */
const sharedFacts = new WeakMap<ParsedCertificate, CertificateFacts>()

export function buildContext(cert: ParsedCertificate, options: LintOptions): LintContext {
  let facts = sharedFacts.get(cert)
  if (!facts) {
    facts = certificateFacts(cert)
    if (isShared(cert)) sharedFacts.set(cert, facts)
  }
  return { ...facts, ...options, treatAsCa: facts.isCa || options.expectCa, isLast: options.lastInChain ?? facts.selfSigned }
}

function certificateFacts(cert: ParsedCertificate): CertificateFacts {
  const malformed: string[] = []
  const duplicates: string[] = []
  // The last of each extension counts (as OpenSSL's lookup does); a repeat is reported as a duplicate.
  const byOid = new Map<string, Extension>()
  for (const ext of cert.extensions ?? []) {
    if (byOid.has(ext.oid)) duplicates.push(ext.oid)
    byOid.set(ext.oid, ext)
  }
  const read = <T>(oid: string, fn: (value: Uint8Array) => T): T | null => {
    const ext = byOid.get(oid)
    return ext ? decode(ext, malformed, fn) : null
  }
  const critical = (oid: string): boolean => byOid.get(oid)?.critical ?? false
  const withCriticality = <T extends object>(oid: string, fn: (value: Uint8Array) => T): (T & { critical: boolean }) | null => {
    const value = read(oid, fn)
    return value ? { ...value, critical: critical(oid) } : null
  }
  const bc = withCriticality(EXT.basicConstraints, decodeBasicConstraints)
  const keyUsage = read(EXT.keyUsage, decodeKeyUsage)
  const eku = read(EXT.extKeyUsage, decodeExtKeyUsage)
  const ski = read(EXT.subjectKeyIdentifier, decodeSubjectKeyIdentifier)
  const aki = withCriticality(EXT.authorityKeyIdentifier, decodeAuthorityKeyIdentifier)
  const san = read(EXT.subjectAltName, readGeneralNames)
  const sanCount = san?.length ?? null
  const nameConstraints = withCriticality(EXT.nameConstraints, decodeNameConstraints)
  const netscapeCa = read(EXT.netscapeCertType, netscapeCertTypeIsCa) ?? false
  const keyUsageCritical = critical(EXT.keyUsage)
  const skiCritical = critical(EXT.subjectKeyIdentifier)
  const sanCritical = critical(EXT.subjectAltName)
  const isCa = bc?.ca === true
  const selfIssued = bytesEqual(cert.subjectRaw, cert.issuerRaw)
  const selfSigned = selfIssued && (aki === null || aki.keyId === null || ski === null || bytesEqual(aki.keyId, ski))
  return {
    cert,
    bc,
    keyUsage,
    keyUsageCritical,
    eku,
    ski,
    skiCritical,
    aki,
    sanCount,
    san,
    sanCritical,
    nameConstraints,
    policyConstraintsCritical: byOid.get(EXT.policyConstraints)?.critical ?? null,
    inhibitAnyPolicyCritical: byOid.get(EXT.inhibitAnyPolicy)?.critical ?? null,
    netscapeCa,
    isCa,
    selfIssued,
    selfSigned,
    duplicates,
    malformed,
  }
}
