/**
 * `certdesk cf …`: the Cloudflare operations for scripting. The token comes from
 * CLOUDFLARE_API_TOKEN or from a keychain profile (`--profile NAME`); `--base-url` points at a
 * Sandbox. Changes go through CloudflareService, so they land in the same activity log as the app's.
 *
 * Every process shares one rate budget per token with the app and the other CLI processes (a ledger
 * in the user-data folder); it uses `--rate-share`, else CERTDESK_RATE_SHARE, else the app's setting
 * (80 % by default) of Cloudflare's budget, and says on stderr when it waits for it.
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { ClientCertStatusFilter, type ClientCertificateSummary } from '../../shared/cloudflare-model'
import { AppError } from '../../shared/errors'
import type { AccountRef, ZoneRef } from '../../shared/model'
import { CloudflareService, RATE_LEDGER_DIR, rateWaitMessage, type ZoneScope } from '../../main/cloudflare'
import { checkPemFileSize } from '../../main/certs/pem'
import { ClientCertIssuer } from '../../main/cloudflare/issuance'
import { SettingsStore } from '../../main/storage/settings'
import { MIN_RATE_SHARE } from '../../shared/constants'
import { EXIT_CHECK_FAILED, EXIT_OK, UsageError, type Command, type CommandContext } from '../command'
import { cliServices, defaultUserDataDir } from '../services'

const CONNECTION_OPTIONS = {
  profile: { type: 'string' },
  'base-url': { type: 'string' },
  'rate-share': { type: 'string' },
} as const

const CLI_PROFILE = 'cli'
/** The zones --zone named in this process, so messages and the activity log name them. */
const cliZones: ZoneRef[] = []

function str(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.values[name]
  return typeof v === 'string' ? v : undefined
}

/** `0.8` or `80%`: the fraction of Cloudflare's rate budget to use. */
export function parseRateShare(text: string, source: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text)
  const share = match ? Number(match[1]) / (match[2] ? 100 : 1) : NaN
  if (!(share >= MIN_RATE_SHARE && share <= 1)) {
    throw new UsageError(
      `${source} must be a share of Cloudflare's rate budget from ${MIN_RATE_SHARE} to 1 (or ${MIN_RATE_SHARE * 100}% to 100%), got "${text}".`,
    )
  }
  return share
}

/** --rate-share, else CERTDESK_RATE_SHARE, else the app's setting. */
function rateShare(ctx: CommandContext, userDataDir: string): number {
  const flag = str(ctx, 'rate-share')
  if (flag !== undefined) return parseRateShare(flag, '--rate-share')
  const env = ctx.io.env['CERTDESK_RATE_SHARE']
  if (env !== undefined && env.trim() !== '') return parseRateShare(env, 'CERTDESK_RATE_SHARE')
  return new SettingsStore(userDataDir, () => undefined).get().cloudflareRateShare
}

/** Build a service whose one "profile" is the token this invocation uses. */
async function serviceFor(ctx: CommandContext): Promise<CloudflareService> {
  const profileName = str(ctx, 'profile')
  const baseOverride = str(ctx, 'base-url')
  let token: string
  let baseUrl: string | undefined
  let accounts: AccountRef[] = []
  const services = () => cliServices(ctx.io)
  if (profileName) {
    const profile = services()
      .profiles.list()
      .find((p) => p.name.toLowerCase() === profileName.toLowerCase())
    if (!profile) throw new AppError('bad_input', `No profile named "${profileName}".`, { hint: 'List them with: certdesk profiles list' })
    token = await services().profiles.token(profile.id)
    baseUrl = profile.baseUrl
    accounts = profile.accounts
  } else {
    const env = ctx.io.env['CLOUDFLARE_API_TOKEN']?.trim()
    if (!env) throw new UsageError('No API token: set CLOUDFLARE_API_TOKEN or pass --profile NAME.')
    token = env
  }
  if (baseOverride) baseUrl = baseOverride
  const settle = ctx.io.env['CERTDESK_CREATE_SETTLE_MS']?.trim()
  const userDataDir = defaultUserDataDir(ctx.io.env)
  const share = rateShare(ctx, userDataDir)
  return new CloudflareService({
    connect: async () => ({ token, baseUrl, accounts, zones: cliZones }),
    activity: { record: (entry) => services().activity.record({ ...entry, detail: { ...entry.detail, via: 'cli' } }) },
    ...(settle && /^\d+$/.test(settle) ? { createSettleMs: Number(settle) } : {}),
    // Waits go to stderr, so --json output stays clean.
    limiter: { share, onWaiting: (seconds) => ctx.io.stderr(`${rateWaitMessage(seconds)}\n`) },
    rateLedgerDir: join(userDataDir, RATE_LEDGER_DIR),
  })
}

