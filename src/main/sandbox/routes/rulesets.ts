/**
 * Zone rulesets (Cloudflare docs: "Rulesets API", "Configure mTLS"): the phase entry point (GET is 404 until the
 * first PUT creates it; PUT replaces the whole rule list), one ruleset by id, and single rules (POST appends or
 * places by `position`, PATCH merges, DELETE removes). Every change adds 1 to the ruleset's `version`; a rule keeps
 * its `id` and `ref` (the ref defaults to the id) and gets a new rule `version` when it changes. Expressions are
 * parsed with the Rules-language grammar (src/main/enforcement): a syntax error is a 400 naming the position and
 * pointing at the rule (`source.pointer`), like Cloudflare's "Filter parsing error (line:column)". Fields, functions
 * and properties the Sandbox does not know are accepted and stored as sent.
 */
import { randomBytes } from 'node:crypto'
import { ApiError, bodyObject, invalid, scopedRoutes, zoneFromPath, type Route, type RouteContext } from '../http'
import type { RulesetRecord, SandboxState, ZoneRecord } from '../state'
import { parseExpression } from '../../enforcement/expression'
import { type CustomRule } from '../../enforcement/rules'
import { AppError } from '../../../shared/errors'

const READ = 'Zone WAF Read' as const
const WRITE = 'Zone WAF Write' as const

/** Codes for rulesets errors; Cloudflare documents none of them, so these are sandbox choices. */
export const RULESET_CODES = {
  notFound: 10003, // sandbox choice: "could not find entrypoint ruleset …" / unknown ruleset or rule id
  invalidRule: 20200, // sandbox choice: a rule property is missing or has the wrong type
  expressionSyntax: 20201, // sandbox choice: "… is not a valid value for expression because …Filter parsing error (L:C)"
} as const

/** The phases of the OpenAPI's `ruleset_phase` enum that a zone can have an entry point for. */
const PHASES = new Set([
  'ddos_l7',
  'http_config_settings',
  'http_custom_errors',
  'http_log_custom_fields',
  'http_ratelimit',
  'http_request_cache_settings',
  'http_request_dynamic_redirect',
  'http_request_firewall_custom',
  'http_request_firewall_managed',
  'http_request_late_transform',
  'http_request_origin',
  'http_request_redirect',
  'http_request_sanitize',
  'http_request_sbfm',
  'http_request_transform',
  'http_response_cache_settings',
  'http_response_compression',
  'http_response_firewall_managed',
  'http_response_headers_transform',
])

/** Actions a custom rule (http_request_firewall_custom) may take. */
const CUSTOM_ACTIONS = new Set(['block', 'challenge', 'js_challenge', 'managed_challenge', 'log', 'skip'])
/** Computed by the Sandbox: never taken from a request. */
const READ_ONLY = new Set(['version', 'last_updated', 'position'])

/** An API error that points at the property it is about (Cloudflare's `errors[].source.pointer`). */
export class PointedApiError extends ApiError {
  constructor(
    status: number,
    code: number,
    message: string,
    readonly pointer: string,
  ) {
    super(status, code, message)
  }
}

function newId(): string {
  return randomBytes(16).toString('hex')
}

function rulesetsOf(state: SandboxState): RulesetRecord[] {
  state.rulesets ??= []
  return state.rulesets
}

/** The zone's enabled-or-not custom rules in order, as the edge and the doctor evaluate them. */
export function customRulesOf(state: SandboxState, zoneId: string): CustomRule[] {
  const entry = (state.rulesets ?? []).find((r) => r.zoneId === zoneId && r.phase === 'http_request_firewall_custom')
  return (entry?.rules ?? []) as unknown as CustomRule[]
}

function summary(r: RulesetRecord): Record<string, unknown> {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    kind: 'zone',
    phase: r.phase,
    version: r.version,
    last_updated: r.lastUpdated,
  }
}

function full(r: RulesetRecord): Record<string, unknown> {
  return { ...summary(r), rules: r.rules.map((rule) => structuredClone(rule)) }
}

function notFoundError(message: string): ApiError {
  return new ApiError(404, RULESET_CODES.notFound, message)
}

function phaseParam(ctx: RouteContext): string {
  const phase = ctx.params['ruleset_phase'] ?? ''
  if (!PHASES.has(phase)) throw invalid(`"${phase}" is not a ruleset phase a zone can have an entry point for.`)
  return phase
}

function findRuleset(ctx: RouteContext, zoneId: string): RulesetRecord {
  const id = ctx.params['ruleset_id'] ?? ''
  const ruleset = rulesetsOf(ctx.state).find((r) => r.zoneId === zoneId && r.id === id)
  if (!ruleset) throw notFoundError(`could not find ruleset ${id}`)
  return ruleset
}

function isDryRun(ctx: RouteContext): boolean {
  return ctx.query.get('dry_run') === 'true'
}

/**
 * One rule from a request, checked and completed: `previous` is the stored rule it replaces (same id), if any.
 * `pointer` is where it sits in the request body, for the error's source.pointer.
 */
