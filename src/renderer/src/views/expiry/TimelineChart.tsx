/**
 * The timeline: items per week for the next 52 weeks (the expired ones first), stacked by surface, drawn as plain SVG.
 * Colours come from classes (`s-<surface>`) whose fills are the theme's CSS variables, so both themes and the CSP
 * (no inline style elements) hold. The bars are a toolbar of toggle buttons: one Tab stop, ArrowLeft/Right (Home/End)
 * move between them, Enter or Space (or a click) filters the list to that bar; pressing the chosen bar again shows all.
 */
import { memo, useEffect, useRef, useState, type KeyboardEvent } from 'react'
import type { ExpiryBucket, ExpirySummary } from '../../../../shared/expiry-model'
import { barsOf, barText, bucketLabel, linear, niceTicks, stack } from './chart'

/** Drawn at the width it is shown at (read with a ResizeObserver): text keeps its size at any window width. */
const DEFAULT_WIDTH = 960
const HEIGHT = 200
/** The top margin holds the window's label, so it never sits behind the bars. */
const M = { top: 24, right: 8, bottom: 28, left: 44 }
const PLOT_H = HEIGHT - M.top - M.bottom
/** Month names closer than this (px) to the label before them are left out. */
const LABEL_GAP = 34
/** The expired bar stands apart from the weeks by this many bar widths. */
const GAP = 0.6

const DAY_MONTH = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' })
const MONTH = new Intl.DateTimeFormat(undefined, { month: 'short' })
export const weekStartText = (ms: number): string => DAY_MONTH.format(ms)

