/**
 * `certdesk cf aop upload|enable|disable|rotate`: the Authenticated Origin Pulls verbs that are more than one
 * channel. An upload carries a private key, so it has no channel (the renderer never sends keys): the CLI reads
 * the files and runs operation `aop.upload` in this process. Rotation is the zero-downtime sequence Cloudflare
 * documents, as visible steps: upload the new certificate, switch to it, wait until it is active, then delete the
 * old one — and, before the switch, the reminder that the origin must trust both CAs.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { daysUntil } from '../../shared/dates'
import type { AopCertificate, AopKind, AopOverview } from '../../shared/origin-model'
import { AppError } from '../../shared/errors'
import { ORIGIN_SERVERS, originSnippet, type OriginServer } from '../../shared/origin-snippets'
import { normaliseHostname } from '../../main/cloudflare/hostnames'
import { confirmed, int, list, readPemFile, required, str } from '../args'
import { EXIT_CHECK_FAILED, EXIT_OK, UsageError, type Command, type CommandContext } from '../command'
import { PROBE_OPTIONS, probeOptions } from './mtls-probe'
import {
  aopText,
  CF_VERB_CHANNELS,
  CONNECTION_HELP,
  CONNECTION_OPTIONS,
  connect,
  profileCommand,
  sayingRateWaits,
  verb,
  zoneOf,
  type Connection,
} from './cf'

const PAIR_OPTIONS = {
  ...CONNECTION_OPTIONS,
  zone: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  hostname: { type: 'string', multiple: true },
} as const

/** The certificate and key files, and the hostnames (per-hostname AOP) or none (zone-level). */
function readPair(ctx: CommandContext) {
  const certificatePem = readPemFile(ctx, required(ctx, 'cert', 'CERT.pem'), 'the AOP certificate')
  const privateKeyPem = readPemFile(ctx, required(ctx, 'key', 'KEY.pem'), 'the AOP private key')
  const hostnames = list(ctx, 'hostname')
  const kind: AopKind = hostnames.length ? 'hostname' : 'zone'
  return { certificatePem, privateKeyPem, hostnames, kind }
}

async function upload(c: Connection, zoneId: string, pair: ReturnType<typeof readPair>): Promise<AopCertificate> {
  const { hostnames: _, ...upload } = pair
  return c.app.cloudflare.run('aop.upload', { profileId: c.profile.id, zoneId, ...upload })
}

const uploadCommand: Command = {
  path: ['cf', 'aop', 'upload'],
  summary: 'Upload the client certificate Cloudflare presents to the origin, with its key (zone-level, or for --hostname H…).',
  usage: `certdesk cf aop upload --zone ID|NAME --cert CERT.pem --key KEY.pem [--hostname HOST…] ${CONNECTION_HELP} [--json]`,
  options: PAIR_OPTIONS,
  run: async (ctx) => {
    const pair = readPair(ctx)
    const c = await connect(ctx)
    const { zoneId } = await zoneOf(ctx, c)
    const certificate = await upload(c, zoneId, pair)
    const associated = pair.hostnames.length
      ? await c.cli.call('aop:associate', { profileId: c.profile.id, zoneId, certId: certificate.id, hostnames: pair.hostnames })
      : []
    const next = pair.kind === 'zone' ? ' Turn zone-level AOP on with: certdesk cf aop enable --zone ZONE' : ''
    const lines = [`Uploaded ${pair.kind} certificate ${certificate.id} (${certificate.status ?? 'status unknown'}).${next}`]
    if (associated.length) lines.push(`Presented for: ${associated.map((h) => h.hostname).join(', ')}`)
    ctx.print(lines.join('\n'), { certificate, associated })
    return EXIT_OK
  },
}

/** `aop enable|disable`: the zone setting, through its channel. */
const setting = (enabled: boolean): Command =>
  verb({
    words: ['aop', enabled ? 'enable' : 'disable'],
    channel: 'aop:setEnabled',
    summary: enabled
      ? 'Turn zone-level AOP on: Cloudflare presents the zone certificate to the origin (the origin must trust its CA).'
      : 'Turn zone-level AOP off: Cloudflare stops presenting the zone certificate; asks first, or needs --yes.',
    scope: 'zone',
    before: async () => ({ enabled }),
    ...(enabled ? {} : { destructive: () => 'turn zone-level Authenticated Origin Pulls off for this zone' }),
    human: (r) => `Zone-level AOP is ${r.enabled ? 'on' : 'off'}.`,
  })