function checkRule(raw: unknown, pointer: string, phase: string, previous: Record<string, unknown> | undefined, now: string) {
  const fail = (what: string, message: string): never => {
    throw new PointedApiError(400, RULESET_CODES.invalidRule, message, `${pointer}/${what}`)
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new PointedApiError(400, RULESET_CODES.invalidRule, 'A rule must be a JSON object.', pointer)
  }
  const rule = Object.fromEntries(Object.entries(raw).filter(([key]) => !READ_ONLY.has(key)))
  if (typeof rule['expression'] !== 'string' || rule['expression'] === '') fail('expression', 'A rule needs an "expression" (a string).')
  if (typeof rule['action'] !== 'string' || rule['action'] === '') fail('action', 'A rule needs an "action" (a string).')
  const action = rule['action'] as string
  if (phase === 'http_request_firewall_custom' && !CUSTOM_ACTIONS.has(action)) {
    fail('action', `"${action}" is not a valid action for a custom rule; use one of: ${[...CUSTOM_ACTIONS].join(', ')}.`)
  }
  if (action === 'skip' && (typeof rule['action_parameters'] !== 'object' || rule['action_parameters'] === null)) {
    fail('action_parameters', 'A skip rule needs "action_parameters", e.g. {"ruleset": "current"}.')
  }
  if (rule['enabled'] !== undefined && typeof rule['enabled'] !== 'boolean') fail('enabled', '"enabled" must be true or false.')
  for (const key of ['description', 'ref', 'id'] as const) {
    if (rule[key] !== undefined && typeof rule[key] !== 'string') fail(key, `"${key}" must be a string.`)
  }
  try {
    parseExpression(rule['expression'] as string)
  } catch (error) {
    if (!(error instanceof AppError)) throw error
    const message =
      `'${rule['expression'] as string}' is not a valid value for expression because the expression is invalid: ` + error.message
    throw new PointedApiError(400, RULESET_CODES.expressionSyntax, message, `${pointer}/expression`)
  }
  const id = previous?.['id'] ?? newId()
  const merged: Record<string, unknown> = { enabled: true, description: '', ...rule, id }
  merged['ref'] = typeof rule['ref'] === 'string' ? rule['ref'] : (previous?.['ref'] ?? id)
  const unchanged = previous !== undefined && sameRule(previous, merged)
  merged['version'] = unchanged ? previous['version'] : String(Number(previous?.['version'] ?? 0) + 1)
  merged['last_updated'] = unchanged ? previous['last_updated'] : now
  return merged
}

function sameRule(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const strip = (r: Record<string, unknown>): string =>
    JSON.stringify(
      Object.fromEntries(
        Object.entries(r)
          .filter(([k]) => !READ_ONLY.has(k) && k !== 'last_updated')
          .sort(),
      ),
    )
  return strip(a) === strip(b)
}

function bump(ruleset: RulesetRecord, now: string): void {
  ruleset.version = String(Number(ruleset.version) + 1)
  ruleset.lastUpdated = now
}

/** Where `position` ({before}, {after}, {index} from 1) puts a rule among `rules`; the end by default. */
function placeAt(rules: Array<Record<string, unknown>>, position: unknown): number {
  if (position === undefined || position === null) return rules.length
  if (typeof position !== 'object') throw invalid('"position" must be an object: {"before": ID}, {"after": ID} or {"index": N}.')
  const p = position as Record<string, unknown>
  const indexOf = (id: unknown, key: string): number => {
    const at = rules.findIndex((r) => r['id'] === id)
    if (at < 0)
      throw new PointedApiError(
        400,
        RULESET_CODES.invalidRule,
        `There is no rule ${String(id)} to place the rule ${key}.`,
        `/position/${key}`,
      )
    return at
  }
  if (p['before'] !== undefined) return p['before'] === '' ? 0 : indexOf(p['before'], 'before')
  if (p['after'] !== undefined) return p['after'] === '' ? rules.length : indexOf(p['after'], 'after') + 1
  if (p['index'] !== undefined) {
    const index = p['index']
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 1) throw invalid('"position.index" must be a whole number from 1.')
    return Math.min(index - 1, rules.length)
  }
  return rules.length
}

function findRuleIndex(ruleset: RulesetRecord, ctx: RouteContext): number {
  const id = ctx.params['rule_id'] ?? ''
  const at = ruleset.rules.findIndex((r) => r['id'] === id)
  if (at < 0) throw notFoundError(`could not find rule ${id} in ruleset ${ruleset.id}`)
  return at
}

type Rules = Array<Record<string, unknown>>

/** A change to one ruleset's rules: `plan` returns the new list (checked); it is written unless `dry_run`. */
function ruleWrite(plan: (ruleset: RulesetRecord, body: Record<string, unknown>, now: string, ctx: RouteContext) => Rules) {
  return (ctx: RouteContext, zone: ZoneRecord) => {
    const ruleset = findRuleset(ctx, zone.id)
    const now = new Date(ctx.now).toISOString()
    const rules = plan(ruleset, bodyObject(ctx), now, ctx)
    if (isDryRun(ctx)) return { result: null }
    ruleset.rules = rules
    bump(ruleset, now)
    return { result: full(ruleset) }
  }
}

