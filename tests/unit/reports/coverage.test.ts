/**
 * Fleet coverage from a folder of trust reports: 200 generated reports (some failing, some superseded by a later
 * report of the same machine, bad files beside them) import in under a second with exact numbers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { coverageOfFolder } from '../../../src/main/reports/coverage'
import { runCaptured } from '../../support/cli'
import { fleetReport, writeFleet } from '../../support/reports'

const SHA = 'c0ffee'.repeat(10) + 'c0de'
const OTHER = 'ab'.repeat(32)
let dir: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'certdesk-coverage-'))
  // 180 machines; every 10th (18: pc-000, pc-010 … pc-170) fails. 6 per OS (0, 30 … 150 linux; 10, 40 … 160 macOS; 20 … 170 Windows).
  writeFleet(dir, SHA, 180, (i) => i % 10 === 0)
  // 20 more reports: 10 machines that failed report again later, now trusted; 10 trusted machines report again, older (ignored).
  for (let k = 0; k < 10; k++) {
    const fixed = { name: `pc-${String(k * 10).padStart(3, '0')}`, os: (['linux', 'macos', 'windows'] as const)[k % 3]!, sha256: SHA }
    writeFileSync(join(dir, `later-${k}.json`), JSON.stringify(fleetReport({ ...fixed, trusted: true, at: '2026-11-30T11:00:00Z' })))
    const stale = { name: `PC-${String(k * 10 + 1).padStart(3, '0')}`, os: (['macos', 'windows', 'linux'] as const)[k % 3]!, sha256: SHA }
    writeFileSync(join(dir, `stale-${k}.json`), JSON.stringify(fleetReport({ ...stale, trusted: false, at: '2026-11-29T10:00:00Z' })))
  }
  writeFileSync(join(dir, 'broken.json'), '{"schema": "certdesk-trust-report/1", ')
  writeFileSync(
    join(dir, 'future.json'),
    JSON.stringify({
      ...fleetReport({ name: 'x', os: 'linux', sha256: SHA, trusted: true, at: '2026-11-30T10:00:00Z' }),
      schema: 'certdesk-trust-report/2',
    }),
  )
  writeFileSync(
    join(dir, 'bad-root.json'),
    JSON.stringify(fleetReport({ name: 'y', os: 'linux', sha256: 'nothex', trusted: true, at: '2026-11-30T10:00:00Z' })),
  )
  writeFileSync(join(dir, 'notes.txt'), 'not a report, not .json: not read')
  writeFileSync(
    join(dir, 'other-root.json'),
    JSON.stringify(fleetReport({ name: 'pc-001', os: 'linux', sha256: OTHER, trusted: true, at: '2026-11-30T10:00:00Z' })),
  )
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('fleet coverage', () => {
  it('imports 200 reports in under 1 s: latest per machine wins, per OS and store, failing machines with reasons', () => {
    const started = performance.now()
    const coverage = coverageOfFolder(dir)
    const ms = performance.now() - started
    console.info(`coverage of ${coverage.files} files (200 reports for the root): ${ms.toFixed(1)} ms`)
    expect(ms).toBeLessThan(1000)
    expect(coverage.files).toBe(204)
    expect(coverage.superseded).toBe(20)
    expect(coverage.problems.map((p) => p.file)).toEqual(['bad-root.json', 'broken.json', 'future.json'])
    expect(coverage.problems[0]!.reason).toMatch(/^Invalid trust report: root\.sha256: must be the SHA-256/)
    expect(coverage.problems[1]!.reason).toMatch(/^Not valid JSON \(/)
    expect(coverage.problems[2]!.reason).toBe(
      'Not a Certdesk trust report: it has schema "certdesk-trust-report/2", expected "certdesk-trust-report/1".',
    )
    const [root, other] = coverage.roots
    expect(other).toMatchObject({ sha256: OTHER, trusted: 1, total: 1 })
    // 180 machines; 18 failed, 10 of them fixed later (pc-000 … pc-090): 8 still fail.
    expect(root).toMatchObject({ sha256: SHA, subject: 'CN=Fleet Root 2027', trusted: 172, total: 180 })
    expect(root!.failing.map((f) => f.machine)).toEqual(['pc-100', 'pc-110', 'pc-120', 'pc-130', 'pc-140', 'pc-150', 'pc-160', 'pc-170'])
    expect(root!.failing[0]).toMatchObject({ os: 'macos', verdict: 'not-trusted', file: join('macos', 'pc-100.json') })
    expect(root!.failing[0]!.reasons).toEqual(['System keychain: missing (the root is not installed)'])
    expect(root!.failing[2]).toMatchObject({ machine: 'pc-120', os: 'linux', verdict: 'partly' })
    expect(root!.byOs).toEqual([
      { key: 'linux', label: 'Linux', trusted: 58, total: 60 },
      { key: 'macos', label: 'macOS', trusted: 57, total: 60 },
      { key: 'windows', label: 'Windows', trusted: 57, total: 60 },
    ])
    expect(root!.byStore).toEqual([
      { key: 'LocalMachine\\Root', label: 'Trusted Root Certification Authorities', trusted: 57, total: 60 },
      { key: 'nss-user', label: 'NSS user database', trusted: 60, total: 60 },
      { key: 'system', label: 'System (Debian/Ubuntu)', trusted: 58, total: 60 },
      { key: 'system-keychain', label: 'System keychain', trusted: 57, total: 60 },
    ])
  })

  it('certdesk fleet coverage: --root in any spelling, --min as a check, --json; a folder that is not one exits 2', async () => {
    const io = { env: {}, cwd: dir }
    const colon = SHA.toUpperCase().match(/../g)!.join(':')
    const json = await runCaptured(['fleet', 'coverage', '.', '--root', colon, '--json'], io)
    expect(json.code, json.err).toBe(0)
    const parsed = JSON.parse(json.out) as { roots: Array<{ sha256: string; trusted: number; total: number }> }
    expect(parsed.roots.map((r) => [r.sha256, r.trusted, r.total])).toEqual([[SHA, 172, 180]])
    const human = await runCaptured(['fleet', 'coverage', dir, '--root', SHA, '--min', '95'], io)
    expect(human.code).toBe(0)
    expect(human.out).toContain('172/180 machines trust it (95.5 %)')
    expect(human.out).toContain(
      '  ✗ pc-120 (linux, partly, 2026-11-30T10:00:00Z): System (Debian/Ubuntu): missing (the root is not installed)',
    )
    expect(human.out).toContain('  future.json: Not a Certdesk trust report')
    expect((await runCaptured(['fleet', 'coverage', dir, '--root', SHA, '--min', '96'], io)).code).toBe(1)
    const none = await runCaptured(['fleet', 'coverage', dir, '--root', 'ef'.repeat(32)], io)
    expect([none.code, none.err]).toEqual([1, `No valid report names the root ${'ef'.repeat(32)}.\n`])
    const missing = await runCaptured(['fleet', 'coverage', 'no-such-folder'], io)
    expect(missing.code).toBe(2)
    expect(missing.err).toContain(`The folder ${join(dir, 'no-such-folder')} cannot be read (ENOENT).`)
  })
})
