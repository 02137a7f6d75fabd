/**
 * `certdesk gateway rollover status|kit|start|switch|retire|abandon`: the Gateway root rollover runbook from the command
 * line, the same state file the app uses (per profile and account, in the user-data folder). `switch` is refused
 * below the coverage threshold (exit 1) and asks on a terminal (or needs --yes); every verb resumes where a
 * killed run stopped.
 */
import type { RolloverState } from '../../shared/contract/rollover'
import { coverageRatio, percent } from '../../shared/coverage'
import { EXIT_OK, UsageError, type Command, type CommandContext } from '../command'
import { cliPath, flag, int, str } from '../args'
import { accountOf, connect, CONNECTION_HELP, CONNECTION_OPTIONS } from './cf'
import { CLI_VERSION } from '../version'

const STEP_WORDS: Record<RolloverState['step'], string> = {
  kit: 'export the fleet kit and deploy it',
  coverage: 'import the fleet’s reports until coverage reaches the threshold, then switch',
  switching: 'switch confirmed, not finished: run switch again to resume',
  switched: 'switched: retire the old root when ready',
  retired: 'done',
}

export function rolloverText(state: RolloverState | null): string {
  if (!state) return 'No Gateway root rollover has been started for this account.'
  const c = state.coverage
  const lines = [
    `Gateway root rollover, started ${state.startedAt}`,
    `  step:        ${state.step} — ${STEP_WORDS[state.step]}`,
    `  new root:    ${state.newCertificate ? `${state.newCertificate.id} (SHA-256 ${state.newCertificate.sha256 ?? 'unknown'})` : 'being created'}`,
    `  old root:    ${state.oldCertificateId ?? 'Cloudflare’s own certificate'}`,
    `  kit:         ${state.kitExportedAt ? `exported ${state.kitExportedAt}` : 'not exported yet'}`,
    `  coverage:    ${c ? `${c.trusted}/${c.total} (${percent(coverageRatio(c))}) from ${c.folder} at ${c.at}` : 'none recorded'}`,
    `  threshold:   ${state.thresholdPercent} %`,
  ]
  if (state.switchedAt) lines.push(`  switched:    ${state.switchedAt}`)
  if (state.retiredAt) lines.push(`  retired:     ${state.retiredAt}`)
  return lines.join('\n')
}

const SCOPE_OPTIONS = { ...CONNECTION_OPTIONS, account: { type: 'string' } } as const
const SCOPE_HELP = `[--account ID|NAME] ${CONNECTION_HELP} [--json]`

/** The runbook and the profile + account this invocation works on. */
async function open(ctx: CommandContext) {
  const c = await connect(ctx)
  const { accountId } = await accountOf(ctx, c)
  const { rolloverOf } = await import('../../main/rollover')
  return { c, scope: { profileId: c.profile.id, accountId }, runbook: rolloverOf(c.app) }
}

/** --reports DIR: the fleet's reports, recorded as the runbook's coverage. */
async function withReports(ctx: CommandContext, run: Awaited<ReturnType<typeof open>>): Promise<void> {
  const dir = str(ctx, 'reports')
  if (dir === undefined) return
  const { coverageOfFolder } = await import('../../main/reports/coverage')
  run.runbook.recordCoverage(run.scope, coverageOfFolder(cliPath(ctx, dir)))
}

/** --yes, or a yes on the terminal; refused in a script without --yes. */
async function agreed(ctx: CommandContext, question: string): Promise<boolean> {
  if (flag(ctx, 'yes')) return true
  if (!ctx.io.confirm) throw new UsageError(`${question} — pass --yes to confirm (stdin is not a terminal to ask on)`)
  return ctx.io.confirm(`${question}?`)
}

const print = (ctx: CommandContext, state: RolloverState | null): number => {
  ctx.print(rolloverText(state), state)
  return EXIT_OK
}

