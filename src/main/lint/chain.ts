/**
 * Lints a chain: each certificate with its position and issuer, the chain-wide rules, and RFC 5280
 * section 6.1 path validation of the path built from the file (any order), anchored at its top or,
 * given trusted certificates (`--trust FILE`, `--system`), at one of them.
 */
import type { ChainCertificateReport, ChainReport, LintFinding, LintProfileId } from '../../shared/lint-model'
import { buildContext, type LintContext } from './context'
import { bytesEqual, DerError, type ParsedCertificate } from './der'
import { emptyCounts, lintParsed, parseOrThrow, type LintCertificateOptions } from './engine'
import { findIssuer, orderCertificates } from '../certs/chain'
import { digest } from '../certs/fingerprint'
import { describeName } from './dn'
import { pathRule, signatureProblem, validatePath, type PathFinding, type PeerName, type Purpose } from './path'
import { PROFILES } from './profiles'
import { parseCertificateShared } from './shared'
import { CHAIN_RULES, type ChainContext } from './rules/chain'

export interface LintChainOptions extends Omit<LintCertificateOptions, 'issuer' | 'lastInChain'> {
  /** Validate for TLS server or client authentication (extendedKeyUsage and keyUsage along the path). */
  purpose?: Purpose
  /** The host name or IP address the leaf must name. */
  peer?: PeerName
  /**
   * Trusted certificates (DER): the path must end at one of them, or at the file's certificate one of
   * them issued. Without them, the top of the path built from the file is its trust anchor.
   */
  anchors?: readonly Uint8Array[]
  /** Words for where the anchors came from, e.g. "roots.pem" or "this machine's trusted roots". */
  anchorsName?: string
}

/** The profile each position gets: leaf-end profiles apply to index 0 only; CA upload profiles to all. */
function profileFor(requested: LintProfileId, index: number): LintProfileId {
  if (requested === 'auto' || requested === 'python-strict' || requested === 'cloudflare-upload' || requested === 'gateway-byopki')
    return requested
  if (index === 0) return requested
  return 'auto'
}

function parseAnchors(ders: readonly Uint8Array[]): ParsedCertificate[] {
  const out: ParsedCertificate[] = []
  for (const der of ders) {
    try {
      out.push(parseCertificateShared(der))
    } catch (error) {
      // A damaged certificate in a trust bundle anchors nothing; the others still count.
      if (!(error instanceof DerError)) throw error
    }
  }
  return out
}

const selfSignedBySignature = (cert: ParsedCertificate): boolean =>
  bytesEqual(cert.subjectRaw, cert.issuerRaw) && signatureProblem(cert, cert) === null

const toFinding = (f: { ruleId: string; message: string }, rule: Omit<LintFinding, 'ruleId' | 'message'>): LintFinding => ({
  ruleId: f.ruleId,
  severity: rule.severity,
  title: rule.title,
  message: f.message,
  fix: rule.fix,
  source: rule.source,
})