/** Creates go through the vault's intents (recorded before sending, resumed on a retry); CLI creates are the profile "cli". */
function issuerFor(ctx: CommandContext, service: CloudflareService): ClientCertIssuer {
  const { vault, activity } = cliServices(ctx.io)
  return new ClientCertIssuer(service, vault, { record: (entry) => activity.record({ ...entry, detail: { ...entry.detail, via: 'cli' } }) })
}

/** --zone takes an id (32 hex) or a zone name. */
async function zoneFor(ctx: CommandContext, service: CloudflareService): Promise<ZoneScope> {
  const zone = str(ctx, 'zone')
  if (!zone) throw new UsageError('--zone is required (a zone id or name).')
  const zones = await service.listZones(CLI_PROFILE)
  const found = zones.find((z) => z.id === zone || z.name.toLowerCase() === zone.toLowerCase())
  if (found) {
    cliZones.push({ id: found.id, name: found.name })
    return { zoneId: found.id, zoneName: found.name }
  }
  if (/^[0-9a-f]{32}$/i.test(zone)) return { zoneId: zone }
  throw new AppError('not_found', `This token sees no zone "${zone}".`, { hint: 'List the zones with: certdesk cf zones' })
}

function row(c: ClientCertificateSummary): string {
  return [c.id, c.status.padEnd(20), (c.expiresOn ?? '').slice(0, 10), c.commonName].join('  ')
}

function positional(ctx: CommandContext, what: string): string {
  const [id, ...rest] = ctx.positionals
  if (!id || rest.length) throw new UsageError(`Give exactly one ${what}.`)
  return id
}