export const rolloverCommands: Command[] = [
  {
    path: ['gateway', 'rollover', 'status'],
    summary: 'Where the Gateway root rollover stands; --reports records coverage, --kit-exported and --threshold update it.',
    usage: `certdesk gateway rollover status [--reports DIR] [--kit-exported] [--threshold PERCENT] ${SCOPE_HELP}`,
    options: { ...SCOPE_OPTIONS, reports: { type: 'string' }, 'kit-exported': { type: 'boolean' }, threshold: { type: 'string' } },
    run: async (ctx) => {
      const threshold = int(ctx, 'threshold', { min: 1, max: 100 })
      const run = await open(ctx)
      if (flag(ctx, 'kit-exported')) run.runbook.kitExported(run.scope)
      if (threshold !== undefined) run.runbook.setThreshold(run.scope, threshold)
      await withReports(ctx, run)
      return print(ctx, run.runbook.status(run.scope))
    },
  },
  {
    path: ['gateway', 'rollover', 'kit'],
    summary: 'Write the new root’s fleet kit into a folder (as certdesk fleet kit does) and mark the kit step done.',
    usage: `certdesk gateway rollover kit --out DIR [--force] ${SCOPE_HELP}`,
    options: { ...SCOPE_OPTIONS, out: { type: 'string' }, force: { type: 'boolean' } },
    run: async (ctx) => {
      const out = str(ctx, 'out')
      if (!out) throw new UsageError('give --out DIR: the folder the kit is written into')
      const run = await open(ctx)
      const pem = await run.runbook.newRootPem(run.scope)
      const { buildFleetKit, writeFleetKit } = await import('../../main/fleet/kit')
      writeFleetKit(buildFleetKit(Buffer.from(pem), { version: CLI_VERSION }), cliPath(ctx, out), { overwrite: flag(ctx, 'force') })
      return print(ctx, run.runbook.kitExported(run.scope))
    },
  },
  {
    path: ['gateway', 'rollover', 'start'],
    summary: 'Start a Gateway root rollover to an existing Gateway certificate, or a new one (--create: inactive, unused).',
    usage: `certdesk gateway rollover start --certificate ID | --create [--threshold PERCENT] ${SCOPE_HELP}`,
    options: { ...SCOPE_OPTIONS, certificate: { type: 'string' }, create: { type: 'boolean' }, threshold: { type: 'string' } },
    run: async (ctx) => {
      const certificateId = str(ctx, 'certificate')
      const create = flag(ctx, 'create')
      if (!certificateId === !create)
        throw new UsageError('give --certificate ID (an existing Gateway certificate) or --create, one of the two')
      const thresholdPercent = int(ctx, 'threshold', { min: 1, max: 100 })
      const run = await open(ctx)
      const request = { ...(certificateId ? { certificateId } : { create: true }), ...(thresholdPercent ? { thresholdPercent } : {}) }
      return print(ctx, await run.runbook.start(run.scope, request))
    },
  },
  {
    path: ['gateway', 'rollover', 'switch'],
    summary: 'Activate the new root and inspect with it — only at or above the coverage threshold; asks, or needs --yes.',
    usage: `certdesk gateway rollover switch [--reports DIR] [--yes] ${SCOPE_HELP}`,
    options: { ...SCOPE_OPTIONS, reports: { type: 'string' }, yes: { type: 'boolean' } },
    run: async (ctx) => {
      const run = await open(ctx)
      const state = run.runbook.status(run.scope)
      if (state && !state.confirmedAt) await withReports(ctx, run)
      const { switchLines } = await import('../../main/rollover')
      const ask = async (s: RolloverState) => {
        ctx.io.stderr(`${switchLines(s).join('\n')}\n`)
        return agreed(ctx, `Switch Gateway inspection to certificate ${s.newCertificate?.id ?? ''}`)
      }
      const onProgress = (p: { message?: string }) => p.message && ctx.io.stderr(`${p.message}\n`)
      return print(ctx, await run.runbook.switch(run.scope, ask, { onProgress }))
    },
  },
  {
    path: ['gateway', 'rollover', 'retire'],
    summary: 'After the switch: deactivate the old Gateway root; asks, or needs --yes.',
    usage: `certdesk gateway rollover retire [--yes] ${SCOPE_HELP}`,
    options: { ...SCOPE_OPTIONS, yes: { type: 'boolean' } },
    run: async (ctx) => {
      const run = await open(ctx)
      const ask = (s: RolloverState) => agreed(ctx, `Deactivate the old Gateway certificate ${s.oldCertificateId ?? ''}`)
      return print(ctx, await run.runbook.retire(run.scope, ask))
    },
  },
  {
    path: ['gateway', 'rollover', 'abandon'],
    summary: 'Drop a rollover that has not switched (nothing at Cloudflare changes).',
    usage: `certdesk gateway rollover abandon ${SCOPE_HELP}`,
    options: SCOPE_OPTIONS,
    run: async (ctx) => {
      const run = await open(ctx)
      const abandoned = run.runbook.abandon(run.scope)
      ctx.print(abandoned ? 'Rollover abandoned.' : 'No rollover to abandon.', { abandoned })
      return EXIT_OK
    },
  },
]
