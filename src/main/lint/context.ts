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
  // One pass over the list, no Map or closures per certificate: a fleet scan builds facts for every new leaf.
  const exts = cert.extensions
  let bcExt: Extension | null = null
  let kuExt: Extension | null = null
  let ekuExt: Extension | null = null
  let skiExt: Extension | null = null
  let akiExt: Extension | null = null
  let sanExt: Extension | null = null
  let ncExt: Extension | null = null
  let nsExt: Extension | null = null
  let pcExt: Extension | null = null
  let iapExt: Extension | null = null
  if (exts !== null) {
    for (let i = 0; i < exts.length; i++) {
      const ext = exts[i]!
      const oid = ext.oid
      for (let j = 0; j < i; j++) {
        if (exts[j]!.oid === oid) {
          duplicates.push(oid)
          break
        }
      }
      if (oid === EXT.basicConstraints) bcExt = ext
      else if (oid === EXT.keyUsage) kuExt = ext
      else if (oid === EXT.extKeyUsage) ekuExt = ext
      else if (oid === EXT.subjectKeyIdentifier) skiExt = ext
      else if (oid === EXT.authorityKeyIdentifier) akiExt = ext
      else if (oid === EXT.subjectAltName) sanExt = ext
      else if (oid === EXT.nameConstraints) ncExt = ext
      else if (oid === EXT.netscapeCertType) nsExt = ext
      else if (oid === EXT.policyConstraints) pcExt = ext
      else if (oid === EXT.inhibitAnyPolicy) iapExt = ext
    }
  }
  const bcValue = bcExt && decode(bcExt, malformed, decodeBasicConstraints)
  const bc = bcValue && { ...bcValue, critical: bcExt!.critical }
  const keyUsage = kuExt && decode(kuExt, malformed, decodeKeyUsage)
  const eku = ekuExt && decode(ekuExt, malformed, decodeExtKeyUsage)
  const ski = skiExt && decode(skiExt, malformed, decodeSubjectKeyIdentifier)
  const akiValue = akiExt && decode(akiExt, malformed, decodeAuthorityKeyIdentifier)
  const aki = akiValue && { ...akiValue, critical: akiExt!.critical }
  const san = sanExt && decode(sanExt, malformed, readGeneralNames)
  const sanCount = san?.length ?? null
  const ncValue = ncExt && decode(ncExt, malformed, decodeNameConstraints)
  const nameConstraints = ncValue && { ...ncValue, critical: ncExt!.critical }
  const netscapeCa = (nsExt && decode(nsExt, malformed, netscapeCertTypeIsCa)) ?? false
  const keyUsageCritical = kuExt?.critical ?? false
  const skiCritical = skiExt?.critical ?? false
  const sanCritical = sanExt?.critical ?? false
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
    policyConstraintsCritical: pcExt?.critical ?? null,
    inhibitAnyPolicyCritical: iapExt?.critical ?? null,
    netscapeCa,
    isCa,
    selfIssued,
    selfSigned,
    duplicates,
    malformed,
  }
}
