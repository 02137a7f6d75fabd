/** Lints a chain: each certificate with its position and issuer, then the chain-wide rules. */
import type { ChainCertificateReport, ChainReport, LintFinding, LintProfileId } from '../../shared/lint-model'
import { buildContext, type LintContext } from './context'
import { bytesEqual, type ParsedCertificate } from './der'
import { emptyCounts, lintParsed, parseOrThrow, type LintCertificateOptions } from './engine'
import { digest } from '../certs/fingerprint'
import { describeName } from './dn'
import { PROFILES } from './profiles'
import { CHAIN_RULES, type ChainContext } from './rules/chain'

export type LintChainOptions = Omit<LintCertificateOptions, 'issuer' | 'lastInChain'>

const issues = (issuer: ParsedCertificate, child: ParsedCertificate): boolean => bytesEqual(child.issuerRaw, issuer.subjectRaw)

/** Finds leaf-first order: the input's, its reverse, or a rebuilt one. Returns input indexes. */
function orderChain(certs: ParsedCertificate[]): { order: ChainContext['order']; indexes: number[] } {
  const n = certs.length
  const identity = certs.map((_, i) => i)
  if (n === 1) return { order: 'single', indexes: identity }
  const linked = (idx: number[]): boolean => idx.every((v, k) => k + 1 === idx.length || issues(certs[idx[k + 1]!]!, certs[v]!))
  if (linked(identity)) return { order: 'leaf-first', indexes: identity }
  const reversed = [...identity].reverse()
  if (linked(reversed)) return { order: 'root-first', indexes: reversed }
  // Rebuild: start from a certificate that issues none of the others and follow issuers.
  const start = identity.find(
    (i) => !identity.some((j) => j !== i && issues(certs[i]!, certs[j]!) && !bytesEqual(certs[j]!.subjectRaw, certs[j]!.issuerRaw)),
  )
  const built: number[] = []
  let current = start
  while (current !== undefined && !built.includes(current)) {
    built.push(current)
    const cur: number = current
    current = identity.find((j) => !built.includes(j) && issues(certs[j]!, certs[cur]!))
  }
  const rest = identity.filter((i) => !built.includes(i))
  return { order: 'unordered', indexes: [...built, ...rest] }
}

/** The profile each position gets: leaf-end profiles apply to index 0 only; CA upload profiles to all. */
function profileFor(requested: LintProfileId, index: number): LintProfileId {
  if (requested === 'auto' || requested === 'python-strict' || requested === 'cloudflare-upload' || requested === 'gateway-byopki')
    return requested
  if (index === 0) return requested
  return 'auto'
}

export function lintChain(ders: Uint8Array[], options: LintChainOptions = {}): ChainReport {
  const requested = options.profile ?? 'auto'
  const parsed = ders.map((der, i) => parseOrThrow(der, `certificate ${i + 1} of the chain`))
  const { order, indexes } = orderChain(parsed)
  const now = (options.now ?? new Date()).getTime()
  const expiringDays = options.expiringDays ?? 30
  const certificates: ChainCertificateReport[] = []
  const contexts: LintContext[] = []
  const counts = emptyCounts()
  indexes.forEach((inputIndex, index) => {
    const cert = parsed[inputIndex]!
    const next = indexes[index + 1]
    const issuer = next === undefined ? undefined : parsed[next]
    const lastInChain = index === indexes.length - 1
    const profile = profileFor(requested, index)
    const report = lintParsed(cert, { ...options, profile, ...(issuer ? { issuer } : {}), lastInChain })
    contexts.push(
      buildContext(cert, {
        now,
        expiringDays,
        expectCa: report.profile !== 'auto' && PROFILES[report.profile].expectCa,
        lastInChain,
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
  for (const rule of CHAIN_RULES) {
    for (const message of rule.check(chain)) {
      counts[rule.severity]++
      chainFindings.push({ ruleId: rule.id, severity: rule.severity, title: rule.title, message, fix: rule.fix, source: rule.source })
    }
  }
  return { profile: requested, order, certificates, chainFindings, counts, passed: counts.error === 0 }
}
