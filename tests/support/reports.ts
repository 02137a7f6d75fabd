/** Machine trust reports for tests: one per machine, as the kit's verify scripts and `trust verify --report` write them. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { REPORT_SCHEMA, type ReportOs, type TrustReport } from '../../src/shared/report-model'

const STORES: Record<ReportOs, Array<{ id: string; name: string }>> = {
  linux: [
    { id: 'system', name: 'System (Debian/Ubuntu)' },
    { id: 'nss-user', name: 'NSS user database' },
  ],
  macos: [{ id: 'system-keychain', name: 'System keychain' }],
  windows: [{ id: 'LocalMachine\\Root', name: 'Trusted Root Certification Authorities' }],
}

export interface FleetMachine {
  name: string
  os: ReportOs
  sha256: string
  /** Every store trusts the root; else the first store misses it. */
  trusted: boolean
  at: string
}

export function fleetReport(m: FleetMachine): TrustReport {
  const stores = STORES[m.os].map((s, i) => ({
    ...s,
    status: m.trusted || i > 0 ? ('trusted' as const) : ('missing' as const),
    detail: m.trusted || i > 0 ? 'anchor present' : 'the root is not installed',
  }))
  return {
    schema: REPORT_SCHEMA,
    generatedAt: m.at,
    generator: { name: `certdesk-kit/verify-${m.os}`, version: '1.0.0' },
    machine: { name: m.name, os: m.os, osVersion: m.os === 'linux' ? 'Debian 13' : m.os === 'macos' ? '15.1' : '11 24H2' },
    root: { sha256: m.sha256, subject: 'CN=Fleet Root 2027' },
    verdict: m.trusted ? 'trusted' : stores.some((s) => s.status === 'trusted') ? 'partly' : 'not-trusted',
    stores,
    runtimes: [],
    handshake: null,
  }
}

export const FLEET_OSES: readonly ReportOs[] = ['linux', 'macos', 'windows']

/**
 * `count` machines (`pc-000`…), OS by index (linux, macos, windows, …), the root trusted unless `failing(i)`;
 * each written to `dir/<name>.json` (a subfolder per OS, as MDM output often is). Returns the machines.
 */
export function writeFleet(dir: string, sha256: string, count: number, failing: (i: number) => boolean, at = '2026-11-30T10:00:00Z') {
  const machines: FleetMachine[] = []
  for (let i = 0; i < count; i++) {
    const m = { name: `pc-${String(i).padStart(3, '0')}`, os: FLEET_OSES[i % 3]!, sha256, trusted: !failing(i), at }
    mkdirSync(join(dir, m.os), { recursive: true })
    writeFileSync(join(dir, m.os, `${m.name}.json`), JSON.stringify(fleetReport(m), null, 2))
    machines.push(m)
  }
  return machines
}
