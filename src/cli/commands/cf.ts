/**
 * `certdesk cf …`: every Cloudflare operation the app offers, for scripting. The token comes from a
 * profile of the app (`--profile NAME`) or from CLOUDFLARE_API_TOKEN (an in-memory profile, never
 * stored; `--base-url` points it at a Sandbox). Each verb goes through the app's own path: the IPC
 * channel's handler, called through dispatch(), so the request is checked by the same contract, the
 * change lands in the same activity log and an error has the same words as in the app.
 *
 * Every process shares one rate budget per token with the app and the other CLI processes (a ledger
 * in the user-data folder); it uses `--rate-share`, else CERTDESK_RATE_SHARE, else the app's setting
 * (80 % by default) of Cloudflare's budget, and says on stderr when it waits for it.
 */
import { randomUUID } from 'node:crypto'
import type { Channel } from '../../shared/channels'
import type { RequestOf, ResponseOf } from '../../shared/contract'
import {
  ClientCertStatusFilter,
  type AccessCertificateSummary,
  type AccessScope,
  type ClientCertificateSummary,
  type GatewayCertificateSummary,
  type HostnamePlan,
  type MtlsCertificateSummary,
} from '../../shared/cloudflare-model'
import { MIN_RATE_SHARE } from '../../shared/constants'
import {
  ORIGIN_CA_VALIDITY_DAYS,
  OriginCaRequestType,
  type AopCertificate,
  type AopHostname,
  type AopOverview,
  type OriginCaCertificate,
} from '../../shared/origin-model'
import { AppError } from '../../shared/errors'
import type { Profile } from '../../shared/model'
import { rateWaitMessage, withRateWaitListener } from '../../main/cloudflare'
import type { Services } from '../../main/services'
import { EXIT_CHECK_FAILED, EXIT_OK, UsageError, type Command, type CommandContext } from '../command'
import { confirmed, flag, int, list, positional, readJsonFile, readPemFile, required, str, table } from '../args'
import { cliServices, type CliServices } from '../services'

export const CONNECTION_OPTIONS = {
  profile: { type: 'string' },
  'base-url': { type: 'string' },
  'rate-share': { type: 'string' },
} as const
export const CONNECTION_HELP = '[--profile NAME | env CLOUDFLARE_API_TOKEN] [--base-url URL] [--rate-share 0.8]'

/** `0.8` or `80%`: the fraction of Cloudflare's rate budget to use. */
export function parseRateShare(text: string, source: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text)
  const share = match ? Number(match[1]) / (match[2] ? 100 : 1) : NaN
  if (!(share >= MIN_RATE_SHARE && share <= 1)) {
    const range = `from ${MIN_RATE_SHARE} to 1 (or ${MIN_RATE_SHARE * 100}% to 100%)`
    throw new UsageError(`${source} must be a share of Cloudflare's rate budget ${range}, got "${text}".`)
  }
  return share
}

/** --rate-share, else CERTDESK_RATE_SHARE; undefined: the app's setting. */
function rateShare(ctx: CommandContext): number | undefined {
  const given = str(ctx, 'rate-share')
  if (given !== undefined) return parseRateShare(given, '--rate-share')
  const env = ctx.io.env['CERTDESK_RATE_SHARE']
  return env !== undefined && env.trim() !== '' ? parseRateShare(env, 'CERTDESK_RATE_SHARE') : undefined
}

/** The services and the profile one invocation works with. */
export interface Connection {
  cli: CliServices
  app: Services
  profile: Profile
  /** CLOUDFLARE_API_TOKEN (or a profile at another --base-url): an in-memory profile, told the names it lists. */
  transient?: { token: string; baseUrl?: string; name?: string }
}

export async function connect(ctx: CommandContext): Promise<Connection> {
  const profileName = str(ctx, 'profile')
  const baseUrl = str(ctx, 'base-url')
  const envToken = ctx.io.env['CLOUDFLARE_API_TOKEN']?.trim()
  if (!profileName && !envToken) throw new UsageError('No API token: set CLOUDFLARE_API_TOKEN or pass --profile NAME.')
  const share = rateShare(ctx)
  const cli = cliServices(ctx.io, share === undefined ? {} : { cloudflareRateShare: share })
  const app = await cli.app()
  let transient: Connection['transient']
  if (!profileName) transient = { token: envToken!, ...(baseUrl ? { baseUrl } : {}) }
  else {
    const stored = app.profiles.list().find((p) => p.name.toLowerCase() === profileName.toLowerCase())
    if (!stored) throw new AppError('bad_input', `No profile named "${profileName}".`, { hint: 'List them with: certdesk profiles list' })
    if (!baseUrl) return { cli, app, profile: stored }
    transient = { token: await app.profiles.token(stored.id), baseUrl, name: stored.name }
  }
  return { cli, app, profile: app.profiles.transient(transient), transient }
}

