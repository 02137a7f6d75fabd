/**
 * Where the radar's items come from, each source with its freshness: when it was read, how many items and API requests
 * that took, whether it is refreshing now, and why its last refresh failed (its cached items stay on the radar).
 */
import type { ExpirySource, ExpirySummary } from '../../../../shared/expiry-model'
import { DataTable, type Column } from '../../components/DataTable'
import { dateTimeText } from '../../lib/format'

const COLUMNS: Array<Column<ExpirySource>> = [
  { header: 'Source', cell: (s) => s.label, rowHeader: true },
  { header: 'Items', cell: (s) => s.items.toLocaleString(), className: 'num' },
  {
    header: 'Read',
    cell: (s) => (s.refreshing ? <span className="badge info">refreshing</span> : s.fetchedAt ? dateTimeText(s.fetchedAt) : 'never'),
  },
  { header: 'Requests', cell: (s) => s.requests.toLocaleString(), className: 'num' },
  {
    header: 'State',
    cell: (s) =>
      s.error ? (
        <span className="badge bad" title={s.error.hint}>
          {s.error.message}
        </span>
      ) : s.stale ? (
        <span className="badge warn">stale</span>
      ) : (
        <span className="badge ok">fresh</span>
      ),
  },
]

export function SourcesPanel({ summary }: { summary: ExpirySummary }) {
  const failed = summary.sources.filter((s) => s.error).length
  const stale = summary.sources.filter((s) => s.stale && !s.error).length
  const requests = summary.sources.reduce((n, s) => n + s.requests, 0)
  return (
    <details className="panel radar-sources">
      <summary>
        <h2>Sources</h2>{' '}
        <span className="muted small">
          {summary.sources.length} source{summary.sources.length === 1 ? '' : 's'}
          {failed ? `, ${failed} failed` : ''}
          {stale ? `, ${stale} stale` : ''} · last refresh {requests.toLocaleString()} API request{requests === 1 ? '' : 's'}
        </span>
      </summary>
      <DataTable label="Sources" columns={COLUMNS} rows={summary.sources} rowKey={(s) => s.key} />
    </details>
  )
}
