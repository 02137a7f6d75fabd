/**
 * A zone's WAF custom rules: the `http_request_firewall_custom` phase entry point (Cloudflare docs: "Configure mTLS",
 * "Rulesets API"). GET answers 404 until the entry point exists: that is an empty rule list at version 0, and the first
 * PUT creates it. A PUT replaces the whole list and has no If-Match, so every write goes through the client's guard
 * (enforcement/ruleset-plan.ts): the version read just before writing must be the one the plan was made from, and
 * the write must return exactly one version more.
 */
import { APIError } from 'cloudflare'
import { type RuleRecord, type RulesetPlan, type RulesetRead, checkWritten, rulesToWrite } from '../enforcement/ruleset-plan'
import type { CloudflareClient } from './client'
import type { ZoneScope } from './client-certificates'
import { guard, zoneContext } from './errors'
import { getHostnameAssociations } from './hostnames'
import { callOnScope, zoneLabel, type OperationsOf } from './operation'
import { read, WAF_READ, WAF_WRITE, write } from './operations'
import { diagnoseZone, type ZoneEnforcement } from '../enforcement/doctor'
import { ruleLabel } from '../enforcement/rules'
import { enforceDescription, planEnforce } from '../enforcement/service'

export const CUSTOM_RULES_PHASE = 'http_request_firewall_custom'

export interface CustomRuleset extends RulesetRead {
  version: string
  rules: RuleRecord[]
  /** False while the zone has no entry point for the phase (nothing was ever written). */
  exists: boolean
}

/** Cloudflare's codes for an unknown zone or object: a 404 that is not "no entry point yet". */
const UNKNOWN_OBJECT = new Set([7000, 7003])

function absentEntryPoint(error: unknown): boolean {
  if (!(error instanceof APIError) || error.status !== 404) return false
  const codes = ((error.errors ?? []) as Array<{ code?: unknown }>).map((e) => e.code)
  return !codes.some((code) => typeof code === 'number' && UNKNOWN_OBJECT.has(code))
}

function asRuleset(result: { id?: string; version?: string; rules?: unknown[] }): CustomRuleset {
  return {
    ...(result.id === undefined ? {} : { id: result.id }),
    version: String(result.version ?? '0'),
    rules: (result.rules ?? []) as RuleRecord[],
    exists: true,
  }
}

export async function getCustomRules(client: CloudflareClient, scope: ZoneScope, signal?: AbortSignal): Promise<CustomRuleset> {
  return guard(zoneContext(scope, 'rules.get', 'the custom rules'), async () => {
    try {
      return asRuleset(await client.sdk.rulesets.phases.get(CUSTOM_RULES_PHASE, { zone_id: scope.zoneId }, { signal }))
    } catch (error) {
      if (absentEntryPoint(error)) return { version: '0', rules: [], exists: false }
      throw error
    }
  })
}

/**
 * Writes a plan: reads the rules again, refuses (`conflict`, nothing written) when they changed since the plan, PUTs
 * the plan's rule list, and checks that no other write landed in between. Returns the ruleset as written.
 */
export async function replaceCustomRules(
  client: CloudflareClient,
  scope: ZoneScope,
  plan: RulesetPlan,
  signal?: AbortSignal,
): Promise<CustomRuleset> {
  const current = await getCustomRules(client, scope, signal)
  const rules = rulesToWrite(plan, current)
  const written = await guard(zoneContext(scope, 'rules.enforce', 'the custom rules'), async () =>
    asRuleset(
      (await client.sdk.rulesets.phases.update(
        CUSTOM_RULES_PHASE,
        { zone_id: scope.zoneId, rules: rules as Parameters<CloudflareClient['sdk']['rulesets']['phases']['update']>[1]['rules'] },
        { signal },
      )) as { id?: string; version?: string; rules?: unknown[] },
    ),
  )
  checkWritten(current, written)
  return written
}

/** A zone's hostname associations (the managed CA's and the BYO CAs' named) and its custom rules, as the doctor reads them. */
async function zoneEnforcement(
  client: CloudflareClient,
  at: ZoneScope,
  caIds: readonly string[] = [],
  signal?: AbortSignal,
): Promise<ZoneEnforcement> {
  const cas = [undefined, ...caIds]
  const [rules, ...lists] = await Promise.all([
    getCustomRules(client, at, signal),
    ...cas.map((ca) => getHostnameAssociations(client, at, { mtlsCertificateId: ca }, signal)),
  ])
  const associations = lists.flatMap((list, i) => list.map((hostname) => ({ hostname, ...(cas[i] ? { ca: cas[i] } : {}) })))
  return { zone: zoneLabel(at), associations, rules: rules.rules }
}

/** The operations of `rules:*` (what an operation declares: operation.ts). */
export const rulesOperations = {
  'rules.get': {
    scope: 'zone',
    permission: read('read the custom rules', WAF_READ),
    call: callOnScope(getCustomRules),
  },
  /** The associations of the managed CA (and of the BYO CAs asked for) against the zone's rules as they are now. */
  'rules.doctor': {
    scope: 'zone',
    permission: read('check mTLS enforcement', WAF_READ),
    call: async ({ client, at, request, signal }) => {
      const zone = await zoneEnforcement(client, at, request.caIds, signal)
      return { zone: zoneLabel(at), ...diagnoseZone(zone) }
    },
  },
  /** The same reads, undiagnosed: the doctor over a profile's zones judges them together (diagnoseZones). */
  'rules.zoneEnforcement': {
    scope: 'zone',
    permission: read('check mTLS enforcement', WAF_READ),
    call: ({ client, at, request, signal }) => zoneEnforcement(client, at, request.caIds, signal),
  },
  'rules.planEnforce': {
    scope: 'zone',
    permission: read('plan an mTLS rule', WAF_READ),
    call: async ({ client, at, request, signal }) => {
      const { version, before, after } = planEnforce(await getCustomRules(client, at, signal), request)
      return { version, after, ...(before === undefined ? {} : { before }) }
    },
  },
  /** The plan is made again from the rules read now, and written only if they are still at the version planned from. */
  'rules.enforce': {
    scope: 'zone',
    permission: write('change the custom rules', WAF_WRITE),
    call: async ({ client, at, request, signal, note }) => {
      const plan = planEnforce(await getCustomRules(client, at, signal), request)
      const written = await replaceCustomRules(client, at, { ...plan, version: request.version }, signal)
      note({ rule: ruleLabel(plan.after), version: written.version })
      return written
    },
    audit: {
      words: 'Changed WAF custom rules (mTLS enforcement)',
      /** A new rule is named by the description Enforce gives it; a changed one by its id (its description comes from the plan). */
      before: (request, at) => {
        const rule =
          request.ruleId ??
          enforceDescription(
            request.hostnames.map((h) => h.trim().toLowerCase()),
            request.paths,
          )
        return { target: `rule "${rule}" on zone ${zoneLabel(at)}`, objectId: request.ruleId ?? at.zoneId, objectName: rule }
      },
      detail: (request, at) => ({
        zone: zoneLabel(at),
        hostnames: request.hostnames.join(' '),
        ...(request.paths?.length ? { paths: request.paths.join(' ') } : {}),
        ...(request.ruleId ? { ruleId: request.ruleId } : {}),
        plannedFrom: request.version,
      }),
    },
  },
} as const satisfies OperationsOf<'rules'>
