/** The Fleet screen: coverage of each root from a folder of machine trust reports, and the Gateway root rollover. */
import { EmptyState } from '../../components/EmptyState'
import { ErrorBox } from '../../components/ErrorBox'
import { NeedsProfile } from '../../components/NeedsProfile'
import { NoAccount } from '../../components/NoAccount'
import { AccountPicker } from '../../components/ScopePicker'
import { ScreenHeader } from '../../components/ScreenHeader'
import { useAccountScope } from '../../components/useScope'
import { useAppFields } from '../../store'
import { coverageRatio, percent } from '../../../../shared/coverage'
import type { RootCoverage } from '../../../../shared/report-model'
import { CoverageChart } from './CoverageChart'
import { RolloverPanel } from './RolloverPanel'

export function FleetView() {
  const { fleetCoverage, fleetBusy, fleetError, importReports, refreshReports } = useAppFields(
    'fleetCoverage',
    'fleetBusy',
    'fleetError',
    'importReports',
    'refreshReports',
  )
  const { account, scope } = useAccountScope()
  return (
    <>
      <ScreenHeader
        title="Fleet"
        subtitle="How much of the fleet trusts each root, from the reports its verify scripts wrote; and a safe Gateway root rollover."
        actions={
          <>
            {fleetCoverage ? (
              <button type="button" disabled={fleetBusy} onClick={() => void refreshReports()}>
                Read again
              </button>
            ) : null}
            <button type="button" className="primary" disabled={fleetBusy} onClick={() => void importReports()}>
              Import reports…
            </button>
          </>
        }
      />
      {fleetError ? <ErrorBox error={fleetError} /> : null}
      {fleetCoverage ? (
        <>
          <p className="muted small">
            {fleetCoverage.files} report file{fleetCoverage.files === 1 ? '' : 's'} in <code className="break">{fleetCoverage.folder}</code>
            {fleetCoverage.superseded ? `; ${fleetCoverage.superseded} superseded by a later report of the same machine` : ''}.
          </p>
          {fleetCoverage.roots.length ? (
            fleetCoverage.roots.map((root) => <RootCoveragePanel key={root.sha256} root={root} />)
          ) : (
            <EmptyState title="No valid report">No file in this folder is a Certdesk trust report. See the skipped files below.</EmptyState>
          )}
          {fleetCoverage.problems.length ? (
            <section className="panel" aria-labelledby="fleet-skipped">
              <h2 id="fleet-skipped">Skipped files ({fleetCoverage.problems.length})</h2>
              <ul className="fleet-problems small">
                {fleetCoverage.problems.map((p) => (
                  <li key={p.file}>
                    <code className="break">{p.file}</code>: {p.reason}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </>
      ) : (
        <EmptyState title="No reports imported">
          Collect the JSON reports that <code>certdesk trust verify --report</code> and the fleet kit’s verify scripts write (MDM output),
          put them in one folder, and import it.
        </EmptyState>
      )}
      <NeedsProfile>
        <div className="fleet-rollover-header">
          <AccountPicker />
        </div>
        {scope && account ? <RolloverPanel scope={scope} /> : <NoAccount />}
      </NeedsProfile>
    </>
  )
}

function RootCoveragePanel({ root }: { root: RootCoverage }) {
  const ratio = coverageRatio(root)
  const titleId = `root-${root.sha256.slice(0, 12)}`
  return (
    <section className="panel" aria-labelledby={titleId}>
      <div className="panel-header">
        <h2 id={titleId}>{root.subject ?? `Root ${root.sha256.slice(0, 16)}…`}</h2>
        <span className={`badge ${ratio === 1 ? 'ok' : ratio >= 0.95 ? 'warn' : 'bad'}`}>{percent(ratio)}</span>
      </div>
      <p>
        <strong>
          {root.trusted} of {root.total}
        </strong>{' '}
        machines trust it.{' '}
        <span className="muted small">
          SHA-256 <code className="break">{root.sha256}</code>
        </span>
      </p>
      <div className="coverage-charts">
        <CoverageChart title="By operating system" groups={root.byOs} />
        <CoverageChart title="By trust store" groups={root.byStore} />
      </div>
      {root.failing.length ? (
        <>
          <h3>Machines that do not trust it ({root.failing.length})</h3>
          <table className="data-table compact" aria-label={`Machines that do not trust ${root.subject ?? 'the root'}`}>
            <thead>
              <tr>
                <th scope="col">Machine</th>
                <th scope="col">OS</th>
                <th scope="col">Verdict</th>
                <th scope="col">Why</th>
                <th scope="col">Reported</th>
              </tr>
            </thead>
            <tbody>
              {root.failing.map((f) => (
                <tr key={`${f.machine}-${f.file}`}>
                  <td>{f.machine}</td>
                  <td>{f.os}</td>
                  <td>
                    <span className={`badge ${f.verdict === 'partly' ? 'warn' : 'bad'}`}>{f.verdict}</span>
                  </td>
                  <td className="wrap small">{f.reasons.join('; ')}</td>
                  <td className="small">{new Date(f.generatedAt).toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  )
}