const HEX_ID = /^[0-9a-f]{32}$/i
const named = (wanted: string) => (x: { id: string; name: string }) => x.id === wanted || x.name.toLowerCase() === wanted.toLowerCase()

/** --zone takes an id (32 hex) or a zone name; a zone the profile does not know yet is looked up. */
export async function zoneOf(ctx: CommandContext, c: Connection): Promise<{ zoneId: string; zoneName?: string }> {
  const wanted = str(ctx, 'zone')
  if (!wanted) throw new UsageError('--zone is required (a zone id or name).')
  let found = c.profile.zones.find(named(wanted))
  if (!found) {
    const zones = await c.app.cloudflare.listZones(c.profile.id)
    if (c.transient) c.profile = c.app.profiles.transient({ ...c.transient, zones })
    found = zones.find(named(wanted))
  }
  if (found) return { zoneId: found.id, zoneName: found.name }
  if (HEX_ID.test(wanted)) return { zoneId: wanted }
  throw new AppError('not_found', `This token sees no zone "${wanted}".`, { hint: 'List the zones with: certdesk cf zones' })
}

/** --account takes an id (32 hex) or an account name; it may be left out when the token sees one account. */
export async function accountOf(ctx: CommandContext, c: Connection): Promise<{ accountId: string }> {
  const wanted = str(ctx, 'account')
  let accounts = c.profile.accounts
  if (!accounts.length || (wanted && !accounts.some(named(wanted)))) {
    accounts = await c.app.cloudflare.listAccounts(c.profile.id)
    if (c.transient) c.profile = c.app.profiles.transient({ ...c.transient, accounts })
  }
  if (!wanted) {
    if (accounts.length === 1) return { accountId: accounts[0]!.id }
    throw new UsageError(`--account is required (an account id or name): this token sees ${accounts.length} accounts.`)
  }
  const found = accounts.find(named(wanted))
  if (found) return { accountId: found.id }
  if (HEX_ID.test(wanted)) return { accountId: wanted }
  throw new AppError('not_found', `This token sees no account "${wanted}".`, { hint: 'See the accounts with: certdesk cf verify' })
}

/** Access roots live on an account or on one zone: --zone picks the zone, otherwise the account. */
async function accessScopeOf(ctx: CommandContext, c: Connection): Promise<{ scope: AccessScope }> {
  if (str(ctx, 'zone') !== undefined) {
    if (str(ctx, 'account') !== undefined) throw new UsageError('give --zone or --account, not both: an Access root lives on one of them')
    return { scope: { kind: 'zone', zoneId: (await zoneOf(ctx, c)).zoneId } }
  }
  return { scope: { kind: 'account', accountId: (await accountOf(ctx, c)).accountId } }
}

const SCOPES = {
  zone: {
    resolve: async (ctx: CommandContext, c: Connection) => ({ zoneId: (await zoneOf(ctx, c)).zoneId }),
    help: '--zone ID|NAME',
    options: { zone: { type: 'string' } },
  },
  account: { resolve: accountOf, help: '[--account ID|NAME]', options: { account: { type: 'string' } } },
  access: {
    resolve: accessScopeOf,
    help: '[--zone ID|NAME | --account ID|NAME]',
    options: { zone: { type: 'string' }, account: { type: 'string' } },
  },
} as const

/** How one flag becomes one request field. */
interface FlagSpec {
  field: string
  /** string; int (whole number); list (repeatable, comma-separated); pem or json (read from a file); bool. */
  kind: 'string' | 'int' | 'list' | 'pem' | 'json' | 'bool'
  /** The value in the usage line, e.g. FILE. */
  value?: string
  required?: boolean
}

function readFlag(ctx: CommandContext, name: string, spec: FlagSpec): unknown {
  if (spec.kind === 'bool') return flag(ctx, name) || undefined
  if (spec.kind === 'list') {
    const values = list(ctx, name).map((v) => v.trim())
    if (spec.required && !values.length)
      throw new UsageError(`--${name} ${spec.value ?? 'VALUE'} is required (repeat it or separate with commas)`)
    return values.length || spec.required ? values : undefined
  }
  if (spec.kind === 'int') {
    const n = int(ctx, name, { min: 1 })
    if (spec.required && n === undefined) throw new UsageError(`--${name} ${spec.value ?? 'N'} is required`)
    return n
  }
  const text = spec.required ? required(ctx, name, spec.value) : str(ctx, name)
  if (text === undefined) return undefined
  if (spec.kind === 'pem') return readPemFile(ctx, text, `a PEM file (${spec.value ?? 'FILE'})`)
  if (spec.kind === 'json') return readJsonFile(ctx, text)
  return text
}

