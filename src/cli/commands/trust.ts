/**
 * `certdesk trust …`: list, find, install, remove and verify roots in this machine's trust stores.
 * `trust verify` exits 0 only when every selected store trusts the root (MDM scripts rely on it).
 * CERTDESK_TRUST_ROOT / CERTDESK_TRUST_HOME / CERTDESK_TRUST_JAVA_HOME point the stores at a
 * throwaway tree, so every command can be tested without touching the machine.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import type { TrustService } from '../../main/truststore'
import type { ChangeReport, StoreListing, TrustEntry, VerifyReport } from '../../shared/truststore-model'
import { invisibleCharactersNote, stripFormatCharacters } from '../../shared/fingerprint'
import { EXIT_CHECK_FAILED, EXIT_OK, UsageError, type Command, type CommandContext } from '../command'
import { cliPath, flag, list, positional, str } from '../args'
import { cliServices } from '../services'

const storeOption = { store: { type: 'string', multiple: true } } as const
const STORE_HELP = '[--store system|nss|java|all|ID]...'

/** The trust-store service, wired as the app wires it; CERTDESK_TRUST_ROOT and friends come from this process. */
const trustService = (ctx: CommandContext) => cliServices(ctx.io).trust()

function stores(ctx: CommandContext): string[] | undefined {
  const chosen = list(ctx, 'store')
  return chosen.length ? chosen : undefined
}

function readCertFile(ctx: CommandContext, path: string): Buffer {
  const full = cliPath(ctx, path)
  if (!existsSync(full) || !statSync(full).isFile()) throw new UsageError(`no such file: ${path}`)
  return readFileSync(full)
}

/** A fingerprint, or a certificate file (relative paths from the CLI's cwd, not the process's). */
function fingerprintOrFile(ctx: CommandContext): string {
  const input = positional(ctx, 'fingerprint or certificate file')
  const full = cliPath(ctx, input)
  return existsSync(full) ? full : input
}

const short = (hex: string | null) => (hex ? `${hex.slice(0, 16)}…` : '(sha1 only)')
const entryLine = (e: TrustEntry): string => {
  const trust = e.trust === 'trusted' ? 'trusted            ' : 'present-not-trusted'
  return `    ${trust}  ${short(e.sha256)}  ${e.notAfter.slice(0, 10)}  ${e.subject}${e.note ? `\n        ${e.note}` : ''}`
}

function listingText(listings: StoreListing[], all: boolean): string {
  return listings
    .map(({ store, entries, error }) => {
      const head = `${store.label} — ${store.location}${store.needsElevation ? ' (admin to change)' : ''}`
      if (error) return `${head}\n    could not be read: ${error.message}`
      const local = entries.filter((e) => e.origin === 'local' || e.trust !== 'trusted')
      const shown = all ? entries : local
      const more = all || shown.length === entries.length ? '' : ' (--all shows every root)'
      const count = `    ${entries.length} roots, ${entries.filter((e) => e.origin === 'local').length} added locally${more}`
      return [head, count, ...shown.map(entryLine)].join('\n')
    })
    .join('\n\n')
}

function changeText(report: ChangeReport): string {
  const lines = [`${report.root ? `${report.root.subject} ` : ''}SHA-256 ${report.fingerprint}`]
  for (const w of report.warnings) lines.push(`  warning: ${w}`)
  for (const o of report.outcomes) {
    lines.push(`  ${o.status.padEnd(15)} ${o.label}: ${o.message}`)
    if (o.toolOutput) lines.push(`      tool said: ${o.toolOutput.split('\n').join('\n      ')}`)
    if (o.hint && o.status === 'failed') lines.push(`      fix: ${o.hint}`)
  }
  return lines.join('\n')
}

function verifyText(report: VerifyReport): string {
  const lines = [`${report.root ? `${report.root.subject} ` : ''}${report.fingerprint.algorithm.toUpperCase()} ${report.fingerprint.hex}`]
  if (report.fingerprint.note) lines.push(`  note: ${report.fingerprint.note}`)
  for (const l of report.lines) lines.push(`  ${l.status.padEnd(19)} ${l.label}${l.fix ? `  → ${l.fix}` : ''}`)
  if (report.probe) {
    const p = report.probe
    lines.push(
      `  host ${p.host}:${p.port}: ${p.verified ? 'verified by the OS store' : `NOT verified (${p.verifyError ?? 'unknown error'})`}`,
    )
    for (const c of p.chain) lines.push(`      ${short(c.sha256)}  ${c.subject}  ← ${c.issuer}`)
    if (p.anchor) lines.push(`      signed by root ${p.anchor.subject} (in ${p.anchor.storeIds.join(', ')})`)
  }
  for (const r of report.runtimes) {
    const verdict = r.trusts === null ? 'unknown' : r.trusts ? 'trusts' : 'does NOT trust'
    lines.push(`  ${r.runtime.padEnd(6)} ${verdict} (${r.source}${r.file ? `: ${r.file}` : ''}) — ${r.note}`)
  }
  lines.push(report.allTrusted ? 'Trusted by every selected store.' : 'Not trusted everywhere: see the fixes above.')
  return lines.join('\n')
}

