/** A trust report saved as its JSON file and the HTML page beside it (same name, `.html`). */
import { extname } from 'node:path'
import { AppError } from '../../shared/errors'
import type { TrustReport } from '../../shared/report-model'
import type { VerifyReport } from '../../shared/truststore-model'
import { writeFileAtomic } from '../storage/json-file'
import { renderReportHtml } from './html'
import { buildTrustReport, reportJson, thisMachine, type MachineFacts } from './report'

export function writeReportFiles(
  verify: VerifyReport,
  path: string,
  generator: { name: string; version: string },
  machine: MachineFacts = thisMachine(),
): { json: string; html: string; report: TrustReport } {
  if (extname(path).toLowerCase() !== '.json') {
    throw new AppError('bad_input', `A trust report is a .json file; "${path}" is not.`, {
      hint: 'Name it like host-root.json: the HTML page is written beside it with the same name.',
    })
  }
  const report = buildTrustReport(verify, { machine, generator })
  const html = `${path.slice(0, -'.json'.length)}.html`
  // Readable by the helpdesk that collects them: reports hold no secret.
  writeFileAtomic(path, reportJson(report), 0o644)
  writeFileAtomic(html, renderReportHtml(report), 0o644)
  return { json: path, html, report }
}
