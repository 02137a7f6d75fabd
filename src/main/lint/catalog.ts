/** The rule reference the app and `certdesk lint --rules` list. */
import type { RuleInfo } from '../../shared/lint-model'
import { profilesOfRule } from './profiles'
import { ALL_CERT_RULES, cloudflareClientRules } from './rules'
import { CHAIN_RULES } from './rules/chain'

export function listRules(): RuleInfo[] {
  const certRules = ALL_CERT_RULES.map((r) => ({
    id: r.id,
    severity: r.severity,
    source: r.source,
    title: r.title,
    fix: r.fix,
    profiles: profilesOfRule(r.id),
  }))
  const chainRules = CHAIN_RULES.map((r) => ({
    id: r.id,
    severity: r.severity,
    source: r.source,
    title: r.title,
    fix: r.fix,
    profiles: [],
  }))
  // Checked on CSRs before they are sent to Cloudflare (lint/csr.ts), not in a certificate profile.
  const csrRules = cloudflareClientRules.map(({ id, severity, source, title, fix }) => ({ id, severity, source, title, fix, profiles: [] }))
  return [...certRules, ...csrRules, ...chainRules]
}
