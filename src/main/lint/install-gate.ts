import { AppError } from '../../shared/errors'
import { checkCertificate } from './check'
import { lintCertificate } from './engine'

/**
 * What the trust stores ask before installing a root: its `root-ca` lint findings as sentences,
 * errors and warnings apart. Installing goes ahead; the findings are reported with the outcome.
 */
export function rootInstallFindings(der: Uint8Array): { errors: string[]; warnings: string[] } {
  const report = lintCertificate(der, { profile: 'root-ca' })
  const of = (severity: 'error' | 'warning') =>
    report.findings.filter((f) => f.severity === severity).map((f) => `${f.title}: ${f.message}`)
  return { errors: of('error'), warnings: of('warning') }
}

/**
 * The gate before a root is sent anywhere it will be trusted as a root (Access mTLS): its `root-ca`
 * errors (expired, not a CA, a leaf…) refuse it here, before any request, in words, with the
 * findings in `details.findings` for the dialog. Warnings do not block.
 */
export function assertRootCaPasses(certificatePem: string, name: string): void {
  const check = checkCertificate({ text: certificatePem, name: `"${name}"` }, { profile: 'root-ca' })
  const errors = check.reports.flatMap((r) => r.findings).filter((f) => f.severity === 'error')
  if (errors.length === 0) return
  const list = errors.map((f) => f.title.toLowerCase()).join('; ')
  throw new AppError('bad_input', `Not added: "${name}" cannot be an Access root (${list}).`, {
    hint: errors[0]!.fix,
    details: {
      reason: 'lint_failed',
      profile: 'root-ca',
      findings: errors.map((f) => ({ ruleId: f.ruleId, title: f.title, message: f.message })),
    },
  })
}
