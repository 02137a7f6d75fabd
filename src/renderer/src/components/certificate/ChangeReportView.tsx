import type { ChangeReport, OutcomeStatus } from '../../../../shared/truststore-model'
import { DataTable, type Column } from '../DataTable'
import { Hint } from '../Prose'

const STATUS: Record<OutcomeStatus, { badge: string; text: string }> = {
  installed: { badge: 'ok', text: 'installed' },
  'already-present': { badge: 'neutral', text: 'already present' },
  removed: { badge: 'ok', text: 'removed' },
  'not-present': { badge: 'neutral', text: 'was not there' },
  failed: { badge: 'bad', text: 'failed' },
}

const OUTCOME_COLUMNS: Column<ChangeReport['outcomes'][number]>[] = [
  { header: 'Store', cell: (o) => o.label },
  { header: 'Outcome', cell: (o) => <span className={`badge ${STATUS[o.status].badge}`}>{STATUS[o.status].text}</span> },
  {
    header: 'Details',
    className: 'wrap',
    cell: (o) => (
      <>
        {o.message}
        <Hint text={o.hint} className="muted small" />
        {o.toolOutput ? (
          <details>
            <summary>What the tool said</summary>
            <pre className="tool-output">{o.toolOutput}</pre>
          </details>
        ) : null}
      </>
    ),
  },
]

/** Each store's outcome of an install or remove, with the tool's own words on failure, and lint warnings. */
export function ChangeReportView({ report, action }: { report: ChangeReport; action: 'install' | 'remove' }) {
  return (
    <section className="panel" aria-label={action === 'install' ? 'Install result' : 'Remove result'} aria-live="polite">
      <h2>
        {action === 'install' ? 'Installed' : 'Removed'}: {report.root?.subject ?? report.fingerprint}
      </h2>
      {report.warnings.length ? (
        <div className="error-box warn-box" role="note" aria-label="Warnings">
          <strong>Warnings</strong>
          <ul>
            {report.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <DataTable label="Outcome per store" className="compact" columns={OUTCOME_COLUMNS} rows={report.outcomes} rowKey={(o) => o.storeId} />
    </section>
  )
}