function flagUsage(name: string, spec: FlagSpec): string {
  const text = `--${name}${spec.kind === 'bool' ? '' : ` ${spec.value ?? 'VALUE'}`}${spec.kind === 'list' ? '...' : ''}`
  return spec.required ? text : `[${text}]`
}

/** One verb: `certdesk cf WORDS` → one channel; flags → request fields. */
interface Verb<C extends Channel> {
  words: [string, string]
  channel: C
  summary: string
  scope: keyof typeof SCOPES
  /** The positional: the object's id (`id`), or several (`ids`), named in the usage line. */
  id?: { field: 'id' | 'ids'; label: string }
  flags?: Record<string, FlagSpec>
  /** Fields the request needs that come from another call (e.g. what the hostnames are now). */
  before?: (request: Record<string, unknown>, c: Connection) => Promise<Record<string, unknown>>
  /** A change that cannot be undone: what it does, asked on a terminal, needs --yes in a script. */
  destructive?: (id: string) => string
  /** A long channel: it is given a job id, and its progress (and rate-limit waits) go to stderr. */
  job?: true
  human: (value: ResponseOf<C>) => string
  json?: (value: ResponseOf<C>) => unknown
  exit?: (value: ResponseOf<C>) => number
}

/** Which channel each `certdesk cf` verb calls ('cf client-certs list' → 'clientCerts:list'). */
export const CF_VERB_CHANNELS = new Map<string, Channel>([
  ['cf verify', 'profiles:verify'],
  // Creates go to the issuer behind 'clientCerts:createFromCsr' itself: the CLI also shows resumed/key.
  ['cf client-certs create', 'clientCerts:createFromCsr'],
])

export function verb<C extends Channel>(spec: Verb<C>): Command {
  CF_VERB_CHANNELS.set(['cf', ...spec.words].join(' '), spec.channel)
  const scope = SCOPES[spec.scope]
  const flags = Object.entries(spec.flags ?? {})
  const options: NonNullable<Command['options']> = { ...CONNECTION_OPTIONS, ...scope.options }
  for (const [name, f] of flags)
    options[name] = { type: f.kind === 'bool' ? 'boolean' : 'string', ...(f.kind === 'list' ? { multiple: true } : {}) }
  if (spec.destructive) options['yes'] = { type: 'boolean' }
  const usage = [
    `certdesk cf ${spec.words.join(' ')}`,
    spec.id ? `${spec.id.label}${spec.id.field === 'ids' ? '...' : ''}` : '',
    scope.help,
    ...flags.map(([name, f]) => flagUsage(name, f)),
    spec.destructive ? '[--yes]' : '',
    CONNECTION_HELP,
    '[--json]',
  ]
  return {
    path: ['cf', ...spec.words],
    summary: spec.summary,
    usage: usage.filter(Boolean).join(' '),
    options,
    allowPositionals: spec.id !== undefined,
    run: async (ctx) => {
      // Bad input is refused before any request: the id, the flags, the files.
      const ids =
        spec.id?.field === 'ids' ? ctx.positionals : spec.id ? [positional(ctx, spec.id.label.toLowerCase().replace(/_/g, ' '))] : []
      if (spec.id?.field === 'ids' && !ids.length) throw new UsageError(`give one or more ${spec.id.label}`)
      const fields: Record<string, unknown> = {}
      for (const [name, f] of flags) {
        const value = readFlag(ctx, name, f)
        if (value !== undefined) fields[f.field] = value
      }
      if (spec.destructive && !(await confirmed(ctx, spec.destructive(ids.join(', '))))) {
        ctx.print('Nothing was changed.', { changed: false })
        return EXIT_CHECK_FAILED
      }
      const c = await connect(ctx)
      const request: Record<string, unknown> = {
        profileId: c.profile.id,
        ...(await scope.resolve(ctx, c)),
        ...(spec.id ? { [spec.id.field]: spec.id.field === 'ids' ? ids : ids[0] } : {}),
        ...fields,
      }
      Object.assign(request, await spec.before?.(request, c))
      const job = spec.job ? `cli-${randomUUID()}` : undefined
      const value = await c.cli.call(spec.channel, { ...request, ...(job ? { jobId: job } : {}) } as RequestOf<C>, (p) =>
        ctx.io.stderr(`${p.label}: ${p.done}${p.total === null ? '' : `/${p.total}`}${p.message ? ` — ${p.message}` : ''}\n`),
      )
      ctx.print(spec.human(value), spec.json ? spec.json(value) : value)
      return spec.exit?.(value) ?? EXIT_OK
    },
  }
}

