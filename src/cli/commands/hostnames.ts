/**
 * `certdesk cf hostnames list|set`: the hostnames of a zone that ask for a client certificate (Cloudflare docs:
 * "Configure mTLS", hostname associations), for people rather than for the channel table's `get|plan|replace`.
 * `set` adds the given hostnames to the list (`--replace`: the list becomes exactly them). The API replaces the
 * whole list, so the plan (added, removed, kept) is printed first, a change that removes hostnames is asked on
 * the terminal (or needs --yes), and the write carries the list the plan was made from: a list changed in between
 * is refused by `hostnames:replace` with nothing written.
 */
import type { ResponseOf } from '../../shared/contract'
import { planReplace } from '../../main/cloudflare'
import { flag, requiredHostnames, str } from '../args'
import { EXIT_CHECK_FAILED, EXIT_OK, UsageError, type Command, type CommandContext } from '../command'
import { CONNECTION_HELP, CONNECTION_OPTIONS, connect, planText, sayingRateWaits, zoneOf } from './cf'

type Plan = ResponseOf<'hostnames:plan'>['plan']

/** The CA whose hostnames these are: --ca (an account mTLS certificate), else the zone's Cloudflare-managed CA. */
function caOf(ctx: CommandContext): { mtlsCertificateId?: string } {
  const ca = str(ctx, 'ca')?.trim()
  if (ca === '') throw new UsageError('--ca needs an account mTLS certificate id (list them with: certdesk cf mtls-certs list)')
  return ca === undefined ? {} : { mtlsCertificateId: ca }
}

const caLabel = (ca: { mtlsCertificateId?: string }): string => (ca.mtlsCertificateId ? `CA ${ca.mtlsCertificateId}` : 'the managed CA')

const listCommand: Command = {
  path: ['cf', 'hostnames', 'list'],
  summary: 'List the hostnames of a zone that ask for a client certificate (of the managed CA, or a BYO CA with --ca).',
  usage: `certdesk cf hostnames list --zone ID|NAME [--ca MTLS_CERT_ID] ${CONNECTION_HELP} [--json]`,
  options: { ...CONNECTION_OPTIONS, zone: { type: 'string' }, ca: { type: 'string' } },
  run: async (ctx) => {
    const ca = caOf(ctx)
    const c = await connect(ctx)
    const zone = await zoneOf(ctx, c)
    const hostnames = await c.cli.call('hostnames:get', { profileId: c.profile.id, zoneId: zone.zoneId, ...ca })
    const none = `No hostname of ${zone.zoneName ?? zone.zoneId} asks for a client certificate of ${caLabel(ca)}.`
    ctx.print(hostnames.join('\n') || none, { zone: zone.zoneName ?? zone.zoneId, ...ca, hostnames })
    return EXIT_OK
  },
}

const setCommand: Command = {
  path: ['cf', 'hostnames', 'set'],
  summary: 'Add hostnames that ask for a client certificate (--replace: exactly these); shows the plan, asks before removing any.',
  usage:
    `certdesk cf hostnames set --zone ID|NAME --hostname HOST… [--ca MTLS_CERT_ID] [--replace] [--yes] ` + `${CONNECTION_HELP} [--json]`,
  options: {
    ...CONNECTION_OPTIONS,
    zone: { type: 'string' },
    hostname: { type: 'string', multiple: true },
    ca: { type: 'string' },
    replace: { type: 'boolean' },
    yes: { type: 'boolean' },
  },
  run: async (ctx) => {
    const given = requiredHostnames(ctx, 'to associate')
    const ca = caOf(ctx)
    const replace = flag(ctx, 'replace')
    const c = await connect(ctx)
    const zone = await zoneOf(ctx, c)
    const scope = { profileId: c.profile.id, zoneId: zone.zoneId, ...ca }
    const where = `${zone.zoneName ?? zone.zoneId} (${caLabel(ca)})`
    // One read: the channel checks the given names and returns the live list the plan is made from.
    const read = await c.cli.call('hostnames:plan', { ...scope, hostnames: given })
    const { current } = read
    const hostnames = replace ? given : [...current, ...given]
    const plan: Plan = replace ? read.plan : planReplace(current, hostnames)
    const result = { zone: zone.zoneName ?? zone.zoneId, ...ca, current, plan }
    if (plan.added.length === 0 && plan.removed.length === 0) {
      ctx.print(`${planText(plan)}\nNothing to change: the hostnames of ${where} are already these.`, { ...result, changed: false })
      return EXIT_OK
    }
    if (!ctx.json) ctx.io.stdout(`${planText(plan)}\n`)
    if (plan.removed.length > 0 && !(await confirmRemoval(ctx, plan, where))) {
      ctx.print('Nothing was changed.', { ...result, changed: false })
      return EXIT_CHECK_FAILED
    }
    const written = await c.cli.call('hostnames:replace', { ...scope, hostnames, expectedCurrent: current })
    const summary = `Saved: ${written.hostnames.length} hostname(s) of ${where} ask for a client certificate.`
    ctx.print(summary, { ...result, hostnames: written.hostnames, changed: written.changed })
    return EXIT_OK
  },
}

/** Removing hostnames stops Cloudflare asking for a certificate there: asked on a terminal, --yes in a script. */
async function confirmRemoval(ctx: CommandContext, plan: Plan, where: string): Promise<boolean> {
  if (flag(ctx, 'yes')) return true
  const what = `remove ${plan.removed.join(', ')} from the hostnames of ${where}`
  if (!ctx.io.confirm) {
    throw new UsageError(
      `this would ${what}, which then no longer ask for a client certificate; pass --yes to confirm (stdin is not a terminal to ask on)`,
    )
  }
  return ctx.io.confirm(`${what.charAt(0).toUpperCase()}${what.slice(1)}? They will no longer ask for a client certificate.`)
}

export const hostnameCommands: Command[] = [listCommand, setCommand].map(sayingRateWaits)
