import { lintCertificate } from './engine'

/**
 * What the trust stores ask before installing a root: its `root-ca` lint findings as sentences,
 * errors and warnings apart. Installing goes ahead; the findings are reported with the outcome.
 */
export function rootInstallFindings(der: Uint8Array): { errors: string[]; warnings: string[] } {
  const report = lintCertificate(der, { profile: 'root-ca' })
  const of = (severity: 'error' | 'warning') => report.findings.filter((f) => f.severity === severity).map((f) => `${f.title}: ${f.message}`)
  return { errors: of('error'), warnings: of('warning') }
}