// --- human output -------------------------------------------------------------------------------

const day = (iso: string | undefined): string => (iso ?? '').slice(0, 10)
const clientRow = (c: ClientCertificateSummary): string[] => [c.id, c.status, day(c.expiresOn), c.commonName]
const none = (rows: string[][], empty: string): string => (rows.length ? table(rows) : empty)
const accessRows = (roots: AccessCertificateSummary[]) =>
  none(
    roots.map((r) => [r.id, day(r.expiresOn), r.name, r.associatedHostnames.join(',')]),
    'No Access mTLS roots.',
  )
const mtlsRows = (certs: MtlsCertificateSummary[]) =>
  none(
    certs.map((m) => [m.id, m.type ?? '', m.ca ? 'CA' : 'leaf', day(m.expiresOn), m.name ?? '']),
    'No account mTLS certificates.',
  )
const gatewayRow = (g: GatewayCertificateSummary): string[] => [
  g.id,
  g.type ?? '',
  g.bindingStatus ?? '',
  g.inUse ? 'in use' : '',
  day(g.expiresOn),
]
export const planText = (plan: HostnamePlan): string =>
  [...plan.added.map((h) => `+ ${h}`), ...plan.removed.map((h) => `- ${h}`), ...plan.kept.map((h) => `  ${h}`)].join('\n') ||
  'No hostnames.'

const aopRow = (c: AopCertificate): string[] => [c.id, c.kind, c.status ?? '', day(c.expiresOn), c.issuer ?? '']
export const aopText = (r: AopOverview): string =>
  [
    `Zone-level AOP: ${r.enabled ? 'on' : 'off'}`,
    none([...r.zoneCertificates, ...r.hostnameCertificates].map(aopRow), 'No AOP certificates.'),
  ].join('\n')
const aopHostnamesText = (hosts: AopHostname[]): string =>
  none(
    hosts.map((h) => [
      h.hostname,
      h.enabled === null ? 'no association' : h.enabled ? 'on' : 'off',
      h.certId ?? '',
      h.certStatus ?? '',
      day(h.expiresOn),
    ]),
    'No hostnames.',
  )
const originCaText = (certs: OriginCaCertificate[]): string =>
  none(
    certs.map((c) => [c.id, c.requestType ?? '', day(c.expiresOn), c.hostnames.join(',')]),
    'No Origin CA certificates.',
  )
const clientOne = (c: ClientCertificateSummary): string => table([clientRow(c)])
const gatewayOne = (g: GatewayCertificateSummary): string => table([gatewayRow(g)])
const deleted = (r: { id: string }): string => `Deleted ${r.id}.`
const bulkText = (r: ResponseOf<'clientCerts:bulkRevoke'>): string =>
  [
    table(r.items.map((i) => [i.id, i.outcome, i.status ?? '', i.commonName])),
    `${r.succeeded.length} revoked, ${r.failed.length} failed${r.cancelled ? ', cancelled' : ''}.`,
    ...r.failed.map((f) => `  ${f.id}: ${f.message}`),
  ].join('\n')
const settingsText = (settings: ResponseOf<'access:settings'>): string =>
  none(
    settings.map((s) => [s.hostname, s.clientCertificateForwarding ? 'forward' : 'no-forward', s.chinaNetwork ? 'china' : '']),
    'No hostname settings.',
  )

// --- the verb table: one row a verb ---------------------------------------------------------------