export function lintChain(ders: Uint8Array[], options: LintChainOptions = {}): ChainReport {
  const requested = options.profile ?? 'auto'
  const parsed = ders.map((der, i) => parseOrThrow(der, `certificate ${i + 1} of the chain`, parseCertificateShared))
  const ordering = orderCertificates(parsed)
  const { order } = ordering
  const indexes = [...ordering.indexes]
  let linked = ordering.linked
  if (!options.anchors) {
    // Without a trust anchor, the path goes on through any certificate whose subject names the top's
    // issuer, even one that does not verify, so the broken link is reported rather than the path cut short.
    for (let top = parsed[indexes[linked - 1]!]!; !bytesEqual(top.subjectRaw, top.issuerRaw);) {
      const at = indexes.findIndex((i, k) => k >= linked && bytesEqual(parsed[i]!.subjectRaw, top.issuerRaw))
      if (at < 0) break
      const [next] = indexes.splice(at, 1)
      indexes.splice(linked++, 0, next!)
      top = parsed[next!]!
    }
  }
  const now = (options.now ?? new Date()).getTime()
  const expiringDays = options.expiringDays ?? 30

  // The path: the linked certificates, ended at a trusted one when anchors are given.
  let pathLength = linked
  let appended: ParsedCertificate | null = null
  let anchorProblem: string | null = null
  if (options.anchors) {
    const trusted = parseAnchors(options.anchors)
    const where = options.anchorsName ?? 'the trusted certificates'
    const k = indexes.slice(0, linked).findIndex((i) => trusted.some((t) => bytesEqual(t.der, parsed[i]!.der)))
    if (k >= 0) pathLength = k + 1
    else {
      const top = parsed[indexes[linked - 1]!]!
      appended = findIssuer(top, trusted) ?? null
      if (!appended)
        anchorProblem =
          `certificate ${linked} ("${describeName(top.subjectRaw)}") is not in ${where}, and none of ` +
          `${where} (${trusted.length}) issued it, so the path reaches no trust anchor`
    }
  }
  const certificates: ChainCertificateReport[] = []
  const contexts: LintContext[] = []
  const counts = emptyCounts()
  indexes.forEach((inputIndex, index) => {
    const cert = parsed[inputIndex]!
    const next = indexes[index + 1]
    const issuer = index + 1 < pathLength ? parsed[next!] : index + 1 === pathLength && appended ? appended : undefined
    // In the path, the anchor is last; a self-signed certificate (by name and signature) is one wherever it sits.
    const anchorLike =
      index >= pathLength ? undefined : (index === pathLength - 1 && !appended) || (cert.version === 3 && selfSignedBySignature(cert))
    const profile = profileFor(requested, index)
    const report = lintParsed(cert, {
      ...options,
      profile,
      ...(issuer ? { issuer } : {}),
      ...(anchorLike === undefined ? {} : { lastInChain: anchorLike }),
    })
    contexts.push(
      buildContext(cert, {
        now,
        expiringDays,
        expectCa: report.profile !== 'auto' && PROFILES[report.profile].expectCa,
        ...(anchorLike === undefined ? {} : { lastInChain: anchorLike }),
        ...(issuer ? { issuer } : {}),
      }),
    )
    for (const k of ['error', 'warning', 'notice'] as const) counts[k] += report.counts[k]
    certificates.push({
      index,
      inputIndex,
      subject: describeName(cert.subjectRaw),
      sha256: digest(cert.der, 'sha256').toLowerCase(),
      report,
    })
  })

  const chain: ChainContext = { contexts, order, rootFirstExpected: requested === 'gateway-byopki' || requested === 'cloudflare-upload' }
  const chainFindings: LintFinding[] = []
  const add = (finding: LintFinding): void => {
    counts[finding.severity]++
    chainFindings.push(finding)
  }
  // A verifier builds the path whatever the file's order: python-strict answers as the verifier does.
  const rules = requested === 'python-strict' ? CHAIN_RULES.filter((r) => !r.id.startsWith('chain.order.')) : CHAIN_RULES
  for (const rule of rules) for (const message of rule.check(chain)) add(toFinding({ ruleId: rule.id, message }, rule))

  const path = contexts.slice(0, pathLength)
  if (appended) path.push(buildContext(appended, { now, expiringDays, expectCa: true, lastInChain: true }))
  const found: PathFinding[] = validatePath(path, {
    at: now,
    ...(options.purpose ? { purpose: options.purpose } : {}),
    ...(options.peer ? { peer: options.peer } : {}),
    // The certificates of the file report their validity themselves; a trusted root from outside it does not.
    checkTimeOf: appended ? [path.length - 1] : [],
  })
  for (const f of found) add(toFinding(f, pathRule(f.ruleId)))
  if (anchorProblem) add(toFinding({ ruleId: 'path.anchor.not_found', message: anchorProblem }, pathRule('path.anchor.not_found')))
  return { profile: requested, order, certificates, chainFindings, counts, passed: counts.error === 0 }
}
