/**
 * The radar's list, virtualised over the whole filtered total: only the rows in view (and a few more) are rendered, and
 * the store asks main for the pages they fall in (EXPIRY_PAGE rows each), so a list of 200,000 never crosses or renders
 * at once. A row not loaded yet shows as a placeholder of the same height. Each row: what it is, where it lives, when it
 * expires (relative and absolute), what breaks, and the action that renews it.
 *
 * Rows have one fixed height, so the window is arithmetic on the scroll position. TanStack Virtual (the tables' choice)
 * measures every row whenever the count changes: 200,000 objects per filter change, 19–35 ms on this project's 2-core
 * CI machine alone, which made long tasks over 50 ms in the browser.
 */
import { memo, useEffect, useRef, useState, type RefObject } from 'react'
import type { ExpiryItem } from '../../../../shared/expiry-model'
import { dateText } from '../../lib/format'
import { useAppFields } from '../../store'
import { EXPIRY_PAGE, expiryRow } from '../../store/expiry'
import { surfaceLabel } from './chart'

const ROW_HEIGHT = 64
/** Rows rendered beyond each edge of the view. */
const OVERSCAN = 6
/**
 * Pages are asked for at most this often (ms), for the rows in view when the wait ends: a fling across 200,000 rows
 * reads a few pages, not one per frame for every row it passes.
 */
const PAGE_THROTTLE_MS = 120

/** "expired 3 days ago", "expires today", "in 12 days". */
export function relativeExpiry(daysLeft: number): string {
  if (daysLeft < -1) return `expired ${-daysLeft} days ago`
  if (daysLeft === -1) return 'expired yesterday'
  if (daysLeft === 0) return 'expires today'
  return daysLeft === 1 ? 'in 1 day' : `in ${daysLeft.toLocaleString()} days`
}

export function ExpiryList({ onRenew }: { onRenew: (item: ExpiryItem) => void }) {
  const { expiryList: list, loadExpiryPage, expirySummary: summary } = useAppFields('expiryList', 'loadExpiryPage', 'expirySummary')
  const scrollRef = useRef<HTMLDivElement>(null)
  const total = list.total ?? 0
  const { first, last } = useFixedWindow(scrollRef, total, ROW_HEIGHT, OVERSCAN)
  // The pages the rows in view fall in (one or two), asked for once each per generation, throttled.
  const wanted = useRef<[number, number]>([0, 0])
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const lastLoad = useRef(0)
  useEffect(() => {
    if (!total) return
    wanted.current = [Math.floor(first / EXPIRY_PAGE), Math.floor(last / EXPIRY_PAGE)]
    const load = () => {
      timer.current = null
      lastLoad.current = performance.now()
      const [from, to] = wanted.current
      for (let page = from; page <= to; page++) void loadExpiryPage(page)
    }
    const wait = PAGE_THROTTLE_MS - (performance.now() - lastLoad.current)
    if (wait <= 0) load()
    else timer.current ??= setTimeout(load, wait)
  }, [first, last, total, list.generation, loadExpiryPage])
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current)
    },
    [],
  )
  // A new filter lists from the top.
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 })
  }, [list.filter])

  const indices: number[] = []
  for (let i = first; i <= last; i++) indices.push(i)
  // Rows keyed by slot (as VirtualTable's): a row scrolling out hands its DOM to the one scrolling in.
  const slots = Math.max(64, indices.length)
  const padTop = first * ROW_HEIGHT
  const padBottom = Math.max(0, total - last - 1) * ROW_HEIGHT
  return (
    <div className="radar-list" ref={scrollRef} role="region" aria-label="Expiring items, scrollable">
      <ul aria-label="Expiring items" aria-busy={list.total === null} style={{ paddingTop: padTop, paddingBottom: padBottom }}>
        {indices.map((index) => {
          const item = expiryRow(list, index)
          return item ? (
            <Row key={index % slots} item={item} what={surfaceLabel(summary, item.surface)} index={index} total={total} onRenew={onRenew} />
          ) : (
            <li key={index % slots} className="radar-row placeholder" aria-setsize={total} aria-posinset={index + 1}>
              <span className="muted">Loading…</span>
            </li>
          )
        })}
      </ul>
    </div>
  )
}

/**
 * The rows [first, last] in view of `ref` (plus `overscan` each side) for `count` rows of `rowHeight` px, read again on
 * scroll and resize. The state is set from the scroll event and rendered in React's own task, not inside the event.
 */
function useFixedWindow(ref: RefObject<HTMLElement | null>, count: number, rowHeight: number, overscan: number) {
  const [view, setView] = useState({ top: 0, height: 0 })
  useEffect(() => {
    const el = ref.current
    if (!el) return
    const read = () =>
      setView((v) => (v.top === el.scrollTop && v.height === el.clientHeight ? v : { top: el.scrollTop, height: el.clientHeight }))
    read()
    el.addEventListener('scroll', read, { passive: true })
    const observer = new ResizeObserver(read)
    observer.observe(el)
    return () => {
      el.removeEventListener('scroll', read)
      observer.disconnect()
    }
  }, [ref])
  const first = Math.min(Math.max(0, count - 1), Math.max(0, Math.floor(view.top / rowHeight) - overscan))
  const last = Math.min(count - 1, Math.ceil((view.top + view.height) / rowHeight) + overscan)
  return { first, last }
}

const Row = memo(function Row({
  item,
  what,
  index,
  total,
  onRenew,
}: {
  item: ExpiryItem
  /** The surface's name. */
  what: string
  index: number
  total: number
  onRenew: (item: ExpiryItem) => void
}) {
  const state = item.state === 'expired' ? 'bad' : item.state === 'expiring' ? 'warn' : 'neutral'
  return (
    <li className="radar-row" aria-setsize={total} aria-posinset={index + 1} data-key={item.key} data-not-after={item.notAfter}>
      <div className="radar-what">
        <span className={`radar-swatch s-${item.surface}`} aria-hidden="true" />
        <strong className="radar-name" title={item.name}>
          {item.name}
        </strong>
        <span className="muted small">
          {what} · <span title={item.where.text}>{item.where.text}</span>
        </span>
      </div>
      <div className="radar-when">
        <span className={`badge ${state}`}>{relativeExpiry(item.daysLeft)}</span>
        <span className="muted small">{dateText(item.notAfter)}</span>
      </div>
      <p className="radar-breaks muted small" title={item.breaks}>
        {item.breaks}
      </p>
      <div className="radar-actions">
        <button type="button" onClick={() => onRenew(item)} title={item.renew.label} aria-label={`Renew ${item.name}`}>
          Renew…
        </button>
      </div>
    </li>
  )
})
