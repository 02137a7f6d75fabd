/**
 * The Sandbox's zone rulesets: raw calls checked against Cloudflare's OpenAPI (the rulesets subset, as the other
 * Sandbox routes are checked against openapi-certs.json), then the official SDK's rulesets.phases/rules calls.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import Cloudflare from 'cloudflare'
import { startSandbox, type SandboxHandle } from '../../../src/main/sandbox'
import { customRulesOf } from '../../../src/main/sandbox/routes/rulesets'
import { evaluateRules, recommendedExpression, representativeTls } from '../../../src/main/enforcement'
import { client, type CallResult } from './helpers'
import { OpenApiValidator } from './openapi-validator'
import rulesetsSpec from '../../fixtures/cloudflare/openapi-rulesets.json'

const PHASE = 'http_request_firewall_custom'
const schema = new OpenApiValidator(rulesetsSpec)
let sb: SandboxHandle
let call: ReturnType<typeof client>
let zoneId: string
let entry: string

beforeAll(async () => {
  sb = await startSandbox({ seed: 'demo' })
  call = client(sb, schema)
  zoneId = sb.zones[0]!.id
  entry = `/zones/${zoneId}/rulesets/phases/${PHASE}/entrypoint`
})
afterAll(() => sb.close())
beforeEach(() => sb.reset())

type Rule = Record<string, unknown> & { id: string; ref: string; version: string; expression: string; description?: string }
type Ruleset = { id: string; version: string; name: string; phase: string; rules: Rule[] }
const ruleset = (r: CallResult): Ruleset => r.body.result as Ruleset

const MTLS = { action: 'block', description: 'mTLS', expression: recommendedExpression(['api.example.com']), ref: 'certdesk-mtls' }
const GEO = { action: 'log', description: 'geo', expression: 'ip.geoip.country in {"T1"}', x_team_note: 'kept as sent' }

// The schema marks the read-only id/version/last_updated as required in request bodies too (the ruleset's for PUT,
// the rule's for POST/PATCH); the SDK sends none, so writes skip request validation. Responses are still validated.
async function write(method: 'POST' | 'PATCH', path: string, body: unknown, query?: Record<string, string>): Promise<CallResult> {
  return call(method, path, { body, invalidRequest: true, ...(query ? { query } : {}) })
}
async function put(rules: unknown[], token: 'full' | 'readOnly' = 'full'): Promise<CallResult> {
  return call('PUT', entry, { body: { rules }, invalidRequest: true, token })
}

describe('zone rulesets through the API (schema-checked)', () => {
  it('the entry point is 404 until the first PUT creates it, then every change adds 1 to version', async () => {
    const missing = await call('GET', entry)
    expect(missing.status).toBe(404)
    expect(missing.body.errors[0]).toEqual({ code: 10003, message: `could not find entrypoint ruleset in the ${PHASE} phase` })
    expect((await call('GET', `/zones/${zoneId}/rulesets`)).body.result).toEqual([])

    const created = await put([MTLS, GEO])
    expect(created.status).toBe(200)
    const first = ruleset(created)
    expect(first).toMatchObject({ version: '1', name: 'default', phase: PHASE, kind: 'zone' })
    expect(first.rules.map((r) => [r.ref, r.version, r.enabled])).toEqual([
      ['certdesk-mtls', '1', true],
      [first.rules[1]!.id, '1', true],
    ])
    expect(first.rules.every((r) => /^[0-9a-f]{32}$/.test(r.id))).toBe(true)
    expect(first.rules[1]).toMatchObject({ x_team_note: 'kept as sent', expression: GEO.expression })

    const list = await call('GET', `/zones/${zoneId}/rulesets`)
    expect(list.body.result).toEqual([expect.objectContaining({ id: first.id, phase: PHASE, version: '1' })])
    expect((await call('GET', `/zones/${zoneId}/rulesets/${first.id}`)).body.result).toEqual(first)
    expect((await call('GET', entry)).body.result).toEqual(first)

    // PUT with the ids read back: unchanged rules keep their version, the edited one gets a new one.
    const [mtls, geo] = first.rules
    const again = ruleset(await put([mtls, { ...geo, description: 'geo (edited)' }]))
    expect(again.version).toBe('2')
    expect(again.rules.map((r) => [r.id, r.version])).toEqual([
      [mtls!.id, '1'],
      [geo!.id, '2'],
    ])
    expect(again.rules[0]).toEqual(mtls)
  })

  it('POST appends or places a rule, PATCH merges into one rule, DELETE removes it; the others stay byte for byte', async () => {
    const first = ruleset(await put([MTLS]))
    const rules = `/zones/${zoneId}/rulesets/${first.id}/rules`
    const appended = ruleset(await write('POST', rules, GEO))
    expect(appended.version).toBe('2')
    expect(appended.rules.map((r) => r.description)).toEqual(['mTLS', 'geo'])
    const top = ruleset(await write('POST', rules, { ...GEO, description: 'top', position: { before: first.rules[0]!.id } }))
    expect(top.rules.map((r) => r.description)).toEqual(['top', 'mTLS', 'geo'])
    const indexed = ruleset(await write('POST', rules, { ...GEO, description: 'second', position: { index: 2 } }))
    expect(indexed.rules.map((r) => r.description)).toEqual(['top', 'second', 'mTLS', 'geo'])

    const target = indexed.rules[2]!
    const patched = ruleset(
      await write('PATCH', `${rules}/${target.id}`, { expression: recommendedExpression(['api.example.com', 'admin.example.com']) }),
    )
    expect(patched.version).toBe('5')
    const after = patched.rules[2]!
    expect(after).toMatchObject({ id: target.id, ref: 'certdesk-mtls', version: '2', description: 'mTLS', action: 'block' })
    expect(after.expression).toContain('"admin.example.com"')
    expect(patched.rules.filter((r) => r.id !== target.id)).toEqual(indexed.rules.filter((r) => r.id !== target.id))

    const deleted = ruleset(await call('DELETE', `${rules}/${indexed.rules[0]!.id}`))
    expect(deleted.version).toBe('6')
    expect(deleted.rules.map((r) => r.description)).toEqual(['second', 'mTLS', 'geo'])
    expect(deleted.rules).toEqual(patched.rules.slice(1))
  })

  it('a syntax error is a 400 with the position and a pointer to the rule, and changes nothing', async () => {
    const first = ruleset(await put([MTLS]))
    const bad = await put([MTLS, { action: 'block', expression: 'http.host eq' }])
    expect(bad.status).toBe(400)
    expect(bad.body.errors).toEqual([
      {
        code: 20201,
        message:
          "'http.host eq' is not a valid value for expression because the expression is invalid: " +
          'Filter parsing error (1:13): expected value but found the end of the expression.',
        source: { pointer: '/rules/1/expression' },
      },
    ])
    const rules = `/zones/${zoneId}/rulesets/${first.id}/rules`
    const badPost = await write('POST', rules, { action: 'block', expression: 'http.host eq "a" and (' })
    expect(badPost.status).toBe(400)
    expect(badPost.body.errors[0]).toMatchObject({ code: 20201, source: { pointer: '/expression' } })
    expect(badPost.body.errors[0]!.message).toContain('(1:23)')
    const badAction = await put([{ ...MTLS, action: 'explode' }])
    expect(badAction.body.errors[0]).toMatchObject({ code: 20200, source: { pointer: '/rules/0/action' } })
    expect((await call('GET', entry)).body.result).toEqual(first)
  })

  it('unknown ids are 404; dry_run validates without saving', async () => {
    const first = ruleset(await put([MTLS]))
    expect((await call('GET', `/zones/${zoneId}/rulesets/${'0'.repeat(32)}`)).status).toBe(404)
    const missingRule = await call('DELETE', `/zones/${zoneId}/rulesets/${first.id}/rules/${'0'.repeat(32)}`)
    expect(missingRule.status).toBe(404)
    expect(missingRule.body.errors[0]!.code).toBe(10003)
    const dry = await write('POST', `/zones/${zoneId}/rulesets/${first.id}/rules`, GEO, { dry_run: 'true' })
    expect(dry.status).toBe(200)
    expect(dry.body.result).toBeNull()
    expect((await call('GET', entry)).body.result).toEqual(first)
  })

  it('Zone WAF Read can read, only Zone WAF Write can change', async () => {
    await put([MTLS])
    expect((await call('GET', entry, { token: 'readOnly' })).status).toBe(200)
    const refused = await put([], 'readOnly')
    expect(refused.status).toBe(403)
    expect(refused.body.errors[0]).toEqual({
      code: 10000,
      message: 'Authentication error: this API token lacks the "Zone WAF Write" permission.',
    })
    expect(ruleset(await call('GET', entry)).rules).toHaveLength(1)
  })
})

describe('zone rulesets through the official SDK', () => {
  it('phases.get/update and rules.create/edit/delete work against the Sandbox; the stored rules evaluate', async () => {
    const cf = new Cloudflare({ apiToken: sb.tokens.full, baseURL: sb.url, maxRetries: 0 })
    await expect(cf.rulesets.phases.get(PHASE, { zone_id: zoneId })).rejects.toMatchObject({ status: 404 })

    // update/create/edit/delete resolve to unknown with these params in the SDK's types: read what the test checks.
    const created = (await cf.rulesets.phases.update(PHASE, {
      zone_id: zoneId,
      rules: [
        { action: 'block', expression: 'not cf.tls_client_auth.cert_verified and http.host eq "api.example.com"', description: 'old' },
      ],
    })) as Ruleset
    expect(created.version).toBe('1')
    const rule = (await cf.rulesets.rules.create(created.id, {
      zone_id: zoneId,
      action: 'log',
      expression: 'http.request.method eq "POST"',
      description: 'log posts',
    })) as Ruleset
    expect(rule.rules.map((r) => r.description)).toEqual(['old', 'log posts'])

    const noRevocation = { host: 'api.example.com', path: '/', method: 'GET', tls: representativeTls('revoked') }
    expect(evaluateRules(customRulesOf(sb.snapshot(), zoneId), noRevocation).decision).toBe('allow')

    const edited = (await cf.rulesets.rules.edit(rule.rules[0]!.id, {
      zone_id: zoneId,
      ruleset_id: created.id,
      action: 'block',
      expression: recommendedExpression(['api.example.com']),
    })) as Ruleset
    expect(edited.version).toBe('3')
    expect(evaluateRules(customRulesOf(sb.snapshot(), zoneId), noRevocation)).toMatchObject({
      decision: 'block',
      decidedBy: { description: 'old' },
    })

    const afterDelete = (await cf.rulesets.rules.delete(rule.rules[1]!.id, { zone_id: zoneId, ruleset_id: created.id })) as Ruleset
    expect(afterDelete.rules.map((r) => r.description)).toEqual(['old'])
    const read = await cf.rulesets.phases.get(PHASE, { zone_id: zoneId })
    expect(read.version).toBe('4')

    const refused = cf.rulesets.phases.update(PHASE, { zone_id: zoneId, rules: [{ action: 'block', expression: 'http.host eq' }] })
    await expect(refused).rejects.toMatchObject({ status: 400 })
    await expect(refused).rejects.toThrow(/Filter parsing error \(1:13\)/)
  })
})
