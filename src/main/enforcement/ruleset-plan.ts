// A change to one custom rule, planned from the ruleset as it was read and written as a whole rule list (Cloudflare
// docs: "Update a zone entry point ruleset" replaces every rule). Cloudflare's PUT has no If-Match, so the guard
// against a concurrent edit is the client's: compare the ruleset's `version` read for the plan with the one read
// just before writing (refuse when it moved), and check the version the write returned (exactly one more). Pure.
import { AppError } from '../../shared/errors'
import { type CustomRule, ruleLabel } from './rules'

/** A rule as the rulesets API returns it: the properties Certdesk knows, and any others, kept as read. */
export type RuleRecord = CustomRule & Record<string, unknown>

/** The part of a ruleset (GET/PUT …/rulesets/phases/{phase}/entrypoint) the plan needs. */
export interface RulesetRead {
  id?: string
  version: string
  rules?: readonly RuleRecord[]
}

/** The change to one rule: a new rule to append (no `ruleId`), or new properties for the rule `ruleId`. */
export interface RuleChange {
  ruleId?: string
  set: Partial<Pick<CustomRule, 'expression' | 'action' | 'description' | 'enabled' | 'action_parameters'>>
}

export interface RulesetPlan {
  /** The version the plan was made from. */
  version: string
  /** The rule before (undefined when the change adds one) and after the change. */
  before?: RuleRecord
  after: RuleRecord
  /** The whole rule list to PUT: every other rule as read, the one rule changed. */
  rules: RuleRecord[]
}

/** Computed by Cloudflare for each rule; never sent back (a rule that keeps its `id` keeps them). */
const READ_ONLY = ['version', 'last_updated'] as const

function writable(rule: RuleRecord): RuleRecord {
  const copy: Record<string, unknown> = { ...rule }
  for (const key of READ_ONLY) delete copy[key]
  return copy as RuleRecord
}

/** The rule list to write, changing only the one rule; the other rules are sent as read (less read-only fields). */
export function planRuleChange(read: RulesetRead, change: RuleChange): RulesetPlan {
  const rules = read.rules ?? []
  const patch = Object.fromEntries(Object.entries(change.set).filter(([, value]) => value !== undefined))
  if (change.ruleId === undefined) {
    if (typeof patch['expression'] !== 'string' || typeof patch['action'] !== 'string')
      throw new AppError('bad_input', 'A new rule needs an expression and an action.', {
        hint: 'For example: the recommended mTLS rule with the action block.',
      })
    const after = patch as RuleRecord
    return { version: read.version, after, rules: [...rules.map(writable), after] }
  }
  const index = rules.findIndex((rule) => rule.id === change.ruleId)
  const before = rules[index]
  if (before === undefined)
    throw new AppError('not_found', `The ruleset (version ${read.version}) has no rule ${change.ruleId}.`, {
      hint: 'Read the rules again: the rule may have been deleted.',
    })
  const after = { ...writable(before), ...patch } as RuleRecord
  return { version: read.version, before, after, rules: rules.map((rule, i) => (i === index ? after : writable(rule))) }
}

/**
 * Before writing: refuses when the ruleset read just now is not the version the plan was made from (someone changed
 * the rules in between; writing the plan would undo their change). Returns the rule list to write.
 */
export function rulesToWrite(plan: RulesetPlan, current: RulesetRead): RuleRecord[] {
  if (current.version !== plan.version) {
    const what = plan.before === undefined ? 'the new rule' : `rule "${ruleLabel(plan.before)}"`
    throw new AppError(
      'conflict',
      `The custom rules changed since the plan was made (version ${plan.version}, now ${current.version}): ${what} was not written.`,
      { hint: 'Review the rules as they are now and plan the change again.', details: { planned: plan.version, current: current.version } },
    )
  }
  return plan.rules
}

/**
 * After writing: the ruleset the write returned must be exactly one version after the one checked before writing;
 * more means another write landed between the check and this one, and this write replaced it.
 */
export function checkWritten(current: RulesetRead, written: RulesetRead): void {
  const expected = String(Number(current.version) + 1)
  if (written.version !== expected) {
    throw new AppError(
      'conflict',
      `Another change to the custom rules landed while this one was written (version ${written.version}, expected ${expected}).`,
      {
        hint: 'Review the rules as they are now: that change may have been replaced by this one.',
        details: { expected, written: written.version },
      },
    )
  }
}