/** Memoised: drawn again only when the summary, the chosen bar or its width change. */
export const TimelineChart = memo(function TimelineChart({
  summary,
  selected,
  onSelect,
}: {
  summary: ExpirySummary
  selected: ExpiryBucket | undefined
  onSelect: (bucket: ExpiryBucket | undefined) => void
}) {
  const [width, setWidth] = useState(DEFAULT_WIDTH)
  const svgRef = useRef<SVGSVGElement>(null)
  useEffect(() => {
    const svg = svgRef.current
    if (!svg) return
    const observer = new ResizeObserver(([entry]) => {
      if (entry && entry.contentRect.width > 0) setWidth(Math.round(entry.contentRect.width))
    })
    observer.observe(svg)
    return () => observer.disconnect()
  }, [])
  const WIDTH = width
  const PLOT_W = WIDTH - M.left - M.right
  const bars = barsOf(summary)
  const order = summary.surfaces.map((s) => s.surface)
  const { top, ticks } = niceTicks(bars.reduce((m, b) => Math.max(m, b.total), 0))
  const y = linear(top, PLOT_H)
  const step = PLOT_W / (bars.length + GAP)
  const barW = step * 0.78
  const xOf = (i: number) => M.left + (i === 0 ? 0 : (i + GAP) * step)
  const windowWeeks = Math.ceil(summary.windowDays / 7)
  const [focus, setFocus] = useState(0)
  const refs = useRef<Array<SVGGElement | null>>([])

  const move = (to: number) => {
    const next = Math.max(0, Math.min(bars.length - 1, to))
    setFocus(next)
    refs.current[next]?.focus()
  }
  const onKeyDown = (event: KeyboardEvent<SVGGElement>, index: number) => {
    const moves: Record<string, number> = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: bars.length - 1 }
    const target = moves[event.key]
    if (target !== undefined) {
      event.preventDefault()
      move(target)
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault()
      pick(index)
    }
  }
  const pick = (index: number) => {
    const bucket = bars[index]!.bucket
    setFocus(index)
    onSelect(selected === bucket ? undefined : bucket)
  }

  // A month's name under the first week that starts in it, unless it would touch the label before it.
  const months: Array<{ x: number; text: string }> = []
  let lastX = xOf(0) + barW / 2 + LABEL_GAP / 2
  bars.forEach((b, i) => {
    if (i === 0) return
    const month = new Date(b.start).getMonth()
    if (i > 1 && month === new Date(bars[i - 1]!.start).getMonth()) return
    if (xOf(i) - lastX < LABEL_GAP) return
    months.push({ x: xOf(i), text: MONTH.format(b.start) })
    lastX = xOf(i)
  })
  const windowEnd = xOf(Math.min(bars.length - 1, windowWeeks)) + barW + (step - barW) / 2

  return (
    <svg
      ref={svgRef}
      className="radar-chart"
      width="100%"
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="group"
      aria-label="Items expiring per week"
    >
      <rect className="radar-band expired" x={xOf(0) - 2} y={M.top} width={barW + 4} height={PLOT_H} aria-hidden="true" />
      <rect
        className="radar-band window"
        x={xOf(1) - (step - barW) / 2}
        y={M.top}
        width={windowEnd - xOf(1)}
        height={PLOT_H}
        aria-hidden="true"
      />
      <g aria-hidden="true">
        {ticks.map((t) => (
          <g key={t}>
            <line className="radar-grid" x1={M.left - 4} x2={WIDTH - M.right} y1={M.top + PLOT_H - y(t)} y2={M.top + PLOT_H - y(t)} />
            <text className="radar-tick" x={M.left - 8} y={M.top + PLOT_H - y(t) + 4} textAnchor="end">
              {t.toLocaleString()}
            </text>
          </g>
        ))}
        {months.map((m) => (
          <text key={m.x} className="radar-tick" x={m.x} y={HEIGHT - 8}>
            {m.text}
          </text>
        ))}
        <text className="radar-tick expired" x={xOf(0) + barW / 2} y={HEIGHT - 8} textAnchor="middle">
          Expired
        </text>
        <text className="radar-tick window" x={xOf(1)} y={M.top - 8}>
          {summary.windowDays}-day window
        </text>
      </g>
      <g role="toolbar" aria-label="Weeks (choose one to list its items)" aria-orientation="horizontal">
        {bars.map((bar, i) => {
          const label = `${bucketLabel(bar.bucket, bar.start, weekStartText)}: ${barText(bar.total, bar.counts, summary.surfaces)}`
          const chosen = selected === bar.bucket
          return (
            <g
              key={String(bar.bucket)}
              ref={(el) => {
                refs.current[i] = el
              }}
              className={`radar-bar${chosen ? ' chosen' : ''}${bar.urgent ? ' urgent' : ''}`}
              role="button"
              aria-pressed={chosen}
              aria-label={label}
              tabIndex={i === focus ? 0 : -1}
              onClick={() => pick(i)}
              onKeyDown={(e) => onKeyDown(e, i)}
            >
              <title>{label}</title>
              <rect className="radar-hit" x={xOf(i) - (step - barW) / 2} y={M.top} width={step} height={PLOT_H} />
              {stack(bar.counts, order, y).map((s) => (
                <rect
                  key={s.surface}
                  className={`radar-seg s-${s.surface}`}
                  x={xOf(i)}
                  width={barW}
                  y={M.top + PLOT_H - s.y1}
                  // At least a hairline: one item among thousands is still seen.
                  height={Math.max(1, s.y1 - s.y0)}
                />
              ))}
            </g>
          )
        })}
      </g>
      <line className="radar-axis" x1={M.left - 4} x2={WIDTH - M.right} y1={M.top + PLOT_H} y2={M.top + PLOT_H} aria-hidden="true" />
    </svg>
  )
})

/** The surfaces' colours, named; only those with items. */
export function ChartLegend({ summary }: { summary: ExpirySummary }) {
  return (
    <ul className="radar-legend" aria-label="Surfaces">
      {summary.surfaces
        .filter((s) => s.all > 0)
        .map((s) => (
          <li key={s.surface}>
            <svg width="12" height="12" aria-hidden="true">
              <rect className={`radar-seg s-${s.surface}`} width="12" height="12" rx="2" />
            </svg>
            {s.label} <span className="muted">({s.all.toLocaleString()})</span>
          </li>
        ))}
    </ul>
  )
}
