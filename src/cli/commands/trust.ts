/**
 * `certdesk trust …`: list, find, install, remove and verify roots in this machine's trust stores.
 * `trust verify` exits 0 only when every selected store trusts the root (MDM scripts rely on it).
 * CERTDESK_TRUST_ROOT / CERTDESK_TRUST_HOME / CERTDESK_TRUST_JAVA_HOME point the stores at a
 * throwaway tree, so every command can be tested without touching the machine.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import type { ChangeReport, StoreListing, TrustEntry, VerifyReport } from '../../shared/truststore-model'
import type { ActivitySink } from '../../main/truststore'
import { invisibleCharactersNote, stripFormatCharacters } from '../../shared/fingerprint'
import { EXIT_CHECK_FAILED, EXIT_OK, UsageError, type CliIo, type Command, type CommandContext } from '../command'
import { defaultUserDataDir } from '../user-data'

const storeOption = { store: { type: 'string', multiple: true } } as const
const STORE_HELP = '[--store system|nss|java|all|ID]...'

async function trustService(io: CliIo) {
  // Loaded on demand so other commands never pay for the trust-store code.
  const { TrustService, detectTrustStores, detectOptionsFromEnv } = await import('../../main/truststore')
  const stores = detectTrustStores(detectOptionsFromEnv(io.env))
  // The root-ca lint only runs before an install; listing never loads it.
  const lintRoot = async (der: Uint8Array) => (await import('../../main/lint/install-gate')).rootInstallFindings(der)
  return new TrustService({ stores, env: io.env, activity: lazyActivityLog(defaultUserDataDir(io.env), io), lintRoot })
}

/** The activity log, loaded on the first change it records: listing and verifying never pay for it. */
function lazyActivityLog(dir: string, io: CliIo): ActivitySink {
  let log: Promise<{ record: ActivitySink['record'] }> | undefined
  return {
    record(input) {
      log ??= import('../../main/storage/activity').then(({ ActivityLog }) => new ActivityLog(dir))
      return log
        .then((l) => l.record(input))
        .catch((error: unknown) => io.stderr(`certdesk: could not write the activity log: ${(error as Error).message}\n`))
    },
  }
}

function stores(ctx: CommandContext): string[] | undefined {
  const value = ctx.values['store']
  const list = (Array.isArray(value) ? value : value === undefined ? [] : [value]).flatMap((v) => String(v).split(','))
  return list.length ? list : undefined
}

function onlyPositional(ctx: CommandContext, what: string): string {
  if (ctx.positionals.length !== 1) throw new UsageError(`give exactly one ${what}`)
  return ctx.positionals[0] as string
}

function readCertFile(ctx: CommandContext, path: string): Buffer {
  const full = isAbsolute(path) ? path : resolve(ctx.io.cwd, path)
  if (!existsSync(full) || !statSync(full).isFile()) throw new UsageError(`no such file: ${path}`)
  return readFileSync(full)
}

/** Relative paths are taken from the CLI's cwd, not the process's. */
function absoluteIfFile(ctx: CommandContext, input: string): string {
  const full = isAbsolute(input) ? input : resolve(ctx.io.cwd, input)
  return existsSync(full) ? full : input
}

const short = (hex: string | null) => (hex ? `${hex.slice(0, 16)}…` : '(sha1 only)')
const entryLine = (e: TrustEntry) =>
  `    ${e.trust === 'trusted' ? 'trusted            ' : 'present-not-trusted'}  ${short(e.sha256)}  ${e.notAfter.slice(0, 10)}  ${e.subject}${e.note ? `\n        ${e.note}` : ''}`

