import { describe, expect, it } from 'vitest'
import { checkWritten, planRuleChange, rulesToWrite, type RulesetRead } from '../../../src/main/enforcement/ruleset-plan'
import { AppError } from '../../../src/shared/errors'

const other = {
  id: 'r1',
  ref: 'keep-me',
  version: '3',
  last_updated: '2026-01-01T00:00:00Z',
  action: 'log',
  expression: 'http.request.method eq "POST"',
  description: 'log posts',
  enabled: true,
  logging: { enabled: true },
}
const mtls = {
  id: 'r2',
  ref: 'r2',
  version: '1',
  last_updated: '2026-01-02T00:00:00Z',
  action: 'block',
  expression: '(not cf.tls_client_auth.cert_verified) and http.host in {"api.example.com"}',
  description: 'mTLS api',
  enabled: true,
}
const read: RulesetRead = { id: 'rs', version: '7', rules: [other, mtls] }
const recommended = '(not cf.tls_client_auth.cert_verified or cf.tls_client_auth.cert_revoked) and http.host in {"api.example.com"}'

function thrown(f: () => unknown): AppError {
  try {
    f()
  } catch (error) {
    expect(error).toBeInstanceOf(AppError)
    return error as AppError
  }
  throw new Error('expected an error')
}

describe('planRuleChange', () => {
  it('changes only the one rule; the others are sent as read, less the read-only version and last_updated', () => {
    const plan = planRuleChange(read, { ruleId: 'r2', set: { expression: recommended } })
    expect(plan.version).toBe('7')
    expect(plan.before).toBe(mtls)
    const { version: _v, last_updated: _l, ...otherWritable } = other
    const changed = { id: 'r2', ref: 'r2', action: 'block', expression: recommended, description: 'mTLS api', enabled: true }
    expect(plan.rules).toEqual([otherWritable, changed])
    expect(JSON.stringify(plan.rules[0])).toBe(JSON.stringify(otherWritable))
    expect(plan.after).toBe(plan.rules[1])
    // The read ruleset is not touched.
    expect(read.rules![1]!.expression).toContain('(not cf.tls_client_auth.cert_verified)')
  })

  it('appends a new rule (no id) after the others', () => {
    const plan = planRuleChange(read, { set: { action: 'block', expression: recommended, description: 'new' } })
    expect(plan.before).toBeUndefined()
    expect(plan.rules.map((r) => r.id ?? r.description)).toEqual(['r1', 'r2', 'new'])
    expect(plan.rules[2]).toEqual({ action: 'block', expression: recommended, description: 'new' })
  })

  it('creates the list when the entry point has no rules yet', () => {
    const plan = planRuleChange({ version: '0' }, { set: { action: 'block', expression: recommended } })
    expect(plan.rules).toHaveLength(1)
  })

  it('refuses a new rule without expression or action, and an unknown rule id', () => {
    expect(thrown(() => planRuleChange(read, { set: { expression: recommended } })).message).toBe(
      'A new rule needs an expression and an action.',
    )
    const missing = thrown(() => planRuleChange(read, { ruleId: 'gone', set: { enabled: false } }))
    expect(missing.code).toBe('not_found')
    expect(missing.message).toBe('The ruleset (version 7) has no rule gone.')
  })
})

describe('the version guard', () => {
  const plan = planRuleChange(read, { ruleId: 'r2', set: { expression: recommended } })

  it('writes the plan when the ruleset read before writing is the version planned from', () => {
    expect(rulesToWrite(plan, { version: '7', rules: [other, mtls] })).toBe(plan.rules)
  })

  it('refuses the plan when the version moved, naming both versions and the rule', () => {
    const error = thrown(() => rulesToWrite(plan, { version: '8', rules: [other, mtls] }))
    expect(error.code).toBe('conflict')
    expect(error.message).toBe('The custom rules changed since the plan was made (version 7, now 8): rule "mTLS api" was not written.')
    expect(error.details).toEqual({ planned: '7', current: '8' })
  })

  it('after the write: one version more is fine; more means another write landed in between', () => {
    expect(() => checkWritten({ version: '7' }, { version: '8' })).not.toThrow()
    const error = thrown(() => checkWritten({ version: '7' }, { version: '9' }))
    expect(error.code).toBe('conflict')
    expect(error.message).toBe('Another change to the custom rules landed while this one was written (version 9, expected 8).')
  })
})
