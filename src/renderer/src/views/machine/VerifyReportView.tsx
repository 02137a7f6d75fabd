import { trustVerdict, type VerdictKind } from '../../../../shared/trust-verdict'
import type { VerifyReport, VerifyStatus } from '../../../../shared/truststore-model'
import { useAppStore } from '../../store'
import { RuntimesPanel } from './RuntimesPanel'

const STATUS: Record<VerifyStatus, { badge: string; text: string }> = {
  trusted: { badge: 'ok', text: 'trusted' },
  'present-not-trusted': { badge: 'warn', text: 'present, not trusted' },
  missing: { badge: 'bad', text: 'missing' },
  error: { badge: 'bad', text: 'could not check' },
}

const VERDICT_BADGE: Record<VerdictKind, string> = { trusted: 'ok', partly: 'warn', 'not-installed': 'bad', unknown: 'neutral' }

/** The helpdesk answer: the verdict in one sentence, then one line per store with the fix, then the runtimes that ignore the OS store. */
export function VerifyReportView({
  report,
  source,
  pem,
  onChanged,
}: {
  report: VerifyReport
  source: string
  /** The root's certificate, when it was given: the runtime fix needs it. */
  pem?: string | undefined
  /** Called after a runtime fix or undo, to check again. */
  onChanged?: () => void
}) {
  const fp = report.fingerprint
  const verdict = trustVerdict(report)
  const saveTrustReport = useAppStore((s) => s.saveTrustReport)
  // Main verifies again by SHA-256 (the report states what is true when it is saved) and asks where to save it.
  const save = () =>
    void saveTrustReport(report.root?.sha256 ?? fp.hex, report.probe ? `${report.probe.host}:${report.probe.port}` : undefined)
  return (
    <section className="panel verify-report" aria-label="Verification result" aria-live="polite">
      <div className="panel-header">
        <h2>{report.root?.subject ?? `${fp.algorithm.toUpperCase()} ${fp.hex.slice(0, 16)}…`}</h2>
        <span className={`badge ${VERDICT_BADGE[verdict.kind]}`}>{verdict.badge}</span>
        <button type="button" onClick={save} title="A JSON report and a one-page HTML beside it, for a helpdesk ticket">
          Save report…
        </button>
      </div>
      <p className={`verdict ${verdict.kind}`}>{verdict.sentence}</p>
      <p className="muted small">
        Looked up {source.replace(/^The /, 'the ')} by {fp.algorithm.toUpperCase()} <code className="break">{fp.hex}</code>
      </p>
      <ul className="verify-lines" aria-label="Per-store result">
        {report.lines.map((line) => (
          <li key={line.storeId} className={`verify-line ${line.status}`}>
            <span className={`badge ${STATUS[line.status].badge}`}>{STATUS[line.status].text}</span>
            <strong>{line.label}</strong>
            {line.detail ? <span className="muted">{line.detail}</span> : null}
            {line.fix ? (
              <div className="small verify-fix">
                Fix: <code className="break">{line.fix}</code>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      {report.probe ? (
        <p>
          Handshake with {report.probe.host}:{report.probe.port}:{' '}
          <span className={`badge ${report.probe.verified ? 'ok' : 'bad'}`}>{report.probe.verified ? 'verified' : 'failed'}</span>{' '}
          {report.probe.verifyError ? <span className="muted">{report.probe.verifyError}</span> : null}
        </p>
      ) : null}
      {report.runtimes.length ? (
        <>
          <h3>Runtimes that ignore the OS store</h3>
          <table className="data-table compact" aria-label="Runtimes that ignore the OS store">
            <thead>
              <tr>
                <th scope="col">Runtime</th>
                <th scope="col">Uses</th>
                <th scope="col">Trusts it</th>
                <th scope="col">What to do</th>
              </tr>
            </thead>
            <tbody>
              {report.runtimes.map((r) => (
                <tr key={r.runtime}>
                  <td>{r.runtime === 'node' ? 'Node.js' : r.runtime === 'python' ? 'Python' : r.runtime === 'java' ? 'Java' : 'git'}</td>
                  <td className="wrap">
                    {r.source}
                    {r.file ? <div className="muted small break">{r.file}</div> : null}
                  </td>
                  <td>
                    {r.drift ? (
                      <span className="badge bad">drift</span>
                    ) : r.trusts === null ? (
                      <span className="badge neutral">unknown</span>
                    ) : (
                      <span className={`badge ${r.trusts ? 'ok' : 'bad'}`}>{r.trusts ? 'yes' : 'no'}</span>
                    )}
                  </td>
                  <td className="wrap small">{r.note}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <RuntimesPanel report={report} pem={pem} {...(onChanged ? { onChanged } : {})} />
        </>
      ) : null}
    </section>
  )
}