/** What each channel's verb does, as `--help` says it. */
const SUMMARIES = {
  'clientCerts:list': 'List API Shield client certificates of a zone (all pages).',
  'clientCerts:get': 'Show one client certificate, with its PEM.',
  'clientCerts:revoke': 'Revoke a client certificate (pending_revocation, then revoked).',
  'clientCerts:reactivate': 'Reactivate a client certificate that is pending revocation.',
  'clientCerts:bulkRevoke': 'Revoke many client certificates in one job (progress on stderr); asks first, or needs --yes.',
  'hostnames:get': "List the hostnames where the zone's mTLS applies (of the Cloudflare CA, or a BYO CA with --ca).",
  'hostnames:plan': 'Show what replacing the hostnames with these would add (+), remove (-) and keep; changes nothing.',
  'hostnames:replace': 'Replace the hostnames with exactly these (refused if they changed since they were read).',
  'access:list': 'List the Access mTLS root certificates of the account (or of a zone with --zone).',
  'access:add': 'Add a root CA for Access mTLS (linted as a root first; a leaf or an expired root is refused).',
  'access:updateHostnames': 'Set the hostnames an Access root applies to (exactly these).',
  'access:delete': 'Delete an Access root (its hostnames are detached first); asks first, or needs --yes.',
  'access:settings': 'Show the per-hostname mTLS settings (client certificate forwarding, China network).',
  'access:updateSettings': 'Replace the per-hostname mTLS settings with a JSON file (the shape `access-roots settings --json` prints).',
  'mtls:list': 'List the account mTLS certificates (BYO CAs and managed ones).',
  'mtls:upload': 'Upload a CA chain (PEM) as an account mTLS certificate (no private key).',
  'mtls:associations': 'List the services that use an account mTLS certificate.',
  'mtls:delete': 'Delete an account mTLS certificate; asks first, or needs --yes.',
  'gateway:list': 'List the Gateway TLS-inspection certificates.',
  'gateway:create': 'Create a Cloudflare-managed Gateway certificate.',
  'gateway:activate': 'Activate a Gateway certificate (deploy it to the edge); --wait follows it until available.',
  'gateway:watch': 'Wait until a Gateway certificate has deployed (progress on stderr).',
  'gateway:useForInspection': 'Make this certificate the one Gateway inspects TLS with.',
  'gateway:inspectionCertificate': 'Which certificate Gateway inspects TLS with.',
  'gateway:deactivate': 'Take a Gateway certificate off the edge; asks first, or needs --yes.',
  'gateway:delete': 'Delete a Gateway certificate; asks first, or needs --yes.',
  'aop:list': 'Show Authenticated Origin Pulls: the zone setting, zone-level and per-hostname certificates with expiry.',
  'aop:hostname': 'Show which certificate a hostname presents to its origin (per-hostname AOP), its state and expiry.',
  'aop:associate': 'Present a per-hostname AOP certificate to the origin for these hostnames (100 per certificate).',
  'aop:dissociate': 'Remove the hostnames’ AOP associations (needed before their certificate can be deleted).',
  'aop:delete': 'Delete an AOP certificate (--kind zone|hostname); asks first, or needs --yes.',
  'originCa:list': 'List the Origin CA certificates of a zone, with hostnames and expiry.',
  'originCa:get': 'Show one Origin CA certificate, with its PEM.',
  'originCa:create': 'Create an Origin CA certificate from a CSR (the key stays here): --csr FILE --hostname H... --days N.',
  'originCa:revoke': 'Revoke an Origin CA certificate; asks first, or needs --yes.',
} satisfies Partial<Record<Channel, string>>
type VerbChannel = keyof typeof SUMMARIES

/** A channel's namespace as a cf word, where they differ ('clientCerts' → 'client-certs'). */
const GROUP_WORDS: Record<string, string> = {
  clientCerts: 'client-certs',
  access: 'access-roots',
  mtls: 'mtls-certs',
  originCa: 'origin-ca',
}
const kebab = (word: string): string => word.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)

type Extra<C extends Channel> = Omit<Verb<C>, 'words' | 'channel' | 'summary' | 'scope' | 'human' | 'id'> & { id?: string }

/**
 * Row builders, one per scope: a row is the channel, its human output and what else it needs. The
 * words come from the channel ('clientCerts:bulkRevoke' → 'client-certs bulk-revoke'); `id` names
 * the positional (one object's id, or several with `...`).
 */
function rows(scope: keyof typeof SCOPES) {
  return <C extends VerbChannel>(channel: C, human: Verb<C>['human'], { id: label, ...extra }: Extra<C> = {}): Command => {
    const [group = '', name = ''] = channel.split(':')
    const id = label && { field: label.endsWith('...') ? ('ids' as const) : ('id' as const), label: label.replace(/\.\.\.$/, '') }
    const words: [string, string] = [GROUP_WORDS[group] ?? group, kebab(name)]
    return verb({ words, channel, summary: SUMMARIES[channel], scope, human, ...(id ? { id } : {}), ...extra })
  }
}
const zone = rows('zone')
const account = rows('account')
const access = rows('access')

/** A change that cannot be undone: asked on a terminal, needs --yes in a script. */
const asks = (what: string) => ({ destructive: (ids: string) => `${what} ${ids}` })