const route = scopedRoutes(zoneFromPath, { read: READ, write: WRITE })

/** A change to the one rule the path names (404 when the ruleset has none by that id): `plan` gets its index. */
function oneRuleWrite(
  method: 'PATCH' | 'DELETE',
  plan: (ruleset: RulesetRecord, index: number, body: Record<string, unknown>, now: string) => Rules,
) {
  const path = '/zones/:zone_id/rulesets/:ruleset_id/rules/:rule_id'
  return route.write(
    method,
    path,
    ruleWrite((ruleset, body, now, ctx) => plan(ruleset, findRuleIndex(ruleset, ctx), body, now)),
  )
}

export const rulesetRoutes: Route[] = [
  route.read('GET', '/zones/:zone_id/rulesets', (ctx, zone) => {
    return {
      result: rulesetsOf(ctx.state)
        .filter((r) => r.zoneId === zone.id)
        .map(summary),
    }
  }),
  route.read('GET', '/zones/:zone_id/rulesets/phases/:ruleset_phase/entrypoint', (ctx, zone) => {
    const phase = phaseParam(ctx)
    const entry = rulesetsOf(ctx.state).find((r) => r.zoneId === zone.id && r.phase === phase)
    if (!entry) throw notFoundError(`could not find entrypoint ruleset in the ${phase} phase`)
    return { result: full(entry) }
  }),
  route.write('PUT', '/zones/:zone_id/rulesets/phases/:ruleset_phase/entrypoint', (ctx, zone) => {
    const phase = phaseParam(ctx)
    const body = bodyObject(ctx)
    const rawRules = body['rules'] ?? []
    if (!Array.isArray(rawRules)) throw new PointedApiError(400, RULESET_CODES.invalidRule, '"rules" must be an array.', '/rules')
    const now = new Date(ctx.now).toISOString()
    const existing = rulesetsOf(ctx.state).find((r) => r.zoneId === zone.id && r.phase === phase)
    const byId = new Map((existing?.rules ?? []).map((r) => [r['id'], r]))
    const rules = rawRules.map((raw: unknown, i) => {
      const id = (raw as Record<string, unknown> | null)?.['id']
      const previous = id === undefined ? undefined : byId.get(id)
      if (id !== undefined && previous === undefined) {
        throw new PointedApiError(400, RULESET_CODES.invalidRule, `There is no rule ${String(id)} in this ruleset.`, `/rules/${i}/id`)
      }
      return checkRule(raw, `/rules/${i}`, phase, previous, now)
    })
    for (const key of ['name', 'description'] as const) {
      if (body[key] !== undefined && typeof body[key] !== 'string') throw invalid(`"${key}" must be a string.`)
    }
    if (isDryRun(ctx)) return { result: null }
    const ruleset: RulesetRecord = existing ?? {
      id: newId(),
      zoneId: zone.id,
      phase,
      name: 'default',
      description: '',
      version: '0',
      lastUpdated: now,
      rules: [],
    }
    if (!existing) rulesetsOf(ctx.state).push(ruleset)
    if (typeof body['name'] === 'string' && body['name'] !== '') ruleset.name = body['name']
    if (typeof body['description'] === 'string') ruleset.description = body['description']
    ruleset.rules = rules
    bump(ruleset, now)
    return { result: full(ruleset) }
  }),
  route.read('GET', '/zones/:zone_id/rulesets/:ruleset_id', (ctx, zone) => {
    return { result: full(findRuleset(ctx, zone.id)) }
  }),
  route.write(
    'POST',
    '/zones/:zone_id/rulesets/:ruleset_id/rules',
    ruleWrite((ruleset, body, now) => {
      if (body['id'] !== undefined) throw new PointedApiError(400, RULESET_CODES.invalidRule, 'A new rule cannot choose its "id".', '/id')
      const rule = checkRule(body, '', ruleset.phase, undefined, now)
      const rules = [...ruleset.rules]
      rules.splice(placeAt(rules, body['position']), 0, rule)
      return rules
    }),
  ),
  oneRuleWrite('PATCH', (ruleset, index, body, now) => {
    const previous = ruleset.rules[index]!
    if (body['id'] !== undefined && body['id'] !== previous['id']) {
      throw new PointedApiError(400, RULESET_CODES.invalidRule, 'A rule\'s "id" cannot change.', '/id')
    }
    const rule = checkRule({ ...previous, ...body }, '', ruleset.phase, previous, now)
    const rest = ruleset.rules.filter((_r, i) => i !== index)
    rest.splice(body['position'] === undefined ? index : placeAt(rest, body['position']), 0, rule)
    return rest
  }),
  oneRuleWrite('DELETE', (ruleset, index) => ruleset.rules.filter((_r, i) => i !== index)),
]
