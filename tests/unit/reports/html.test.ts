/** The HTML page of a report escapes every text the report carries: a hostile machine name stays text. */
import { describe, expect, it } from 'vitest'
import { renderReportHtml } from '../../../src/main/reports/html'
import { buildTrustReport } from '../../../src/main/reports/report'
import { parseTrustReport, TrustReport } from '../../../src/shared/report-model'
import type { VerifyReport } from '../../../src/shared/truststore-model'
import { startTags } from '../../support/html-referee'

const hostile = '<script>alert("pwned")</script><img src=x onerror=alert(1)>'
const verify: VerifyReport = {
  fingerprint: { algorithm: 'sha256', hex: 'AB'.repeat(32) },
  lines: [{ storeId: `nss:/home/${hostile}`, label: `Firefox ${hostile}`, status: 'missing', fix: `certdesk trust install ${hostile}` }],
  allTrusted: false,
  runtimes: [{ runtime: 'node', source: 'NODE_EXTRA_CA_CERTS', trusts: false, note: `"><iframe src=//evil>` }],
  probe: { host: `evil"><b>`, port: 443, verified: false, verifyError: '<svg onload=alert(1)>', chain: [] },
}

describe('report HTML', () => {
  it('escapes a hostile machine name, store, runtime note and handshake: no element of theirs is built', () => {
    const report = buildTrustReport(verify, {
      machine: { name: hostile, os: 'windows', osVersion: `10 <style>body{display:none}</style>` },
      generator: { name: 'certdesk', version: '1.0.0' },
      now: new Date('2026-11-30T12:00:00Z'),
    })
    expect(TrustReport.parse(report)).toEqual(report)
    expect(report.verdict).toBe('not-trusted')
    expect(report.handshake).toEqual({ target: 'https://evil"><b>:443', ok: false, detail: '<svg onload=alert(1)>' })
    const html = renderReportHtml(report)
    const tags = startTags(html)
    for (const tag of ['script', 'img', 'iframe', 'svg', 'b']) expect(tags).not.toContain(tag)
    expect(tags.filter((t) => t === 'style')).toHaveLength(1)
    expect(html).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;')
    expect(html).not.toMatch(/<script|<img|<iframe|<svg/i)
  })

  it('a file naming another schema is refused by name; unknown fields are ignored', () => {
    const report = buildTrustReport(verify, {
      machine: { name: 'pc-1', os: 'linux', osVersion: 'Debian 13' },
      generator: { name: 'certdesk', version: '1.0.0' },
    })
    expect(parseTrustReport({ ...report, extra: { from: 'a newer kit' } })).toEqual(report)
    expect(() => parseTrustReport({ ...report, schema: 'certdesk-trust-report/2' })).toThrow(
      'Not a Certdesk trust report: it has schema "certdesk-trust-report/2", expected "certdesk-trust-report/1".',
    )
    expect(() => parseTrustReport({ ...report, root: { sha256: 'AB'.repeat(32), subject: null } })).toThrow(
      /^Invalid trust report: root\.sha256: must be the SHA-256/,
    )
  })
})
