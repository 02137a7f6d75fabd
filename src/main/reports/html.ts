/**
 * One self-contained HTML page of a trust report, for a helpdesk ticket: no scripts, no external
 * resources (its Content-Security-Policy forbids both), every text from the report escaped.
 */
import { escapeHtml as e } from '../../shared/html'
import type { TrustReport } from '../../shared/report-model'

const VERDICT_WORDS: Record<TrustReport['verdict'], string> = {
  trusted: 'Trusted',
  partly: 'Partly trusted',
  'not-trusted': 'Not trusted',
}

const OS_WORDS: Record<TrustReport['machine']['os'], string> = { linux: 'Linux', macos: 'macOS', windows: 'Windows' }

const STYLE = [
  'body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:860px;padding:0 16px;color:#1b1f24}',
  'h1{font-size:20px;margin:0 0 4px}h2{font-size:15px;margin:20px 0 6px}',
  'table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #d0d7de;vertical-align:top}',
  'th{font-weight:600;background:#f6f8fa}code{font-family:ui-monospace,monospace;font-size:12px;word-break:break-all}',
  '.v{display:inline-block;padding:2px 10px;border-radius:10px;font-weight:600}',
  '.trusted{background:#dafbe1;color:#116329}.partly{background:#fff8c5;color:#7d4e00}.not-trusted{background:#ffebe9;color:#a40e26}',
  '.ok{color:#116329}.bad{color:#a40e26}.meta td:first-child{width:11em;color:#57606a}',
].join('')

const statusClass = (ok: boolean | null) => (ok === null ? '' : ok ? 'ok' : 'bad')

export function renderReportHtml(report: TrustReport): string {
  const root = report.root.subject ?? `SHA-256 ${report.root.sha256}`
  const stores = report.stores.map(
    (s) =>
      `<tr><td>${e(s.name)}<br><code>${e(s.id)}</code></td>` +
      `<td class="${statusClass(s.status === 'trusted')}">${e(s.status)}</td><td>${e(s.detail ?? '')}</td></tr>`,
  )
  const runtimes = report.runtimes.map((r) => {
    const verdict = r.trusts === null ? 'could not tell' : r.trusts ? 'trusts' : 'does not trust'
    return `<tr><td>${e(r.runtime)}</td><td class="${statusClass(r.trusts)}">${verdict}</td><td>${e(r.source ?? '')}</td><td>${e(r.note ?? '')}</td></tr>`
  })
  const h = report.handshake
  const handshake = h
    ? `<p><span class="${statusClass(h.ok)}">${h.ok ? 'Verified' : 'Failed'}</span>: <code>${e(h.target)}</code> ${e(h.detail ?? '')}</p>`
    : '<p>No handshake was tried.</p>'
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>Trust report: ${e(report.machine.name)} — ${e(root)}</title>`,
    `<style>${STYLE}</style></head><body>`,
    `<h1>${e(report.machine.name)}: <span class="v ${report.verdict}">${VERDICT_WORDS[report.verdict]}</span></h1>`,
    `<p>Does this machine trust <strong>${e(root)}</strong>?</p>`,
    '<table class="meta">',
    `<tr><td>Machine</td><td>${e(report.machine.name)} (${OS_WORDS[report.machine.os]}, ${e(report.machine.osVersion)})</td></tr>`,
    `<tr><td>Root SHA-256</td><td><code>${e(report.root.sha256)}</code></td></tr>`,
    `<tr><td>Checked at</td><td>${e(report.generatedAt)}</td></tr>`,
    `<tr><td>Checked by</td><td>${e(report.generator.name)} ${e(report.generator.version)}</td></tr>`,
    '</table>',
    '<h2>Trust stores</h2>',
    stores.length
      ? `<table><tr><th>Store</th><th>Status</th><th>Detail</th></tr>${stores.join('')}</table>`
      : '<p>No store was checked.</p>',
    '<h2>Runtimes</h2>',
    runtimes.length
      ? `<table><tr><th>Runtime</th><th>Verdict</th><th>Source</th><th>Note</th></tr>${runtimes.join('')}</table>`
      : '<p>No runtime was checked.</p>',
    '<h2>Handshake</h2>',
    handshake,
    `<p style="color:#57606a;font-size:12px">Report format ${e(report.schema)}; the JSON file beside this page holds the same facts.</p>`,
    '</body></html>',
    '',
  ].join('\n')
}