/** Reads the zone's AOP until the certificate is active; fails on a timed-out or deleted state, or after `seconds`. */
async function untilActive(c: Connection, zoneId: string, id: string, seconds: number, say: (line: string) => void) {
  const deadline = Date.now() + seconds * 1000
  for (let wait = 500; ; wait = Math.min(wait * 2, 5000)) {
    const overview = await c.cli.call('aop:list', { profileId: c.profile.id, zoneId })
    const found = [...overview.zoneCertificates, ...overview.hostnameCertificates].find((x) => x.id === id)
    if (found?.status === 'active') return overview
    if (!found || found.status === 'deployment_timed_out' || found.status === 'deleted') {
      throw new AppError(
        'cf_error',
        `The new AOP certificate ${id} did not deploy (${found?.status ?? 'gone'}); the old one stays in use.`,
        {
          hint: 'Delete the new certificate and upload it again; nothing was switched off.',
        },
      )
    }
    if (Date.now() > deadline) {
      throw new AppError('cf_timeout', `The new AOP certificate ${id} is still ${found.status ?? 'pending'} after ${seconds} s.`, {
        hint: 'The old certificate stays in use. Run the rotation again later, or raise --wait-seconds.',
      })
    }
    say(`  still ${found.status ?? 'pending'}…`)
    await sleep(Math.min(wait, Math.max(0, deadline - Date.now())))
  }
}

const rotateCommand: Command = {
  path: ['cf', 'aop', 'rotate'],
  summary: 'Replace an AOP certificate without downtime: upload the new one, switch, wait until active, delete the old one.',
  usage:
    'certdesk cf aop rotate --zone ID|NAME --cert NEW.pem --key NEW_KEY.pem [--hostname HOST…] [--wait-seconds 300] [--yes] ' +
    `${CONNECTION_HELP} [--json]`,
  options: { ...PAIR_OPTIONS, 'wait-seconds': { type: 'string' }, yes: { type: 'boolean' } },
  run: async (ctx) => {
    const pair = readPair(ctx)
    const seconds = int(ctx, 'wait-seconds', { min: 1, max: 3600 }) ?? 300
    const c = await connect(ctx)
    const { zoneId, zoneName } = await zoneOf(ctx, c)
    const steps: Array<{ step: string; detail: string }> = []
    const say = (line: string) => (ctx.json ? ctx.io.stderr(`${line}\n`) : ctx.io.stdout(`${line}\n`))
    const step = (name: string, detail: string) => {
      steps.push({ step: name, detail })
      say(`${steps.length}. ${detail}`)
    }
    const request = { profileId: c.profile.id, zoneId }
    const before: AopOverview = await c.cli.call('aop:list', request)
    // What the new certificate replaces: the zone's other zone-level certificates, or what the hostnames present now.
    const oldIds =
      pair.kind === 'zone'
        ? before.zoneCertificates.map((x) => x.id)
        : [
            ...new Set(
              (await Promise.all(pair.hostnames.map((hostname) => c.cli.call('aop:hostname', { ...request, hostname }))))
                .map((h) => h.certId)
                .filter((id): id is string => !!id),
            ),
          ]
    step(
      'trust',
      `Before the switch, the origin must trust the CA of both the old and the new certificate (its client-certificate CA bundle).`,
    )
    const created = await upload(c, zoneId, pair)
    step('upload', `Uploaded the new ${pair.kind} certificate ${created.id} (${created.status ?? 'pending'}).`)
    if (pair.kind === 'hostname') {
      await c.cli.call('aop:associate', { ...request, certId: created.id, hostnames: pair.hostnames })
      step('switch', `Switched ${pair.hostnames.join(', ')} to ${created.id}.`)
    } else {
      step(
        'switch',
        `Zone-level: Cloudflare presents the newest active zone certificate${before.enabled ? '' : ' (zone-level AOP is off)'}.`,
      )
    }
    await untilActive(c, zoneId, created.id, seconds, say)
    step('active', `${created.id} is active.`)
    // An old hostname certificate that still serves other hostnames is refused by Cloudflare and kept (said as a step).
    const removable = oldIds.filter((id) => id !== created.id)
    const where = zoneName ?? zoneId
    if (removable.length && (await confirmed(ctx, `delete the old AOP certificate(s) ${removable.join(', ')} of ${where}`))) {
      for (const id of removable) {
        try {
          await c.cli.call('aop:delete', { ...request, id, kind: pair.kind })
          step('delete', `Deleted the old certificate ${id}.`)
        } catch (error) {
          if (!(error instanceof AppError)) throw error
          step('keep', `Kept ${id}: ${error.message}`)
        }
      }
    } else if (removable.length)
      step('keep', `Kept the old certificate(s) ${removable.join(', ')}; delete them when the origin no longer needs them.`)
    const result = { zone: where, certificate: created, replaced: oldIds, steps }
    ctx.print(aopText(await c.cli.call('aop:list', request)), result)
    return steps.some((s) => s.step === 'keep') ? EXIT_CHECK_FAILED : EXIT_OK
  },
}

