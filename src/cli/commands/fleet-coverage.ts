/**
 * `certdesk fleet coverage DIR [--root SHA256] [--min PERCENT]`: how much of the fleet trusts each root, from a
 * folder of trust reports (the kit's verify scripts and `certdesk trust verify --report` write them). Files that
 * are not reports are listed with the reason and skipped. Exit 0; 1 when no report was valid, the root named
 * has no report, or a root's coverage is under --min.
 */
import { coverageRatio, percent } from '../../shared/coverage'
import type { Coverage } from '../../shared/report-model'
import { EXIT_CHECK_FAILED, EXIT_OK, type Command } from '../command'
import { cliPath, int, positional, str } from '../args'

export function coverageText(coverage: Coverage): string {
  const lines = [
    `${coverage.files} report file(s) in ${coverage.folder}${coverage.superseded ? `, ${coverage.superseded} superseded by later ones` : ''}`,
  ]
  for (const root of coverage.roots) {
    lines.push('', `${root.subject ?? 'Root'} (SHA-256 ${root.sha256})`)
    lines.push(`  ${root.trusted}/${root.total} machines trust it (${percent(coverageRatio(root))})`)
    for (const g of root.byOs) lines.push(`  ${g.label.padEnd(8)} ${g.trusted}/${g.total}`)
    for (const g of root.byStore) lines.push(`  store ${g.label}: ${g.trusted}/${g.total}`)
    for (const f of root.failing) lines.push(`  ✗ ${f.machine} (${f.os}, ${f.verdict}, ${f.generatedAt}): ${f.reasons.join('; ')}`)
  }
  if (coverage.problems.length) lines.push('', `${coverage.problems.length} file(s) skipped:`)
  for (const p of coverage.problems) lines.push(`  ${p.file}: ${p.reason}`)
  return lines.join('\n')
}

export const fleetCoverageCommands: Command[] = [
  {
    path: ['fleet', 'coverage'],
    summary: 'How many machines trust each root, per OS and store, and which fail and why, from a folder of trust reports.',
    usage: 'certdesk fleet coverage DIR [--root SHA256] [--min PERCENT] [--json]',
    options: { root: { type: 'string' }, min: { type: 'string' } },
    allowPositionals: true,
    run: async (ctx) => {
      const folder = cliPath(ctx, positional(ctx, 'folder of reports'))
      const min = int(ctx, 'min', { min: 0, max: 100 })
      const root = str(ctx, 'root')
      const { coverageOfFolder } = await import('../../main/reports/coverage')
      const coverage = coverageOfFolder(folder, root)
      ctx.print(coverageText(coverage), coverage)
      if (!coverage.roots.length) {
        ctx.io.stderr(root ? `No valid report names the root ${root}.\n` : 'No valid trust report in this folder.\n')
        return EXIT_CHECK_FAILED
      }
      if (min !== undefined && coverage.roots.some((r) => coverageRatio(r) * 100 < min)) return EXIT_CHECK_FAILED
      return EXIT_OK
    },
  },
]
