// Running a zone's custom rules (the http_request_firewall_custom phase) against one request, as Cloudflare's
// edge does (Cloudflare docs: "Custom rules", "Actions"): rules in order, enabled ones only; `block` ends the
// evaluation; `skip` with `action_parameters.ruleset: "current"` ends it too, letting the request through the
// remaining custom rules; `log` records the match and goes on. Any other action, and any expression the Sandbox
// cannot evaluate, is reported as "not evaluated" — never guessed.
import { type EdgeRequest } from './fields'
import { type ParsedExpression, evaluateExpression, parseExpression } from './expression'
import { AppError } from '../../shared/errors'

/** One custom rule as Cloudflare's rulesets API stores it (unknown properties are kept by the caller). */
export interface CustomRule {
  id?: string
  ref?: string
  description?: string
  expression: string
  action: string
  /** Cloudflare's default is true. */
  enabled?: boolean
  action_parameters?: Record<string, unknown>
}

export interface NotEvaluatedRule {
  rule: CustomRule
  /** What the Sandbox cannot evaluate: "field ip.src", "action managed_challenge", "syntax error (1:5) …". */
  reasons: string[]
}

export interface RulesDecision {
  /** `block` when a rule blocked the request; otherwise it reaches the origin. */
  decision: 'block' | 'allow'
  /** The rule that ended the evaluation (a block, or a skip of the remaining custom rules). */
  decidedBy?: CustomRule
  /** Enabled `log` rules that matched before the decision. */
  logged: CustomRule[]
  /** Enabled rules the Sandbox could not evaluate before the decision: with them the outcome may differ. */
  notEvaluated: NotEvaluatedRule[]
}

const EVALUATED_ACTIONS = new Set(['block', 'skip', 'log'])
const CACHE_LIMIT = 2000
const parsedCache = new Map<string, ParsedExpression | AppError>()

/** Parses with a bounded cache, so the edge does not re-parse a zone's rules on every request. */
export function parseCached(expression: string): ParsedExpression | AppError {
  const hit = parsedCache.get(expression)
  if (hit !== undefined) return hit
  let parsed: ParsedExpression | AppError
  try {
    parsed = parseExpression(expression)
  } catch (error) {
    if (!(error instanceof AppError)) throw error
    parsed = error
  }
  if (parsedCache.size >= CACHE_LIMIT) parsedCache.delete(parsedCache.keys().next().value!)
  parsedCache.set(expression, parsed)
  return parsed
}

/** The name a finding or a log uses for a rule: its description, else its ref or id. */
export function ruleLabel(rule: CustomRule): string {
  if (rule.description !== undefined && rule.description.trim() !== '') return rule.description
  return rule.ref ?? rule.id ?? rule.expression
}

/** Whether a `skip` rule skips the remaining custom rules (the subset the Sandbox evaluates). */
function skipsRemainingRules(rule: CustomRule): boolean {
  return rule.action_parameters?.['ruleset'] === 'current'
}

export function evaluateRules(rules: readonly CustomRule[], request: EdgeRequest): RulesDecision {
  const logged: CustomRule[] = []
  const notEvaluated: NotEvaluatedRule[] = []
  for (const rule of rules) {
    if (rule.enabled === false) continue
    const parsed = parseCached(rule.expression)
    if (parsed instanceof AppError) {
      notEvaluated.push({ rule, reasons: [`syntax error: ${parsed.message}`] })
      continue
    }
    const result = evaluateExpression(parsed, request)
    if (!result.evaluated) {
      notEvaluated.push({ rule, reasons: result.unsupported })
      continue
    }
    if (!result.matches) continue
    if (!EVALUATED_ACTIONS.has(rule.action)) {
      notEvaluated.push({ rule, reasons: [`action ${rule.action}`] })
      continue
    }
    if (rule.action === 'log') logged.push(rule)
    else if (rule.action === 'block') return { decision: 'block', decidedBy: rule, logged, notEvaluated }
    else if (skipsRemainingRules(rule)) return { decision: 'allow', decidedBy: rule, logged, notEvaluated }
  }
  return { decision: 'allow', logged, notEvaluated }
}
