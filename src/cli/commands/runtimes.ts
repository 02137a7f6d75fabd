/**
 * `certdesk trust fix-runtimes ROOT.pem [--runtimes node,python,git,java] [--undo]`: make the runtimes that ignore
 * the OS store trust a root for this user (no elevation), and undo it. Exit 1 when a runtime could not be fixed.
 */
import type { RuntimeFixReport, RuntimeUndoReport } from '../../shared/contract/runtimes'
import { EXIT_CHECK_FAILED, EXIT_OK, type Command } from '../command'
import { flag, list, positional, readInputFile } from '../args'
import { cliServices, defaultUserDataDir } from '../services'

function fixText(report: RuntimeFixReport): string {
  const lines = [`${report.root.subject} SHA-256 ${report.root.sha256}`]
  for (const f of report.fixes) {
    lines.push(`  ${f.runtime.padEnd(6)} ${f.status.padEnd(7)} ${f.message}`)
    if (f.hint) lines.push(`      ${f.hint}`)
  }
  lines.push(`  bundle:   ${report.bundle}`, `  env file: ${report.envFile}`, `  sourced by: ${report.profiles.join(', ')}`)
  lines.push('New login shells get the settings (open a new terminal, or log in again). Undo with --undo.')
  return lines.join('\n')
}

function undoText(report: RuntimeUndoReport): string {
  if (report.note) return report.note
  const lines = [`Undid the runtime fix for ${report.root?.subject ?? 'the root'}:`]
  for (const f of report.files) lines.push(`  ${f.action.padEnd(15)} ${f.path}${f.note ? ` — ${f.note}` : ''}`)
  return lines.join('\n')
}

export const runtimeCommands: Command[] = [
  {
    path: ['trust', 'fix-runtimes'],
    summary: 'Make Node, Python, pip, git and Java trust a root for this user (no admin rights); --undo puts every file back.',
    usage: 'certdesk trust fix-runtimes ROOT.pem [--runtimes node,python,git,java] [--undo] [--json]',
    options: { runtimes: { type: 'string', multiple: true }, undo: { type: 'boolean', default: false } },
    allowPositionals: true,
    run: async (ctx) => {
      const file = positional(ctx, 'root certificate file')
      const bytes = readInputFile(ctx, file, 'the root certificate (PEM or DER)')
      const [{ fixRuntimes, parseRuntimes, systemRootsOf, undoRuntimes }, trust] = await Promise.all([
        import('../../main/runtimes'),
        cliServices(ctx.io).trust(),
      ])
      const options = { userDataDir: defaultUserDataDir(ctx.io.env), env: ctx.io.env, systemRoots: () => systemRootsOf(trust.stores) }
      if (flag(ctx, 'undo')) {
        const report = await undoRuntimes(bytes, options)
        ctx.print(undoText(report), report)
        return EXIT_OK
      }
      const report = await fixRuntimes(bytes, parseRuntimes(list(ctx, 'runtimes')), options)
      ctx.print(fixText(report), report)
      return report.fixes.some((f) => f.status === 'failed') ? EXIT_CHECK_FAILED : EXIT_OK
    },
  },
]
