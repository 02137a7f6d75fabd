/**
 * The expiry radar: everything Certdesk can see that expires (every profile's Cloudflare surfaces, the vault, this
 * machine's roots) on one timeline and one list. Main keeps the listings cached and refreshes the stale ones on demand;
 * the screen shows per source how fresh it is and why a refresh failed (the cached rows stay). A bar of the chart, a
 * surface, a state or text filter the list.
 */
import { useCallback, useEffect, useId, useState, type ReactNode } from 'react'
import type { ExpiryBucket, ExpiryFilter, ExpiryItem } from '../../../../shared/expiry-model'
import { ChoiceSelect } from '../../components/ChoiceSelect'
import { ErrorBox } from '../../components/ErrorBox'
import { JobProgress } from '../../components/JobProgress'
import { ScreenHeader } from '../../components/ScreenHeader'
import { shownCount } from '../../lib/format'
import { useAppFields, useAppStore } from '../../store'
import { bucketLabel } from './chart'
import { ExpiryList } from './ExpiryList'
import { RenewDialog } from './RenewDialog'
import { SourcesPanel } from './SourcesPanel'
import { ChartLegend, TimelineChart, weekStartText } from './TimelineChart'

const STATES = [
  { value: '', label: 'Any state' },
  { value: 'expired', label: 'Expired' },
  { value: 'expiring', label: 'Within the window' },
  { value: 'ok', label: 'Later' },
] as const

/** One filter of the list: its label and the control it names (made with the label's id). */
function RadarFilter({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId()
  return (
    <span className="radar-filter">
      <label htmlFor={id}>{label}</label>
      {children(id)}
    </span>
  )
}

export function ExpiryView() {
  const {
    expirySummary: summary,
    expirySummaryError,
    loadExpiry,
    refreshExpiry,
    filterExpiry,
    patchExpiryFilter,
    expiryRefreshJob,
  } = useAppFields(
    'expirySummary',
    'expirySummaryError',
    'loadExpiry',
    'refreshExpiry',
    'filterExpiry',
    'patchExpiryFilter',
    'expiryRefreshJob',
  )
  // Not the pages: the screen is not drawn again for each page the list reads while scrolling.
  const filter = useAppStore((s) => s.expiryList.filter)
  const listTotal = useAppStore((s) => s.expiryList.total)
  const listError = useAppStore((s) => s.expiryList.error)
  const [renewing, setRenewing] = useState<ExpiryItem | null>(null)
  useEffect(() => {
    void loadExpiry()
  }, [loadExpiry])

  const change = (patch: Partial<ExpiryFilter>) => void patchExpiryFilter(patch)
  const onSelect = useCallback((bucket: ExpiryBucket | undefined) => void patchExpiryFilter({ bucket }), [patchExpiryFilter])
  const refreshing = expiryRefreshJob !== null
  const total = summary?.totals.all ?? 0
  const laterCount = Object.values(summary?.later ?? {}).reduce<number>((n, c) => n + (c ?? 0), 0)
  const weekChoices = summary
    ? [
        { value: '', label: 'All weeks' },
        { value: 'expired', label: 'Expired' },
        ...summary.weeks.map((w) => ({ value: String(w.index), label: bucketLabel(w.index, Date.parse(w.start), weekStartText) })),
        { value: 'later', label: 'Later than 52 weeks' },
      ]
    : []
  const bucketValue = filter.bucket === undefined ? '' : String(filter.bucket)
  const toBucket = (value: string): ExpiryBucket | undefined =>
    value === '' ? undefined : value === 'expired' || value === 'later' ? value : Number(value)

  return (
    <>
      <ScreenHeader
        title="Expiry radar"
        subtitle="Everything Certdesk can see that expires: Cloudflare, the vault and this machine."
        actions={
          <>
            <button type="button" disabled={refreshing} onClick={() => void refreshExpiry(false)}>
              {refreshing ? 'Refreshing…' : 'Refresh'}
            </button>
            <button type="button" disabled={refreshing} onClick={() => void refreshExpiry(true)} title="Read every source again">
              Refresh all
            </button>
          </>
        }
      />
      <JobProgress jobId={expiryRefreshJob} />
      {expirySummaryError ? <ErrorBox error={expirySummaryError} onRetry={() => void loadExpiry()} /> : null}
      {summary ? (
        <>
          <section className="panel radar-panel" aria-labelledby="radar-timeline-title">
            <div className="panel-header">
              <h2 id="radar-timeline-title">Next 12 months</h2>
              <p className="radar-totals" aria-label="Totals">
                <span className="badge bad">{summary.totals.expired.toLocaleString()} expired</span>{' '}
                <span className="badge warn">
                  {summary.totals.expiring.toLocaleString()} within {summary.windowDays} days
                </span>{' '}
                <span className="muted small">
                  {laterCount.toLocaleString()} later · {summary.totals.all.toLocaleString()} in all
                </span>
              </p>
            </div>
            <TimelineChart summary={summary} selected={filter.bucket} onSelect={onSelect} />
            <ChartLegend summary={summary} />
          </section>
          <SourcesPanel summary={summary} />
          <section className="panel" aria-labelledby="radar-list-title">
            <div className="panel-header">
              <h2 id="radar-list-title">Items</h2>
              <span className="muted small" aria-live="polite">
                {listTotal === null ? 'Loading…' : shownCount(listTotal, total, 'items')}
              </span>
            </div>
            <div className="radar-filters" role="group" aria-label="Filter the items">
              <RadarFilter label="Week">
                {(id) => (
                  <ChoiceSelect id={id} value={bucketValue} choices={weekChoices} onChange={(v) => change({ bucket: toBucket(v) })} />
                )}
              </RadarFilter>
              <RadarFilter label="Surface">
                {(id) => (
                  <ChoiceSelect
                    id={id}
                    value={filter.surface ?? ''}
                    choices={[
                      { value: '', label: 'Every surface' },
                      ...summary.surfaces.map((s) => ({ value: s.surface, label: s.label })),
                    ]}
                    onChange={(v) => change({ surface: v || undefined })}
                  />
                )}
              </RadarFilter>
              <RadarFilter label="State">
                {(id) => (
                  <ChoiceSelect id={id} value={filter.state ?? ''} choices={STATES} onChange={(v) => change({ state: v || undefined })} />
                )}
              </RadarFilter>
              <RadarFilter label="Search">
                {(id) => (
                  <input
                    id={id}
                    type="search"
                    placeholder="Name, id or place"
                    value={filter.text ?? ''}
                    onChange={(e) => change({ text: e.target.value })}
                  />
                )}
              </RadarFilter>
              {Object.keys(filter).length ? (
                <button type="button" onClick={() => void filterExpiry({})}>
                  Show all
                </button>
              ) : null}
            </div>
            {listError ? <ErrorBox error={listError} onRetry={() => void filterExpiry(filter)} /> : null}
            {listTotal === 0 ? (
              <p className="muted">{total === 0 ? 'Nothing that expires yet: refresh to read every source.' : 'No item matches.'}</p>
            ) : (
              <ExpiryList onRenew={setRenewing} />
            )}
          </section>
        </>
      ) : null}
      {renewing ? <RenewDialog item={renewing} onClose={() => setRenewing(null)} /> : null}
    </>
  )
}
