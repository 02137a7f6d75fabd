import type { CertificateCheck } from '../../../../shared/lint-model'
import { CertificateDetailsView } from './CertificateDetailsView'
import { LintReportView } from './LintReportView'

/** The checker's answer: for each certificate, its lint report and decoded details; chain findings first. */
export function CertificateCheckView({ check }: { check: CertificateCheck }) {
  return (
    <div className="certificate-check" aria-live="polite">
      <p>
        This is {check.description}.
        {check.chain ? (
          <>
            {' '}
            Linted as a chain ({check.chain.order}):{' '}
            <span className={`badge ${check.chain.passed ? 'ok' : 'bad'}`}>{check.chain.passed ? 'chain passes' : 'chain fails'}</span>
          </>
        ) : null}
      </p>
      {check.chain && check.chain.chainFindings.length ? (
        <LintReportView
          title="Chain findings"
          report={{
            profile: check.chain.profile,
            requestedProfile: check.chain.profile,
            findings: check.chain.chainFindings,
            counts: check.chain.counts,
            passed: check.chain.passed,
          }}
        />
      ) : null}
      {check.certificates.map((details, i) => (
        <section key={details.fingerprints.sha256} className="panel" aria-label={`Certificate ${i + 1}: ${details.subject.text}`}>
          <h3>{details.subject.text || '(empty subject)'}</h3>
          {check.reports[i] ? <LintReportView report={check.reports[i]} /> : null}
          <details>
            <summary>Decoded fields and extensions</summary>
            <CertificateDetailsView details={details} />
          </details>
        </section>
      ))}
    </div>
  )
}
