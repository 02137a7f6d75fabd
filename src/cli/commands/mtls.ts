/**
 * `certdesk cf mtls doctor|enforce`: whether a zone's WAF custom rules really block what its hostname associations
 * ask for (Cloudflare docs: "Configure mTLS"), and the one change that makes them. Both go the app's way: the doctor
 * through its IPC channel; Enforce shows its plan (the rule before and after, as a diff) through `rules:planEnforce`,
 * asks on the terminal (or takes --yes), then runs the same operation `rules:enforce` runs once confirmed in the app,
 * so the write has the same guard against a concurrent edit and the same activity entry.
 */
import type { ResponseOf } from '../../shared/contract'
import { AppError, type ErrorCode } from '../../shared/errors'
import { rulesContract } from '../../shared/contract/rules'
import { flag, list, requiredHostnames, str } from '../args'
import { EXIT_CHECK_FAILED, EXIT_OK, UsageError, type Command } from '../command'
import { CONNECTION_HELP, CONNECTION_OPTIONS, connect, sayingRateWaits, zoneOf } from './cf'

type DoctorReport = ResponseOf<'rules:doctor'>
type ProfileDoctorReport = ResponseOf<'rules:doctorProfile'>
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

/** Every zone of the profile: each zone's report, then what could not be looked at. */
export function profileDoctorText(report: ProfileDoctorReport): string {
  const zones = report.zones.map((z) =>
    z.error === undefined
      ? doctorText(z)
      : `${z.zone ?? z.zoneId}: not checked: ${z.error.message}${z.error.hint ? ` ${z.error.hint}` : ''}`,
  )
  const cas = report.cas.length ? [`BYO CAs checked: ${report.cas.map((c) => c.name ?? c.id).join(', ')}.`] : []
  return [...zones, ...cas, ...report.notes].join('\n')
}

const doctorCommand: Command = {
  path: ['cf', 'mtls', 'doctor'],
  summary: 'Check that every hostname asking for a client certificate is protected by a rule that also blocks revoked ones.',
  usage: `certdesk cf mtls doctor [--zone ID|NAME [--ca MTLS_CERT_ID…] | --all-zones] ${CONNECTION_HELP} [--json]`,
  options: { ...CONNECTION_OPTIONS, zone: { type: 'string' }, ca: { type: 'string', multiple: true }, 'all-zones': { type: 'boolean' } },
  run: async (ctx) => {
    const caIds = list(ctx, 'ca').filter((id) => id.trim() !== '')
    const zoneGiven = str(ctx, 'zone') !== undefined
    if (flag(ctx, 'all-zones') && zoneGiven) throw new UsageError('give --zone for one zone or --all-zones for every zone, not both')
    if (caIds.length && !zoneGiven) throw new UsageError('--ca names CAs of one zone: give --zone too')
    const c = await connect(ctx)
    if (!zoneGiven) {
      // Every zone the token sees, the BYO CAs of their accounts found without naming them.
      const report = await c.cli.call('rules:doctorProfile', { profileId: c.profile.id })
      ctx.print(report.zones.length ? profileDoctorText(report) : 'This token sees no zone.', report)
      return report.enforced ? EXIT_OK : EXIT_CHECK_FAILED
    }
    const { zoneId } = await zoneOf(ctx, c)
    const report: DoctorReport & { notes?: string[] } = caIds.length
      ? await c.cli.call('rules:doctor', { profileId: c.profile.id, zoneId, caIds })
      : oneZone(await c.cli.call('rules:doctorProfile', { profileId: c.profile.id, zoneIds: [zoneId] }))
    ctx.print([doctorText(report), ...(report.notes ?? [])].join('\n'), report)
    return report.findings.length === 0 ? EXIT_OK : EXIT_CHECK_FAILED
  },
}

/** The one zone asked for; its failure is the command's (not found, missing permission). */
function oneZone(report: ProfileDoctorReport): DoctorReport & { notes?: string[] } {
  const [zone] = report.zones
  if (zone?.error) throw new AppError(zone.error.code as ErrorCode, zone.error.message, zone.error.hint ? { hint: zone.error.hint } : {})
  const { error: _error, ...rest } = zone!
  return report.notes.length ? { ...rest, notes: report.notes } : rest
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
