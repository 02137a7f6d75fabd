import type { ReactNode } from 'react'
import type { CertificateCheck, LintFinding } from '../../../../shared/lint-model'
import { LintReportView } from './LintReportView'

/** Every finding of a check: the chain's own, then each certificate's. */
export function findingsOf(check: CertificateCheck): LintFinding[] {
  return [...(check.chain?.chainFindings ?? []), ...check.reports.flatMap((r) => r.findings)]
}

/** What a lint gate decides: errors block the upload, warnings alone ask before it goes ahead. */
export function lintGate(check: CertificateCheck | null) {
  const findings = check ? findingsOf(check) : []
  const errors = findings.filter((f) => f.severity === 'error')
  const warnings = findings.filter((f) => f.severity === 'warning')
  return { errors, warnings, askingAboutWarnings: check !== null && errors.length === 0 && warnings.length > 0 }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/**
 * A lint gate's verdict under an upload form (Access roots, account CAs): the refusal with what to
 * do, or the warnings to accept, then every certificate's report. Shown only when there are findings.
 */
export function LintGateNotice(props: {
  check: CertificateCheck | null
  /** The refusal's first sentence, given the errors ("Not added: root.pem fails 2 root CA checks"). */
  refused: (errors: LintFinding[]) => ReactNode
  /** What to do about the errors. */
  fix: string
  /** Who accepts it despite warnings ("Access", "Cloudflare"). */
  acceptedBy: string
  /** The verb of going ahead anyway ("add", "upload"). */
  proceed: string
  reportTitle: string
}) {
  const { check, refused, fix, acceptedBy, proceed, reportTitle } = props
  const { errors, warnings, askingAboutWarnings } = lintGate(check)
  if (!check || (errors.length === 0 && warnings.length === 0)) return null
  return (
    <>
      {errors.length ? (
        // Brought into view: on a small window it would otherwise sit below the fold.
        <div className="error-box" role="alert" ref={(el) => el?.scrollIntoView({ block: 'nearest' })}>
          <strong>{refused(errors)}</strong>
          <div className="muted">{fix}</div>
        </div>
      ) : null}
      {askingAboutWarnings ? (
        <div className="error-box warn-box" role="alert">
          <strong>
            {plural(warnings.length, 'warning')}: {acceptedBy} accepts it, but some clients may not.
          </strong>
          <div className="muted">Read the findings below, then {proceed} anyway or cancel.</div>
        </div>
      ) : null}
      {check.reports.map((r, i) => (
        <LintReportView key={i} report={r} title={`${reportTitle} of ${check.certificates[i]?.subject.text ?? `certificate ${i + 1}`}`} />
      ))}
    </>
  )
}
