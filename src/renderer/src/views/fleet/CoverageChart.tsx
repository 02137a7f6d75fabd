/**
 * Coverage as plain SVG bars: one row per group (an OS, a store), the trusted share filled. Colours come from the
 * theme's variables through classes in styles.css (no inline styles, CSP-safe); the numbers are text beside each bar.
 */
import type { CoverageCount } from '../../../../shared/report-model'
import { coverageRatio, percent } from '../../../../shared/coverage'

const ROW = 26
const LABEL = 200
const BAR = 320
const VALUE = 130

export function CoverageChart({ title, groups }: { title: string; groups: readonly CoverageCount[] }) {
  const height = groups.length * ROW + 4
  const width = LABEL + BAR + VALUE
  return (
    <figure className="coverage-chart">
      <figcaption>{title}</figcaption>
      <svg role="img" aria-label={title} viewBox={`0 0 ${width} ${height}`} width="100%" preserveAspectRatio="xMinYMin meet">
        {groups.map((g, i) => {
          const ratio = coverageRatio(g)
          const y = i * ROW + 2
          const filled = Math.round(ratio * BAR)
          return (
            <g key={g.key} className="coverage-row">
              <title>{`${g.label}: ${g.trusted} of ${g.total} machines trust it (${percent(ratio)})`}</title>
              <text x={LABEL - 8} y={y + 16} textAnchor="end" className="coverage-label">
                {g.label.length > 28 ? `${g.label.slice(0, 27)}…` : g.label}
              </text>
              <rect x={LABEL} y={y + 3} width={BAR} height={ROW - 8} rx={3} className="coverage-track" />
              <rect
                x={LABEL}
                y={y + 3}
                width={filled}
                height={ROW - 8}
                rx={3}
                className={`coverage-fill ${ratio === 1 ? 'full' : 'partial'}`}
              />
              <text x={LABEL + BAR + 8} y={y + 16} className="coverage-value">
                {`${g.trusted}/${g.total} · ${percent(ratio)}`}
              </text>
            </g>
          )
        })}
      </svg>
    </figure>
  )
}
