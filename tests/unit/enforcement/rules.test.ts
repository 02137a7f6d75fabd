import { describe, expect, it } from 'vitest'
import { type CustomRule, evaluateRules } from '../../../src/main/enforcement/rules'
import { type EdgeRequest } from '../../../src/main/enforcement/fields'
import { representativeTls } from '../../../src/main/enforcement/doctor'

const HOST = 'api.example.com'
const noCert = (host = HOST, path = '/'): EdgeRequest => ({ host, path, method: 'GET', tls: representativeTls('none') })
const valid = (host = HOST): EdgeRequest => ({ host, path: '/', method: 'GET', tls: representativeTls('verified') })

const blockUnverified: CustomRule = {
  id: 'r-block',
  description: 'mTLS on api',
  expression: `not cf.tls_client_auth.cert_verified and http.host eq "${HOST}"`,
  action: 'block',
}
const logAll: CustomRule = { id: 'r-log', description: 'log api', expression: `http.host eq "${HOST}"`, action: 'log' }
const skipHealth: CustomRule = {
  id: 'r-skip',
  description: 'health checks',
  expression: 'http.request.uri.path eq "/health"',
  action: 'skip',
  action_parameters: { ruleset: 'current' },
}

describe('evaluateRules', () => {
  it('blocks with the rule that decided, and lets a valid certificate through', () => {
    expect(evaluateRules([blockUnverified], noCert())).toEqual({
      decision: 'block',
      decidedBy: blockUnverified,
      logged: [],
      notEvaluated: [],
    })
    expect(evaluateRules([blockUnverified], valid())).toEqual({ decision: 'allow', logged: [], notEvaluated: [] })
    expect(evaluateRules([], noCert()).decision).toBe('allow')
  })

  it('skips disabled rules', () => {
    expect(evaluateRules([{ ...blockUnverified, enabled: false }], noCert()).decision).toBe('allow')
    expect(evaluateRules([{ ...blockUnverified, enabled: true }], noCert()).decision).toBe('block')
  })

  it('logs and goes on; the first terminating action wins', () => {
    const later: CustomRule = { ...blockUnverified, id: 'r-later', description: 'later block' }
    const result = evaluateRules([logAll, blockUnverified, later], noCert())
    expect(result.decidedBy).toBe(blockUnverified)
    expect(result.logged).toEqual([logAll])
    expect(evaluateRules([blockUnverified, logAll], noCert()).logged).toEqual([])
  })

  it('skip (ruleset: current) lets the request past the remaining custom rules', () => {
    expect(evaluateRules([skipHealth, blockUnverified], noCert(HOST, '/health'))).toMatchObject({
      decision: 'allow',
      decidedBy: skipHealth,
    })
    expect(evaluateRules([skipHealth, blockUnverified], noCert(HOST, '/other'))).toMatchObject({
      decision: 'block',
      decidedBy: blockUnverified,
    })
    expect(evaluateRules([blockUnverified, skipHealth], noCert(HOST, '/health')).decidedBy).toBe(blockUnverified)
    const skipPhasesOnly: CustomRule = { ...skipHealth, action_parameters: { phases: ['http_ratelimit'] } }
    expect(evaluateRules([skipPhasesOnly, blockUnverified], noCert(HOST, '/health')).decision).toBe('block')
  })

  it('reports rules it cannot evaluate instead of guessing, and goes on', () => {
    const geo: CustomRule = { id: 'r-geo', description: 'geo', expression: 'ip.geoip.country in {"T1"}', action: 'block' }
    const challenge: CustomRule = {
      id: 'r-ch',
      description: 'challenge',
      expression: `http.host eq "${HOST}"`,
      action: 'managed_challenge',
    }
    const broken: CustomRule = { id: 'r-bad', description: 'broken', expression: 'http.host eq', action: 'block' }
    const result = evaluateRules([geo, challenge, broken, blockUnverified], noCert())
    expect(result.decision).toBe('block')
    expect(result.notEvaluated.map((n) => [n.rule.id, n.reasons])).toEqual([
      ['r-geo', ['field ip.geoip.country']],
      ['r-ch', ['action managed_challenge']],
      ['r-bad', ['syntax error: Filter parsing error (1:13): expected value but found the end of the expression.']],
    ])
    const other = evaluateRules([geo], valid('www.example.com'))
    expect(other).toEqual({ decision: 'allow', logged: [], notEvaluated: [{ rule: geo, reasons: ['field ip.geoip.country'] }] })
  })
})
