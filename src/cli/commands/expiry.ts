/**
 * `certdesk expiry`: what expires within the window, for cron and MDM: every Cloudflare surface of the token's zones
 * and accounts (`--profile NAME` or CLOUDFLARE_API_TOKEN, `--base-url` as the `cf` commands take them), the vault's
 * local CAs and certificates, and the roots installed on this machine. Exit 1 when anything is expired or expires
 * within the window (or a listing could not be read), 0 otherwise, 2 for bad input.
 *
 * Every listing is read fresh (the app's cached radar is not used: a check says what is true now), into a folder
 * removed afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ExpiryItem } from '../../shared/expiry-model'
import type { Profile } from '../../shared/model'
import { EXIT_CHECK_FAILED, EXIT_OK, UsageError, type Command, type CommandContext } from '../command'
import { str, table, time } from '../args'
import { cliServices } from '../services'
import { connect, CONNECTION_HELP, CONNECTION_OPTIONS } from './cf'

/** `30d`, `2w` or `30` (days): the window, 0 to 3650 days. */
export function parseWithin(text: string | undefined): number {
  if (text === undefined) return 30
  const match = /^\s*(\d+)\s*([dw]?)\s*$/i.exec(text)
  const days = match ? Number(match[1]) * (match[2]?.toLowerCase() === 'w' ? 7 : 1) : NaN
  if (!(days >= 0 && days <= 3650))
    throw new UsageError(`--within must be a number of days such as 30d (or weeks: 4w), up to 3650d, not "${text}".`)
  return days
}

/** The profile to read with every zone and account its token sees (a profile not verified yet is looked up). */
async function profileToRead(ctx: CommandContext): Promise<{ profile: Profile | null; app: Awaited<ReturnType<typeof appOf>> }> {
  if (!str(ctx, 'profile') && !ctx.io.env['CLOUDFLARE_API_TOKEN']?.trim()) {
    ctx.io.stderr('certdesk: no Cloudflare token (--profile NAME or CLOUDFLARE_API_TOKEN): checking this machine only.\n')
    return { profile: null, app: await appOf(ctx) }
  }
  const c = await connect(ctx)
  let profile = c.profile
  if (!profile.zones.length && !profile.accounts.length) {
    const [zones, accounts] = await Promise.all([c.app.cloudflare.listZones(profile.id), c.app.cloudflare.listAccounts(profile.id)])
    profile = c.transient ? c.app.profiles.transient({ ...c.transient, zones, accounts }) : { ...profile, zones, accounts }
  }
  return { profile, app: c.app }
}

const appOf = (ctx: CommandContext) => cliServices(ctx.io).app()

const days = (item: ExpiryItem) => (item.state === 'expired' ? `expired ${-item.daysLeft}d ago` : `${item.daysLeft}d`)

export const expiryCommands: Command[] = [
  {
    path: ['expiry'],
    summary: 'List what expires within the window on every surface (exit 1 when anything does): Cloudflare, vault, this machine.',
    usage: `certdesk expiry [--within 30d] [--at RFC3339] ${CONNECTION_HELP} [--json]`,
    options: { ...CONNECTION_OPTIONS, within: { type: 'string' }, at: { type: 'string' } },
    run: async (ctx) => {
      const windowDays = parseWithin(str(ctx, 'within'))
      const at = time(ctx, 'at')?.getTime() ?? Date.now()
      const { profile, app } = await profileToRead(ctx)
      const { ExpiryService } = await import('../../main/expiry')
      const dir = mkdtempSync(join(tmpdir(), 'certdesk-expiry-'))
      try {
        const expiry = new ExpiryService({
          userDataDir: dir,
          cloudflare: app.cloudflare,
          profiles: () => (profile ? [profile] : []),
          vault: app.vault,
          trust: app.trust,
          windowDays: () => windowDays,
          now: () => at,
        })
        const summary = await expiry.refresh({ force: true })
        const page = async (state: 'expired' | 'expiring') =>
          (await expiry.items({ state, offset: 0, limit: Number.MAX_SAFE_INTEGER })).items
        const items = [...(await page('expired')), ...(await page('expiring'))]
        const failed = summary.sources.filter((s) => s.error)
        for (const s of failed) ctx.io.stderr(`certdesk: ${s.label}: ${s.error!.message}${s.error!.hint ? ` ${s.error!.hint}` : ''}\n`)
        const json = {
          at: summary.now,
          windowDays,
          due: items.length,
          items: items.map((i) => ({
            surface: i.surface,
            id: i.id,
            name: i.name,
            expiry: i.notAfter,
            state: i.state,
            daysLeft: i.daysLeft,
            where: i.where.text,
            breaks: i.breaks,
            renew: i.renew.label,
          })),
          failedSources: failed.map((s) => ({ source: s.label, error: s.error })),
          checked: summary.totals.all,
          requests: summary.sources.reduce((n, s) => n + s.requests, 0),
        }
        const head = items.length
          ? `${items.length} of ${summary.totals.all} certificates expire within ${windowDays} days (as of ${summary.now}):`
          : `Nothing of ${summary.totals.all} certificates expires within ${windowDays} days (as of ${summary.now}).`
        const rows = items.map((i) => [
          i.state === 'expired' ? 'EXPIRED' : 'expiring',
          i.notAfter.slice(0, 10),
          days(i),
          i.surface,
          i.name,
          i.where.text,
        ])
        ctx.print([head, ...(rows.length ? [table(rows)] : [])].join('\n'), json)
        return items.length || failed.length ? EXIT_CHECK_FAILED : EXIT_OK
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  },
]