const hostnameFlags = { hostname: { field: 'hostnames', kind: 'list', value: 'HOST', required: true } } satisfies Record<string, FlagSpec>
const caFlag = { ca: { field: 'mtlsCertificateId', kind: 'string', value: 'MTLS_CERT_ID' } } satisfies Record<string, FlagSpec>
const status = { field: 'status', kind: 'string', value: ClientCertStatusFilter.options.join('|') } satisfies FlagSpec
const accessRootFlags = {
  name: { field: 'name', kind: 'string', value: 'NAME', required: true },
  cert: { field: 'certificatePem', kind: 'pem', value: 'ROOT.pem', required: true },
  hostname: { field: 'hostnames', kind: 'list', value: 'HOST' },
} satisfies Record<string, FlagSpec>
const mtlsUploadFlags = {
  chain: { field: 'chainPem', kind: 'pem', value: 'CHAIN.pem', required: true },
  name: { field: 'name', kind: 'string', value: 'NAME' },
} satisfies Record<string, FlagSpec>
const settingsFile = { field: 'settings', kind: 'json', value: 'FILE.json', required: true } satisfies FlagSpec
const mtlsTypes = { field: 'types', kind: 'list', value: 'custom|gateway_managed|access_managed' } satisfies FlagSpec

/** `hostnames replace` sends what the hostnames are now, so a change made meanwhile is refused. */
const currentHostnames = async (request: Record<string, unknown>, c: Connection) => ({
  expectedCurrent: await c.cli.call('hostnames:get', {
    profileId: c.profile.id,
    zoneId: request['zoneId'] as string,
    ...(request['mtlsCertificateId'] ? { mtlsCertificateId: request['mtlsCertificateId'] as string } : {}),
  }),
})
const allHostnames = async (request: Record<string, unknown>) => ({ hostnames: request['hostnames'] ?? [] })
const noPems = <T extends { certificate?: string | undefined }>(certs: T[]) => certs.map(({ certificate: _pem, ...rest }) => rest)
const bulkExit = (r: ResponseOf<'clientCerts:bulkRevoke'>) => (r.failed.length || r.cancelled ? EXIT_CHECK_FAILED : EXIT_OK)
const accessDeleted = (r: ResponseOf<'access:delete'>) =>
  `Deleted ${r.id}${r.detached.length ? `; detached ${r.detached.join(', ')}` : ''}.`
const clientList = (certs: ClientCertificateSummary[]) => none(certs.map(clientRow), 'No client certificates.')
const gatewayList = (certs: GatewayCertificateSummary[]) => none(certs.map(gatewayRow), 'No Gateway certificates.')
const associations = (a: ResponseOf<'mtls:associations'>) =>
  none(
    a.map((x) => [x.service, x.status]),
    'Not used by any service.',
  )

