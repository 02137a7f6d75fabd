import type { LintReport } from '../../../../shared/lint-model'
import { Prose } from '../Prose'

const ORDER = { error: 0, warning: 1, notice: 2 } as const

/** Findings, worst first, each with what was found, the rule's source and the exact fix. */
export function LintReportView({ report, title }: { report: LintReport; title?: string }) {
  const findings = [...report.findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity])
  return (
    <section className="lint-report" aria-label={title ?? 'Lint report'}>
      <div className="lint-summary">
        <span className={`badge ${report.passed ? 'ok' : 'bad'}`}>{report.passed ? 'Passes' : 'Fails'}</span>
        <span>
          profile <code>{report.profile}</code>
          {report.reason ? <span className="muted"> — {report.reason}</span> : null}
        </span>
        <span className="muted">
          {report.counts.error} errors, {report.counts.warning} warnings, {report.counts.notice} notices
        </span>
      </div>
      {findings.length === 0 ? (
        <p className="muted">No findings.</p>
      ) : (
        <ul className="findings">
          {findings.map((f) => (
            <li key={f.ruleId} className={`finding ${f.severity}`}>
              <div className="finding-head">
                <span className={`badge ${f.severity === 'error' ? 'bad' : f.severity === 'warning' ? 'warn' : 'info'}`}>{f.severity}</span>
                <strong>{f.title}</strong>
                <code className="muted">{f.ruleId}</code>
              </div>
              <div>
                <Prose text={f.message} />
              </div>
              <div className="muted small">
                Fix: <Prose text={f.fix} /> <span>({f.source})</span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
