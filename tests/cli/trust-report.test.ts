/**
 * `certdesk trust verify ROOT --report FILE.json`: the machine trust report (certdesk-trust-report/1) and its
 * HTML page, against a throwaway Debian tree: not trusted before install, trusted after, and both files
 * valid — the JSON against the model, the HTML by Python's own parser (no script, no element a name smuggled in).
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCaptured } from '../support/cli'
import { execRunner } from '../../src/main/truststore/exec'
import { debianRefreshForSysroot } from '../../src/main/truststore/linux'
import { parseTrustReport, REPORT_SCHEMA } from '../../src/shared/report-model'
import { startTags } from '../support/html-referee'
import { CertFactory, sha256Hex, type TestCert } from '../support/cert-factory'
import { UPDATE_CA_CERTIFICATES, makeDebianTree } from '../support/debian-tree'

const certs = new CertFactory()
let tree: ReturnType<typeof makeDebianTree>
let userData: string
let root: TestCert

const cli = (...argv: string[]) =>
  runCaptured(argv, {
    env: { PATH: process.env['PATH'], CERTDESK_TRUST_ROOT: tree.root, CERTDESK_USER_DATA: userData, GIT_CONFIG_NOSYSTEM: '1' },
    cwd: certs.dir,
  })

beforeAll(async () => {
  tree = makeDebianTree(1)
  expect((await execRunner.run(UPDATE_CA_CERTIFICATES, debianRefreshForSysroot(UPDATE_CA_CERTIFICATES, tree.root).args)).code).toBe(0)
  userData = mkdtempSync(join(tmpdir(), 'certdesk-report-data-'))
  root = certs.root('Report Root')
})
afterAll(() => {
  tree.cleanup()
  rmSync(userData, { recursive: true, force: true })
  certs.cleanup()
})

describe('certdesk trust verify --report', () => {
  it('writes a valid report and HTML page: not-trusted before install (exit 1), trusted after (exit 0)', async () => {
    const before = await cli('trust', 'verify', root.certPath, '--report', 'before.json')
    expect(before.code).toBe(1)
    expect(before.out).toContain(`Report: ${join(certs.dir, 'before.json')} and ${join(certs.dir, 'before.html')}`)
    const first = parseTrustReport(JSON.parse(readFileSync(join(certs.dir, 'before.json'), 'utf8')))
    expect(first.schema).toBe(REPORT_SCHEMA)
    expect(first.root.sha256).toBe(sha256Hex(root.pem).toLowerCase())
    expect(first.root.subject).toContain('CN=Report Root')
    expect(first.verdict).toBe('not-trusted')
    expect(first.stores.map((s) => [s.id, s.status])).toEqual([['linux-system', 'missing']])
    expect(first.stores[0]!.detail).toContain('fix: certdesk trust install ROOT.pem --store linux-system')
    expect(first.machine.os).toBe('linux')
    expect(first.generator).toEqual({ name: 'certdesk', version: expect.stringMatching(/^\d+\.\d+\.\d+/) as string })
    expect(statSync(join(certs.dir, 'before.json')).mode & 0o777).toBe(0o644)

    expect((await cli('trust', 'install', root.certPath)).code).toBe(0)
    const after = await cli('trust', 'verify', root.certPath, '--report', 'after.json', '--json')
    expect(after.code).toBe(0)
    const second = parseTrustReport(JSON.parse(readFileSync(join(certs.dir, 'after.json'), 'utf8')))
    // Every store trusts it, but Node (no NODE_EXTRA_CA_CERTS in this environment) keeps its bundled roots: partly.
    expect(second.runtimes.find((r) => r.runtime === 'node')).toMatchObject({ trusts: false, source: 'bundled roots' })
    expect(second.verdict).toBe('partly')
    expect(second.stores.map((s) => s.status)).toEqual(['trusted'])
    const html = readFileSync(join(certs.dir, 'after.html'), 'utf8')
    expect(html).toContain('<span class="v partly">Partly trusted</span>')
    expect(html).toContain(second.root.sha256)
    const tags = startTags(html)
    expect(tags).not.toContain('script')
    expect(new Set(tags)).toEqual(
      new Set([
        'html',
        'head',
        'meta',
        'title',
        'style',
        'body',
        'h1',
        'span',
        'p',
        'strong',
        'table',
        'tr',
        'td',
        'code',
        'h2',
        'th',
        'br',
      ]),
    )
  })

  it('refuses a report path that is not .json, and a SHA-1 fingerprint of a root no store holds (exit 2)', async () => {
    const wrong = await cli('trust', 'verify', root.certPath, '--report', 'report.txt')
    expect(wrong.code).toBe(2)
    expect(wrong.err).toContain('A trust report is a .json file; ')
    const sha1 = await cli('trust', 'verify', 'ab'.repeat(20), '--report', 'sha1.json')
    expect(sha1.code).toBe(2)
    expect(sha1.err).toContain('A report names the root by SHA-256; a SHA1 fingerprint was given.')
  })
})