const channelVerbs: Command[] = [
  // --- API Shield client certificates (zone) ---
  zone('clientCerts:list', clientList, { flags: { status }, job: true, json: noPems }),
  zone('clientCerts:get', (c) => `${c.certificate ?? ''}\n${clientOne(c)}`.trimStart(), { id: 'CERT_ID' }),
  zone('clientCerts:revoke', clientOne, { id: 'CERT_ID' }),
  zone('clientCerts:reactivate', clientOne, { id: 'CERT_ID' }),
  zone('clientCerts:bulkRevoke', bulkText, { id: 'CERT_ID...', ...asks('revoke the client certificates'), job: true, exit: bulkExit }),

  // --- hostnames of a zone's mTLS (the zone's client certificates or a BYO CA) ---
  zone('hostnames:get', (hostnames) => hostnames.join('\n') || 'No hostnames.', { flags: caFlag }),
  zone('hostnames:plan', ({ plan }) => planText(plan), { flags: { ...caFlag, ...hostnameFlags } }),
  zone('hostnames:replace', (r) => `${planText(r.plan)}\n${r.changed ? 'Replaced.' : 'Nothing to change.'}`, {
    flags: { ...caFlag, ...hostnameFlags },
    before: currentHostnames,
  }),

  // --- Access mTLS roots (account or zone) ---
  access('access:list', accessRows),
  access('access:add', (r) => accessRows([r]), { flags: accessRootFlags }),
  access('access:updateHostnames', (r) => accessRows([r]), {
    id: 'ID',
    flags: { hostname: accessRootFlags.hostname },
    before: allHostnames,
  }),
  access('access:delete', accessDeleted, { id: 'ID', ...asks('delete the Access root'), job: true }),
  access('access:settings', settingsText),
  access('access:updateSettings', (settings) => `${settings.length} hostname setting(s) saved.`, { flags: { settings: settingsFile } }),

  // --- account mTLS certificates (BYO CA for API Shield) ---
  account('mtls:list', mtlsRows, { flags: { type: mtlsTypes } }),
  account('mtls:upload', (m) => mtlsRows([m]), { flags: mtlsUploadFlags }),
  account('mtls:associations', associations, { id: 'ID' }),
  account('mtls:delete', deleted, { id: 'ID', ...asks('delete the account mTLS certificate') }),

  // --- Zero Trust Gateway inspection certificates (account) ---
  account('gateway:list', gatewayList, { json: noPems }),
  account('gateway:create', gatewayOne, { flags: { days: { field: 'validityDays', kind: 'int', value: 'N' } } }),
  account('gateway:activate', gatewayOne, { id: 'ID', flags: { wait: { field: 'wait', kind: 'bool' } }, job: true }),
  account('gateway:watch', gatewayOne, { id: 'ID', job: true }),
  account('gateway:useForInspection', (r) => `Gateway inspects with ${r.certificateId}.`, { id: 'ID' }),
  account('gateway:inspectionCertificate', (r) => r.certificateId ?? "Cloudflare's default certificate."),
  account('gateway:deactivate', gatewayOne, { id: 'ID', ...asks('deactivate the Gateway certificate') }),
  account('gateway:delete', deleted, { id: 'ID', ...asks('delete the Gateway certificate') }),

  // --- Authenticated Origin Pulls (zone): upload, enable, disable and rotate are in origin.ts ---
  zone('aop:list', aopText, {
    json: (r) => ({ ...r, zoneCertificates: noPems(r.zoneCertificates), hostnameCertificates: noPems(r.hostnameCertificates) }),
  }),
  zone('aop:hostname', (h) => aopHostnamesText([h]), {
    flags: { hostname: { field: 'hostname', kind: 'string', value: 'HOST', required: true } },
  }),
  zone('aop:associate', aopHostnamesText, {
    flags: { 'cert-id': { field: 'certId', kind: 'string', value: 'ID', required: true }, ...hostnameFlags },
  }),
  zone('aop:dissociate', aopHostnamesText, { flags: hostnameFlags }),
  zone('aop:delete', (c) => `Deleted ${c.kind} certificate ${c.id}.`, {
    id: 'ID',
    flags: { kind: { field: 'kind', kind: 'string', value: 'zone|hostname', required: true } },
    ...asks('delete the AOP certificate'),
  }),

  // --- Origin CA certificates (zone) ---
  zone('originCa:list', originCaText, { json: noPems }),
  zone('originCa:get', (c) => `${c.certificate ?? ''}\n${originCaText([c])}`.trimStart(), { id: 'ID' }),
  zone('originCa:create', (c) => `${c.certificate ?? ''}\n${originCaText([c])}`.trimStart(), {
    flags: {
      csr: { field: 'csrPem', kind: 'pem', value: 'CSR.pem', required: true },
      ...hostnameFlags,
      days: { field: 'validityDays', kind: 'int', value: ORIGIN_CA_VALIDITY_DAYS.join('|'), required: true },
      type: { field: 'requestType', kind: 'string', value: OriginCaRequestType.options.join('|') },
    },
  }),
  zone('originCa:revoke', (r) => `Revoked ${r.id}${r.revokedAt ? ` at ${r.revokedAt}` : ''}.`, {
    id: 'ID',
    ...asks('revoke the Origin CA certificate'),
  }),
]

// --- verbs with no channel of their own, or with more output than their channel's --------------

/** A cf verb that says on stderr when it waits for Cloudflare's rate limit, so --json output stays clean. */
export const sayingRateWaits = (command: Command): Command => ({
  ...command,
  run: (ctx) =>
    withRateWaitListener(
      (seconds) => ctx.io.stderr(`${rateWaitMessage(seconds)}\n`),
      () => command.run(ctx),
    ),
})

/**
 * A cf command on the whole profile (no zone or account to resolve): its words, what it does, and what it runs once
 * connected; `more` adds options, written into the usage line before the connection's.
 */
export function profileCommand(
  words: string[],
  summary: string,
  run: (c: Connection, ctx: CommandContext) => Promise<number>,
  more: { options?: NonNullable<Command['options']>; usage?: string } = {},
): Command {
  return {
    path: ['cf', ...words],
    summary,
    usage: ['certdesk cf', ...words, more.usage ?? '', CONNECTION_HELP, '[--json]'].filter(Boolean).join(' '),
    options: { ...CONNECTION_OPTIONS, ...more.options },
    run: async (ctx) => run(await connect(ctx), ctx),
  }
}