export const cfCommands: Command[] = [
  {
    path: ['cf', 'verify'],
    summary: 'Verify the API token: status, accounts, zones and missing permissions.',
    usage: 'certdesk cf verify [--profile NAME | env CLOUDFLARE_API_TOKEN] [--base-url URL] [--rate-share 0.8] [--json]',
    options: CONNECTION_OPTIONS,
    run: async (ctx) => {
      const identity = await (await serviceFor(ctx)).identity(CLI_PROFILE)
      const lines = [
        `Token ${identity.tokenId}: ${identity.status} (${identity.owner}-owned)${identity.expiresOn ? `, expires ${identity.expiresOn}` : ''}`,
        `Accounts: ${identity.accounts.map((a) => a.name).join(', ') || 'none visible'}`,
        `Zones: ${identity.zones.map((z) => z.name).join(', ') || 'none visible'}`,
        ...identity.permissions.map(
          (p) => `  ${p.state === 'granted' ? 'ok     ' : p.state === 'missing' ? 'MISSING' : '?      '} ${p.permission} — ${p.purpose}`,
        ),
      ]
      if (identity.missing.length)
        lines.push(`Missing: ${identity.missing.join(', ')}. Add them to the token in the Cloudflare dashboard (My Profile → API Tokens).`)
      ctx.print(lines.join('\n'), identity)
      return identity.status === 'active' ? EXIT_OK : EXIT_CHECK_FAILED
    },
  },
  {
    path: ['cf', 'zones'],
    summary: 'List the zones the token can see.',
    usage: 'certdesk cf zones [--account ID] [--profile NAME] [--base-url URL] [--rate-share 0.8] [--json]',
    options: { ...CONNECTION_OPTIONS, account: { type: 'string' } },
    run: async (ctx) => {
      const zones = await (await serviceFor(ctx)).listZones(CLI_PROFILE, str(ctx, 'account'))
      ctx.print(zones.length ? zones.map((z) => `${z.id}  ${z.name}`).join('\n') : 'No zones visible to this token.', zones)
      return EXIT_OK
    },
  },
  {
    path: ['cf', 'client-certs', 'list'],
    summary: 'List API Shield client certificates of a zone (all pages).',
    usage: 'certdesk cf client-certs list --zone ID|NAME [--status all|active|pending_revocation|pending_reactivation|revoked] [--json]',
    options: { ...CONNECTION_OPTIONS, zone: { type: 'string' }, status: { type: 'string' } },
    run: async (ctx) => {
      const status = ClientCertStatusFilter.safeParse(str(ctx, 'status') ?? 'all')
      if (!status.success) throw new UsageError(`--status must be one of ${ClientCertStatusFilter.options.join(', ')}.`)
      const service = await serviceFor(ctx)
      const zone = await zoneFor(ctx, service)
      const certs = await service.run('clientCerts.list', { profileId: CLI_PROFILE, zoneId: zone.zoneId, status: status.data })
      const json = certs.map(({ certificate: _pem, ...rest }) => rest)
      ctx.print(
        certs.length
          ? certs.map(row).join('\n')
          : `No ${status.data === 'all' ? '' : `${status.data} `}client certificates in ${zone.zoneName ?? zone.zoneId}.`,
        json,
      )
      return EXIT_OK
    },
  },
  {
    path: ['cf', 'client-certs', 'create'],
    summary: 'Issue a client certificate from a CSR with the zone’s Cloudflare-managed CA.',
    usage: 'certdesk cf client-certs create --zone ID|NAME --csr FILE --days N [--json]',
    options: { ...CONNECTION_OPTIONS, zone: { type: 'string' }, csr: { type: 'string' }, days: { type: 'string' } },
    run: async (ctx) => {
      const csrPath = str(ctx, 'csr')
      const daysText = str(ctx, 'days')
      if (!csrPath) throw new UsageError('--csr FILE is required.')
      if (!daysText || !/^\d+$/.test(daysText))
        throw new UsageError('--days N is required: whole days (365, 730, 1095, 1825, 3650, 5475 match the dashboard).')
      let csrPem: string
      checkPemFileSize(resolve(ctx.io.cwd, csrPath), csrPath)
      try {
        csrPem = readFileSync(resolve(ctx.io.cwd, csrPath), 'utf8')
      } catch (error) {
        throw new AppError('bad_input', `Cannot read the CSR file ${csrPath}: ${(error as NodeJS.ErrnoException).code ?? 'error'}.`, {
          hint: 'Check the path.',
        })
      }
      const service = await serviceFor(ctx)
      const zone = await zoneFor(ctx, service)
      const result = await issuerFor(ctx, service).issue(CLI_PROFILE, zone, { csrPem, validityDays: Number(daysText) })
      const c = result.certificate
      const notes = [
        result.recovered && result.resumed ? 'an earlier create for this CSR had issued it; nothing was sent again' : '',
        result.recovered && !result.resumed ? 'answer was lost; found by its CSR, not issued twice' : '',
        result.key ? `linked to vault key "${result.key.label}"` : '',
      ].filter(Boolean)
      const { key, ...json } = result
      const note = notes.length ? ` (${notes.join('; ')})` : ''
      const text = `${c.certificate ?? ''}\n# ${c.id} ${c.commonName}, expires ${c.expiresOn ?? '?'}${note}`
      ctx.print(text.trimStart(), { ...json, ...(key ? { keyId: key.id } : {}) })
      return EXIT_OK
    },
  },
  {
    path: ['cf', 'client-certs', 'reconcile'],
    summary: 'Settle client-certificate creates a lost answer or a killed process left pending: find, link to the vault key, or drop.',
    usage: 'certdesk cf client-certs reconcile [--profile NAME | env CLOUDFLARE_API_TOKEN] [--base-url URL] [--json]',
    options: CONNECTION_OPTIONS,
    run: async (ctx) => {
      const outcomes = await issuerFor(ctx, await serviceFor(ctx)).reconcile({ profileIds: [CLI_PROFILE] })
      const lines = outcomes.map((o) =>
        [o.outcome.padEnd(8), o.zone, o.certificateId, o.keyId && `key ${o.keyId}`, o.message && `— ${o.message}`]
          .filter(Boolean)
          .join(' '),
      )
      ctx.print(lines.length ? lines.join('\n') : 'No pending client-certificate creates.', outcomes)
      return outcomes.some((o) => o.outcome === 'failed' || o.outcome === 'pending') ? EXIT_CHECK_FAILED : EXIT_OK
    },
  },
  {
    path: ['cf', 'client-certs', 'revoke'],
    summary: 'Revoke a client certificate (pending_revocation, then revoked).',
    usage: 'certdesk cf client-certs revoke --zone ID|NAME CERT_ID [--json]',
    options: { ...CONNECTION_OPTIONS, zone: { type: 'string' } },
    allowPositionals: true,
    run: async (ctx) => {
      const id = positional(ctx, 'certificate id')
      const service = await serviceFor(ctx)
      const { zoneId } = await zoneFor(ctx, service)
      const c = await service.run('clientCerts.revoke', { profileId: CLI_PROFILE, zoneId, id })
      ctx.print(row(c), c)
      return EXIT_OK
    },
  },
  {
    path: ['cf', 'client-certs', 'reactivate'],
    summary: 'Reactivate a client certificate that is pending revocation.',
    usage: 'certdesk cf client-certs reactivate --zone ID|NAME CERT_ID [--json]',
    options: { ...CONNECTION_OPTIONS, zone: { type: 'string' } },
    allowPositionals: true,
    run: async (ctx) => {
      const id = positional(ctx, 'certificate id')
      const service = await serviceFor(ctx)
      const { zoneId } = await zoneFor(ctx, service)
      const c = await service.run('clientCerts.reactivate', { profileId: CLI_PROFILE, zoneId, id })
      ctx.print(row(c), c)
      return EXIT_OK
    },
  },
]
