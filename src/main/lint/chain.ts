/** Lints a chain: each certificate with its position and issuer, then the chain-wide rules. */
import type { ChainCertificateReport, ChainReport, LintFinding, LintProfileId } from '../../shared/lint-model'
import { buildContext, type LintContext } from './context'
import { emptyCounts, lintParsed, parseOrThrow, type LintCertificateOptions } from './engine'
import { orderCertificates } from '../certs/chain'
import { digest } from '../certs/fingerprint'
import { describeName } from './dn'
import { PROFILES } from './profiles'
import { CHAIN_RULES, type ChainContext } from './rules/chain'

export type LintChainOptions = Omit<LintCertificateOptions, 'issuer' | 'lastInChain'>

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
  const { order, indexes } = orderCertificates(parsed)
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