const commands: Command[] = [
  profileCommand(['verify'], 'Verify the API token: status, accounts, zones and missing permissions.', async (c, ctx) => {
    const identity = await c.cli.call('profiles:verify', { id: c.profile.id })
    const state = { granted: 'ok     ', missing: 'MISSING', unknown: '?      ' } as Record<string, string>
    const expires = identity.expiresOn ? `, expires ${identity.expiresOn}` : ''
    const lines = [
      `Token ${identity.tokenId}: ${identity.status} (${identity.owner}-owned)${expires}`,
      `Accounts: ${identity.accounts.map((a) => a.name).join(', ') || 'none visible'}`,
      `Zones: ${identity.zones.map((z) => z.name).join(', ') || 'none visible'}`,
      ...identity.permissions.map((p) => `  ${state[p.state] ?? '?      '} ${p.permission} — ${p.purpose}`),
    ]
    if (identity.missing.length) {
      const where = 'Add them to the token in the Cloudflare dashboard (My Profile → API Tokens).'
      lines.push(`Missing: ${identity.missing.join(', ')}. ${where}`)
    }
    ctx.print(lines.join('\n'), identity)
    return identity.status === 'active' ? EXIT_OK : EXIT_CHECK_FAILED
  }),
  profileCommand(
    ['zones'],
    'List the zones the token can see.',
    async (c, ctx) => {
      const zones = await c.app.cloudflare.listZones(c.profile.id, str(ctx, 'account'))
      ctx.print(
        none(
          zones.map((z) => [z.id, z.name]),
          'No zones visible to this token.',
        ),
        zones,
      )
      return EXIT_OK
    },
    { options: { account: { type: 'string' } }, usage: '[--account ID]' },
  ),
  ...channelVerbs.slice(0, 1),
  {
    path: ['cf', 'client-certs', 'create'],
    summary: 'Issue a client certificate from a CSR with the zone’s Cloudflare-managed CA.',
    usage: `certdesk cf client-certs create --zone ID|NAME --csr FILE --days N ${CONNECTION_HELP} [--json]`,
    options: { ...CONNECTION_OPTIONS, zone: { type: 'string' }, csr: { type: 'string' }, days: { type: 'string' } },
    run: async (ctx) => {
      const csrPath = required(ctx, 'csr', 'FILE')
      const daysText = str(ctx, 'days')
      if (!daysText || !/^\d+$/.test(daysText))
        throw new UsageError('--days N is required: whole days (365, 730, 1095, 1825, 3650, 5475 match the dashboard).')
      const csrPem = readPemFile(ctx, csrPath, 'the CSR')
      const c = await connect(ctx)
      // Not through the channel: the CLI says whether the create was resumed and which vault key it linked.
      // Creates go through the vault's intents (recorded before sending, resumed on a retry).
      const result = await c.app.issuer.issue(c.profile.id, await zoneOf(ctx, c), { csrPem, validityDays: Number(daysText) })
      const cert = result.certificate
      const notes = [
        result.recovered && result.resumed ? 'an earlier create for this CSR had issued it; nothing was sent again' : '',
        result.recovered && !result.resumed ? 'answer was lost; found by its CSR, not issued twice' : '',
        result.key ? `linked to vault key "${result.key.label}"` : '',
      ].filter(Boolean)
      const { key, ...json } = result
      const note = notes.length ? ` (${notes.join('; ')})` : ''
      const text = `${cert.certificate ?? ''}\n# ${cert.id} ${cert.commonName}, expires ${cert.expiresOn ?? '?'}${note}`
      ctx.print(text.trimStart(), { ...json, ...(key ? { keyId: key.id } : {}) })
      return EXIT_OK
    },
  },
  ...channelVerbs.slice(1),
  profileCommand(
    ['client-certs', 'reconcile'],
    'Settle client-certificate creates a lost answer or a killed process left pending: find, link to the vault key, or drop.',
    async (c, ctx) => {
      const outcomes = await c.app.issuer.reconcile({ profileIds: [c.profile.id] })
      const lines = outcomes.map((o) =>
        [o.outcome.padEnd(8), o.zone, o.certificateId, o.keyId && `key ${o.keyId}`, o.message && `— ${o.message}`]
          .filter(Boolean)
          .join(' '),
      )
      ctx.print(lines.length ? lines.join('\n') : 'No pending client-certificate creates.', outcomes)
      return outcomes.some((o) => o.outcome === 'failed' || o.outcome === 'pending') ? EXIT_CHECK_FAILED : EXIT_OK
    },
  ),
]

export const cfCommands: Command[] = commands.map(sayingRateWaits)
