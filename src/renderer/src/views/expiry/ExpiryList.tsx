/**
 * The radar's list, virtualised over the whole filtered total: TanStack Virtual renders the rows in view and the store
 * asks main for the pages they fall in (EXPIRY_PAGE rows each), so a list of 200,000 never crosses or renders at once.
 * A row not loaded yet shows as a placeholder of the same height. Each row: what it is, where it lives, when it expires
 * (relative and absolute), what breaks, and the action that renews it.
 */
import { useVirtualizer } from '@tanstack/react-virtual'
import { memo, useEffect, useRef } from 'react'
import type { ExpiryItem } from '../../../../shared/expiry-model'
import { dateText } from '../../lib/format'
import { useAppFields } from '../../store'
import { EXPIRY_PAGE, expiryRow } from '../../store/expiry'
import { surfaceLabel } from './chart'

const ROW_HEIGHT = 64

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
  // TanStack Virtual returns functions that the React Compiler must not memoize.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
    useFlushSync: false,
  })
  const items = virtualizer.getVirtualItems()
  const first = items[0]?.index ?? 0
  const last = items.at(-1)?.index ?? 0
  // The pages the rows in view fall in (one or two), asked for once each per generation.
  useEffect(() => {
    if (!total) return
    for (let page = Math.floor(first / EXPIRY_PAGE); page <= Math.floor(last / EXPIRY_PAGE); page++) void loadExpiryPage(page)
  }, [first, last, total, list.generation, loadExpiryPage])
  // A new filter lists from the top.
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 })
  }, [list.filter])

  // Rows keyed by slot (as VirtualTable's): a row scrolling out hands its DOM to the one scrolling in.
  const slots = Math.max(64, items.length)
  const padTop = items[0]?.start ?? 0
  const padBottom = items.length ? virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0) : 0
  return (
    <div className="radar-list" ref={scrollRef} role="region" aria-label="Expiring items, scrollable">
      <ul aria-label="Expiring items" aria-busy={list.total === null} style={{ paddingTop: padTop, paddingBottom: padBottom }}>
        {items.map((v) => {
          const item = expiryRow(list, v.index)
          return item ? (
            <Row
              key={v.index % slots}
              item={item}
              what={surfaceLabel(summary, item.surface)}
              index={v.index}
              total={total}
              onRenew={onRenew}
            />
          ) : (
            <li key={v.index % slots} className="radar-row placeholder" aria-setsize={total} aria-posinset={v.index + 1}>
              <span className="muted">Loading…</span>
            </li>
          )
        })}
      </ul>
    </div>
  )
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
    <li className="radar-row" aria-setsize={total} aria-posinset={index + 1} data-key={item.key}>
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