/** `--report FILE.json`: the machine trust report and its HTML page beside it (loaded only when asked for). */
async function saveReport(verify: VerifyReport, path: string): Promise<{ json: string; html: string }> {
  const { writeReportFiles } = await import('../../main/reports/files')
  const { CLI_VERSION } = await import('../version')
  return writeReportFiles(verify, path, { name: 'certdesk', version: CLI_VERSION })
}

interface TrustVerb {
  verb: string
  /** The positionals (and flags before the store choice) in the usage line; none for `list`. */
  args?: string
  /** Flags after the store choice in the usage line. */
  tail?: string
  summary: string
  options?: Command['options']
  run: (ctx: CommandContext, service: TrustService) => Promise<number>
}

/** One `certdesk trust VERB` over the selected stores. */
function trustCommand({ verb, args = '', tail = '', summary, options = {}, run }: TrustVerb): Command {
  return {
    path: ['trust', verb],
    summary,
    usage: ['certdesk trust', verb, args, STORE_HELP, tail, '[--json]'].filter(Boolean).join(' '),
    options: { ...storeOption, ...options },
    allowPositionals: args !== '',
    run: async (ctx) => run(ctx, await trustService(ctx)),
  }
}

/** Install and remove report per store; exit 1 when any store failed. */
function printChange(ctx: CommandContext, report: ChangeReport): number {
  ctx.print(changeText(report), report)
  return report.outcomes.some((o) => o.status === 'failed') ? EXIT_CHECK_FAILED : EXIT_OK
}

const foundText = (found: Awaited<ReturnType<TrustService['find']>>): string =>
  found
    .map((f) => {
      const entries = f.entries.map((e) => `\n${entryLine(e)}${e.location ? `\n        at ${e.location}` : ''}`)
      return `${f.label}: ${f.entries.length ? '' : 'not present'}${entries.join('')}`
    })
    .join('\n')

export const trustCommands: Command[] = [
  trustCommand({
    verb: 'list',
    tail: '[--all]',
    summary: "List the roots in this machine's trust stores (system, NSS/Firefox/Chrome, Java).",
    options: { all: { type: 'boolean', default: false } },
    run: async (ctx, service) => {
      const listings = await service.list(stores(ctx))
      ctx.print(listingText(listings, flag(ctx, 'all')), listings)
      return listings.some((l) => l.error) ? EXIT_CHECK_FAILED : EXIT_OK
    },
  }),
  trustCommand({
    verb: 'find',
    args: 'FINGERPRINT|FILE',
    summary: 'Find a root by fingerprint or certificate file in every trust store.',
    run: async (ctx, service) => {
      const input = fingerprintOrFile(ctx)
      const found = await service.find(input, stores(ctx))
      const note = invisibleCharactersNote(stripFormatCharacters(input).removed)
      if (note) ctx.io.stderr(`note: ${note}\n`)
      ctx.print(foundText(found), found)
      return found.some((f) => f.entries.length) ? EXIT_OK : EXIT_CHECK_FAILED
    },
  }),
  trustCommand({
    verb: 'install',
    args: 'FILE',
    summary: 'Install a root CA certificate into trust stores (lints it first; refuses non-roots).',
    run: async (ctx, service) => {
      const bytes = readCertFile(ctx, positional(ctx, 'certificate file'))
      // The root's lint before install reaches @peculiar/x509, which needs reflect-metadata first (see main.ts).
      await import('reflect-metadata')
      return printChange(ctx, await service.install(bytes, stores(ctx) ?? ['all']))
    },
  }),
  trustCommand({
    verb: 'remove',
    args: 'FINGERPRINT|FILE',
    summary: 'Remove exactly the root with this fingerprint (or in this file) from trust stores.',
    run: async (ctx, service) => printChange(ctx, await service.remove(fingerprintOrFile(ctx), stores(ctx) ?? ['all'])),
  }),
  trustCommand({
    verb: 'verify',
    args: 'FILE|FINGERPRINT [--host HOST[:PORT]]',
    tail: '[--report FILE.json]',
    summary: 'Is this root trusted here? One line per store; exit 0 only if every store trusts it. --report writes JSON + HTML.',
    options: { host: { type: 'string' }, report: { type: 'string' } },
    run: async (ctx, service) => {
      const input = fingerprintOrFile(ctx)
      const host = str(ctx, 'host')
      const storeIds = stores(ctx)
      const report = await service.verify(input, { ...(host !== undefined ? { host } : {}), ...(storeIds ? { storeIds } : {}) })
      const saved = str(ctx, 'report') === undefined ? undefined : await saveReport(report, cliPath(ctx, str(ctx, 'report')!))
      ctx.print(`${verifyText(report)}${saved ? `\nReport: ${saved.json} and ${saved.html}` : ''}`, report)
      return report.allTrusted ? EXIT_OK : EXIT_CHECK_FAILED
    },
  }),
]
