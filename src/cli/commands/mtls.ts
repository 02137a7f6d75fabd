/**
 * `certdesk cf mtls doctor|enforce`: whether a zone's WAF custom rules really block what its hostname associations
 * ask for (Cloudflare docs: "Configure mTLS"), and the one change that makes them. Both go the app's way: the doctor
 * through its IPC channel; Enforce shows its plan (the rule before and after, as a diff) through `rules:planEnforce`,
 * asks on the terminal (or takes --yes), then runs the same operation `rules:enforce` runs once confirmed in the app,
 * so the write has the same guard against a concurrent edit and the same activity entry.
 */
import type { ResponseOf } from '../../shared/contract'
import { rulesContract } from '../../shared/contract/rules'
import { flag, list, requiredHostnames, str } from '../args'
import { EXIT_CHECK_FAILED, EXIT_OK, UsageError, type Command } from '../command'
import { CONNECTION_HELP, CONNECTION_OPTIONS, connect, sayingRateWaits, zoneOf } from './cf'

type DoctorReport = ResponseOf<'rules:doctor'>
type EnforcePlan = ResponseOf<'rules:planEnforce'>

/** One line per finding: hostname, rule, risk, fix. */
export function doctorText(report: DoctorReport): string {
  const zone = report.zone ?? 'the zone'
  if (report.hostnames.length === 0 && report.findings.length === 0) return `${zone}: no hostname asks for a client certificate.`
  if (report.findings.length === 0) {
    return `${zone}: every associated hostname is enforced, revoked certificates included (${report.hostnames.length} checked).`
  }
  const lines = report.findings.map((f) =>
    [f.hostname ?? '-', f.rule === undefined ? 'no rule' : `rule "${f.rule}"`, f.risk, `Fix: ${f.fix}`].join(' | '),
  )
  return [`${zone}: ${report.findings.length} finding${report.findings.length === 1 ? '' : 's'}`, ...lines].join('\n')
}

/** The plan as a diff of the one rule it changes; nothing else in the ruleset changes. */
export function planText(plan: EnforcePlan, zone: string): string {
  const label = (rule: EnforcePlan['after']) => rule.description ?? rule.id ?? 'new rule'
  const head = plan.before === undefined ? `Add rule "${label(plan.after)}"` : `Change rule "${label(plan.before)}"`
  const lines = [`Custom rules of ${zone} (version ${plan.version}): ${head}; no other rule changes.`]
  if (plan.before !== undefined) lines.push(`- ${plan.before.action}: ${plan.before.expression}`)
  lines.push(`+ ${plan.after.action}: ${plan.after.expression}`)
  return lines.join('\n')
}

const doctorCommand: Command = {
  path: ['cf', 'mtls', 'doctor'],
  summary: 'Check that every hostname asking for a client certificate is protected by a rule that also blocks revoked ones.',
  usage: `certdesk cf mtls doctor --zone ID|NAME [--ca MTLS_CERT_ID…] ${CONNECTION_HELP} [--json]`,
  options: { ...CONNECTION_OPTIONS, zone: { type: 'string' }, ca: { type: 'string', multiple: true } },
  run: async (ctx) => {
    const c = await connect(ctx)
    const { zoneId } = await zoneOf(ctx, c)
    const caIds = list(ctx, 'ca').filter((id) => id.trim() !== '')
    const report = await c.cli.call('rules:doctor', { profileId: c.profile.id, zoneId, ...(caIds.length ? { caIds } : {}) })
    ctx.print(doctorText(report), report)
    return report.findings.length === 0 ? EXIT_OK : EXIT_CHECK_FAILED
  },
}

const enforceCommand: Command = {
  path: ['cf', 'mtls', 'enforce'],
  summary: 'Write the rule that blocks missing, unverified or revoked client certificates (or add revocation to --rule).',
  usage: `certdesk cf mtls enforce --zone ID|NAME --hostname HOST… [--path P…] [--rule ID] [--yes] ${CONNECTION_HELP} [--json]`,
  options: {
    ...CONNECTION_OPTIONS,
    zone: { type: 'string' },
    hostname: { type: 'string', multiple: true },
    path: { type: 'string', multiple: true },
    rule: { type: 'string' },
    yes: { type: 'boolean' },
  },
  run: async (ctx) => {
    const hostnames = requiredHostnames(ctx, 'the rule protects')
    const paths = list(ctx, 'path').map((p) => p.trim())
    const ruleId = str(ctx, 'rule')
    const c = await connect(ctx)
    const zone = await zoneOf(ctx, c)
    const input = {
      profileId: c.profile.id,
      zoneId: zone.zoneId,
      hostnames,
      ...(paths.length ? { paths } : {}),
      ...(ruleId === undefined ? {} : { ruleId }),
    }
    const plan = await c.cli.call('rules:planEnforce', input)
    const shown = planText(plan, `zone ${zone.zoneName ?? zone.zoneId}`)
    if (plan.before !== undefined && plan.before.expression === plan.after.expression) {
      ctx.print(`${shown}\nThe rule already blocks revoked certificates: nothing was changed.`, { plan, changed: false })
      return EXIT_OK
    }
    if (!ctx.json) ctx.io.stdout(`${shown}\n`)
    if (!flag(ctx, 'yes')) {
      if (!ctx.io.confirm) {
        throw new UsageError('writing this rule changes what the zone blocks; pass --yes to confirm (stdin is not a terminal to ask on)')
      }
      if (!(await ctx.io.confirm(`Write this rule to the custom rules of zone ${zone.zoneName ?? zone.zoneId}?`))) {
        ctx.print('Nothing was changed.', { plan, changed: false })
        return EXIT_CHECK_FAILED
      }
    }
    const request = rulesContract['rules:enforce'].request.parse({ ...input, version: plan.version })
    const written = await c.app.cloudflare.run('rules.enforce', request)
    ctx.print(`Written: the custom rules are now at version ${written.version}.`, { plan, changed: true, ruleset: written })
    return EXIT_OK
  },
}

export const mtlsCommands: Command[] = [doctorCommand, enforceCommand].map(sayingRateWaits)