/** `aop snippet`: the origin server's configuration; no Cloudflare call. */
const snippetCommand: Command = {
  path: ['cf', 'aop', 'snippet'],
  summary: 'Print the origin server configuration that serves its certificate and admits only Cloudflare’s AOP certificate.',
  usage: `certdesk cf aop snippet --server ${ORIGIN_SERVERS.join('|')} [--ca-file AOP_CA.pem] [--cert-file F] [--key-file F] [--hostname H] [--json]`,
  options: {
    server: { type: 'string' },
    'ca-file': { type: 'string' },
    'cert-file': { type: 'string' },
    'key-file': { type: 'string' },
    hostname: { type: 'string' },
  },
  run: async (ctx) => {
    const server = required(ctx, 'server', ORIGIN_SERVERS.join('|'))
    if (!(ORIGIN_SERVERS as readonly string[]).includes(server)) {
      throw new UsageError(`--server must be one of ${ORIGIN_SERVERS.join(', ')}, got "${server}".`)
    }
    // Checked: it is written into the server's configuration as it is.
    const hostnameFlag = str(ctx, 'hostname')
    const given = {
      aopCaFile: str(ctx, 'ca-file'),
      certificateFile: str(ctx, 'cert-file'),
      keyFile: str(ctx, 'key-file'),
      hostname: hostnameFlag === undefined ? undefined : normaliseHostname(hostnameFlag),
    }
    const paths = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined))
    const text = originSnippet(server as OriginServer, paths)
    ctx.print(text, { server, text })
    return EXIT_OK
  },
}

const daysLeft = (iso: string | null): string => {
  const days = daysUntil(iso ?? undefined)
  return days === null ? '' : days < 0 ? ' (expired)' : ` (${days} days left)`
}

/** `aop probe URL`: one request through Cloudflare (or the Sandbox edge), judged on its origin leg. */
const probeCommand: Command = {
  path: ['cf', 'aop', 'probe'],
  summary:
    'Request a hostname through Cloudflare: did the origin accept Cloudflare’s client certificate, which one, and the origin’s certificate.',
  usage:
    'certdesk cf aop probe URL|--hostname HOST [--resolve HOST:PORT:ADDR] [--ca EDGE_CA_FILE] [--cert FILE --key FILE | --vault-key ID] ' +
    '[--expect accepted|refused] [--timeout SECONDS] [--json]',
  allowPositionals: true,
  options: { ...PROBE_OPTIONS, hostname: { type: 'string' } },
  run: async (given) => {
    // --hostname H is https://H/ (through real Cloudflare; --resolve and --ca point it at the Sandbox edge).
    const hostname = str(given, 'hostname')
    if (hostname !== undefined && given.positionals.length) throw new UsageError('give a URL or --hostname, not both')
    const ctx = hostname === undefined ? given : { ...given, positionals: [`https://${hostname}/`] }
    const expect = str(ctx, 'expect')
    if (expect !== undefined && expect !== 'accepted' && expect !== 'refused')
      throw new UsageError(`--expect takes accepted or refused, not "${expect}"`)
    const options = await probeOptions(ctx)
    const { probe } = await import('../../main/enforcement/probe')
    // One request: with the visitor certificate when one is given (an mTLS hostname needs it to reach the origin).
    const result = await probe({ ...options, withoutCertificate: !options.client })
    const attempt = result.attempts[0]!
    const leg = attempt.originLeg
    const lines = [leg?.verdict ?? attempt.verdict]
    if (leg?.presentedCertificateId) lines.push(`Presented to the origin: ${leg.presented} certificate ${leg.presentedCertificateId}`)
    if (leg?.presentedFingerprint) lines.push(`  SHA-256 ${leg.presentedFingerprint}`)
    const origin = leg?.originCertificate
    if (origin) {
      lines.push(`Origin certificate: ${origin.subject ?? '?'}, issued by ${origin.issuer ?? '?'}`)
      lines.push(`  expires ${origin.notAfter ?? '?'}${daysLeft(origin.notAfter)}`)
    }
    const accepted = leg?.reached === true
    ctx.print(lines.join('\n'), { url: result.url, status: attempt.status, accepted, originLeg: leg ?? null, attempt })
    if (expect === undefined) return accepted ? EXIT_OK : EXIT_CHECK_FAILED
    return accepted === (expect === 'accepted') ? EXIT_OK : EXIT_CHECK_FAILED
  },
}

CF_VERB_CHANNELS.set('cf origin-ca root', 'originCa:root')

/** `origin-ca root`: the Origin CA's root(s) as PEM, to trust the origin's certificate outside Cloudflare. */
const rootCommand = profileCommand(
  ['origin-ca', 'root'],
  'Print the Origin CA root certificate(s) (Cloudflare’s RSA and ECC roots, or the Sandbox’s), checked first.',
  async (c, ctx) => {
    const result = await c.cli.call('originCa:root', { profileId: c.profile.id })
    const text = result.roots.map((r) => `# ${r.name}, SHA-256 ${r.sha256}, expires ${r.notAfter.slice(0, 10)}\n${r.pem.trim()}`)
    ctx.print(text.join('\n'), result)
    return EXIT_OK
  },
)

export const originCommands: Command[] = [
  rootCommand,
  uploadCommand,
  setting(true),
  setting(false),
  rotateCommand,
  snippetCommand,
  probeCommand,
].map(sayingRateWaits)
