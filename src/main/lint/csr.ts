/**
 * Lint a CSR's key before it is sent to Cloudflare: the key rules a certificate issued from it
 * would fail (RSA < 2048, odd or explicit curves) and what Cloudflare's managed CA issues for.
 * Only key rules apply to a CSR, and they read nothing but `cert.publicKey`, so they run on a
 * context holding just that key.
 */
import type { LintFinding } from '../../shared/lint-model'
import type { LintContext } from './context'
import { parsePublicKeyInfo } from './der'
import type { Rule } from './rule'
import { cloudflareClientRules, keyRules } from './rules'

const CSR_KEY_RULES: Rule[] = [...keyRules.filter((r) => r.severity === 'error'), ...cloudflareClientRules]

/** Findings for a CSR's SubjectPublicKeyInfo (DER), errors first as the rules are ordered. */
export function lintCsrKey(spki: Uint8Array): LintFinding[] {
  const ctx = { cert: { publicKey: parsePublicKeyInfo(spki) } } as unknown as LintContext
  const findings: LintFinding[] = []
  for (const rule of CSR_KEY_RULES) {
    const message = rule.check(ctx)
    if (message === null) continue
    findings.push({ ruleId: rule.id, severity: rule.severity, title: rule.title, message, fix: rule.fix, source: rule.source })
  }
  return findings
}