function listingText(listings: StoreListing[], all: boolean): string {
  return listings
    .map(({ store, entries, error }) => {
      const head = `${store.label} — ${store.location}${store.needsElevation ? ' (admin to change)' : ''}`
      if (error) return `${head}\n    could not be read: ${error.message}`
      const local = entries.filter((e) => e.origin === 'local' || e.trust !== 'trusted')
      const shown = all ? entries : local
      const count = `    ${entries.length} roots, ${entries.filter((e) => e.origin === 'local').length} added locally${all || shown.length === entries.length ? '' : ' (--all shows every root)'}`
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
  for (const r of report.runtimes)
    lines.push(
      `  ${r.runtime.padEnd(6)} ${r.trusts === null ? 'unknown' : r.trusts ? 'trusts' : 'does NOT trust'} (${r.source}${r.file ? `: ${r.file}` : ''}) — ${r.note}`,
    )
  lines.push(report.allTrusted ? 'Trusted by every selected store.' : 'Not trusted everywhere: see the fixes above.')
  return lines.join('\n')
}

export const trustCommands: Command[] = [
  {
    path: ['trust', 'list'],
    summary: "List the roots in this machine's trust stores (system, NSS/Firefox/Chrome, Java).",
    usage: `certdesk trust list ${STORE_HELP} [--all] [--json]`,
    options: { ...storeOption, all: { type: 'boolean', default: false } },
    run: async (ctx) => {
      const listings = await (await trustService(ctx.io)).list(stores(ctx))
      ctx.print(listingText(listings, ctx.values['all'] === true), listings)
      return listings.some((l) => l.error) ? EXIT_CHECK_FAILED : EXIT_OK
    },
  },
  {
    path: ['trust', 'find'],
    summary: 'Find a root by fingerprint or certificate file in every trust store.',
    usage: `certdesk trust find FINGERPRINT|FILE ${STORE_HELP} [--json]`,
    options: storeOption,
    allowPositionals: true,
    run: async (ctx) => {
      const input = absoluteIfFile(ctx, onlyPositional(ctx, 'fingerprint or certificate file'))
      const found = await (await trustService(ctx.io)).find(input, stores(ctx))
      const note = invisibleCharactersNote(stripFormatCharacters(input).removed)
      if (note) ctx.io.stderr(`note: ${note}\n`)
      const human = found
        .map(
          (f) =>
            `${f.label}: ${f.entries.length ? '' : 'not present'}${f.entries.map((e) => `\n${entryLine(e)}${e.location ? `\n        at ${e.location}` : ''}`).join('')}`,
        )
        .join('\n')
      ctx.print(human, found)
      return found.some((f) => f.entries.length) ? EXIT_OK : EXIT_CHECK_FAILED
    },
  },
  {
    path: ['trust', 'install'],
    summary: 'Install a root CA certificate into trust stores (lints it first; refuses non-roots).',
    usage: `certdesk trust install FILE ${STORE_HELP} [--json]`,
    options: storeOption,
    allowPositionals: true,
    run: async (ctx) => {
      const bytes = readCertFile(ctx, onlyPositional(ctx, 'certificate file'))
      const report = await (await trustService(ctx.io)).install(bytes, stores(ctx) ?? ['all'])
      ctx.print(changeText(report), report)
      return report.outcomes.some((o) => o.status === 'failed') ? EXIT_CHECK_FAILED : EXIT_OK
    },
  },
  {
    path: ['trust', 'remove'],
    summary: 'Remove exactly the root with this fingerprint (or in this file) from trust stores.',
    usage: `certdesk trust remove FINGERPRINT|FILE ${STORE_HELP} [--json]`,
    options: storeOption,
    allowPositionals: true,
    run: async (ctx) => {
      const input = absoluteIfFile(ctx, onlyPositional(ctx, 'fingerprint or certificate file'))
      const report = await (await trustService(ctx.io)).remove(input, stores(ctx) ?? ['all'])
      ctx.print(changeText(report), report)
      return report.outcomes.some((o) => o.status === 'failed') ? EXIT_CHECK_FAILED : EXIT_OK
    },
  },
  {
    path: ['trust', 'verify'],
    summary: 'Is this root trusted here? One line per store; exit 0 only if every store trusts it.',
    usage: `certdesk trust verify FILE|FINGERPRINT [--host HOST[:PORT]] ${STORE_HELP} [--json]`,
    options: { ...storeOption, host: { type: 'string' } },
    allowPositionals: true,
    run: async (ctx) => {
      const input = absoluteIfFile(ctx, onlyPositional(ctx, 'fingerprint or certificate file'))
      const host = ctx.values['host']
      const report = await (
        await trustService(ctx.io)
      ).verify(input, { ...(typeof host === 'string' ? { host } : {}), ...(stores(ctx) ? { storeIds: stores(ctx) as string[] } : {}) })
      ctx.print(verifyText(report), report)
      return report.allTrusted ? EXIT_OK : EXIT_CHECK_FAILED
    },
  },
]
