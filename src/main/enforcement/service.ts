// Enforce as a plan (issue #13 §3): the recommended rule for some hostnames (and paths), appended to the zone's custom
// rules, or the revocation clause added to one existing rule. Nothing else in the ruleset changes. Pure.
import { AppError } from '../../shared/errors'
import { addRevocationClause, recommendedExpression } from './enforce'
import { type RulesetPlan, type RulesetRead, planRuleChange } from './ruleset-plan'

export interface EnforceRequest {
  hostnames: readonly string[]
  paths?: readonly string[] | undefined
  /** Add the revocation clause to this rule instead of writing a new one. */
  ruleId?: string | undefined
}

/** The description Certdesk gives the rule it writes, naming what it protects. */
export function enforceDescription(hostnames: readonly string[], paths: readonly string[] = []): string {
  const where = hostnames.join(', ') + (paths.length > 0 ? ` ${paths.join(', ')}` : '')
  const text = `mTLS: block missing, unverified or revoked certificates (${where})`
  return text.length <= 500 ? text : `${text.slice(0, 497)}...`
}

export function planEnforce(read: RulesetRead, request: EnforceRequest): RulesetPlan {
  const hostnames = request.hostnames.map((h) => h.trim().toLowerCase())
  if (request.ruleId === undefined) {
    const paths = request.paths ?? []
    return planRuleChange(read, {
      set: {
        description: enforceDescription(hostnames, paths),
        expression: recommendedExpression(hostnames, paths),
        action: 'block',
        enabled: true,
      },
    })
  }
  if (request.paths !== undefined && request.paths.length > 0) {
    throw new AppError('bad_input', "Paths apply to a new rule only: adding the revocation clause keeps the rule's own conditions.", {
      hint: 'Leave out --path, or leave out --rule to write a new rule.',
    })
  }
  const rule = (read.rules ?? []).find((r) => r.id === request.ruleId)
  const expression = rule === undefined ? '' : addRevocationClause(rule.expression)
  return planRuleChange(read, { ruleId: request.ruleId, set: rule === undefined ? {} : { expression } })
}
