/**
 * `rules:*`: a zone's WAF custom rules and mTLS enforcement. Reads name their operation; `rules:enforce` writes the
 * plan (operation `rules.enforce`) only once the user confirmed it in main's own dialog, which shows the rule before
 * and after: a renderer cannot skip it. A "no" is recorded and nothing is sent.
 */
import type { ParsedRequestOf } from '../../shared/contract'
import type { Handlers } from '../dispatch'
import type { Services } from '../services'
import { operationHandlers } from './cloudflare'
import { confirmInMain } from './confirm'
import { rulesToWrite } from '../enforcement/ruleset-plan'
import { doctorProfile } from '../enforcement/profile-doctor'
import { testAccess } from '../enforcement/test-access'

function enforceQuestion(request: ParsedRequestOf<'rules:enforce'>, before: string | undefined, after: string) {
  const where = request.hostnames.join(', ')
  return {
    title: 'Enforce mTLS',
    message:
      before === undefined
        ? `Add a WAF custom rule blocking requests to ${where} without a valid certificate?`
        : `Change the WAF custom rule so that it also blocks revoked certificates on ${where}?`,
    detail: [
      ...(before === undefined ? [] : [`Before: ${before}`]),
      `After: ${after}`,
      '',
      'Nothing else in the custom rules changes.',
    ].join('\n'),
    confirmLabel: 'Write the rule',
    destructive: false,
  }
}

export function createRulesHandlers(services: Services) {
  const operation = operationHandlers(services)
  return {
    'rules:get': operation('rules.get'),
    'rules:doctor': operation('rules.doctor'),
    'rules:doctorProfile': async (request) =>
      doctorProfile(services.cloudflare, { profile: services.profiles.get(request.profileId), zoneIds: request.zoneIds }),
    /** Main reads the vault key; a Sandbox profile's hostnames go to the Sandbox edge, trusting its CA. */
    'rules:probe': async ({ profileId, ...request }) =>
      testAccess(
        {
          vault: services.vault,
          edge: async () => {
            if (profileId === undefined || services.profiles.get(profileId).kind !== 'sandbox') return null
            const handle = await services.sandbox.handle()
            if (!handle.edge) return null
            return { port: handle.edge.port, caPem: handle.edge.caPem, zones: handle.snapshot().zones.map((z) => z.name) }
          },
        },
        request,
      ),
    'rules:planEnforce': operation('rules.planEnforce'),
    'rules:enforce': async (request) => {
      const { version: _version, ...planRequest } = request
      const plan = await services.cloudflare.run('rules.planEnforce', planRequest)
      // Rules that moved since the renderer's plan are refused before the question (the write would refuse them too).
      if (plan.version !== request.version) rulesToWrite({ ...plan, version: request.version, rules: [] }, plan)
      await confirmInMain(
        services,
        { action: 'cf.rules.enforce', objectName: plan.after.description ?? 'custom rules', objectId: request.zoneId },
        enforceQuestion(request, plan.before?.expression, plan.after.expression),
      )
      return services.cloudflare.run('rules.enforce', request)
    },
  } satisfies Partial<Handlers>
}
