/**
 * The machine trust report (`certdesk-trust-report/1`, shared/report-model.ts) built from Certdesk's own verify
 * answer: this machine's name and OS, each store's and runtime's verdict, the handshake, Certdesk's version.
 */
import { readFileSync } from 'node:fs'
import { hostname, release, version } from 'node:os'
import { REPORT_SCHEMA, TrustReport, type ReportOs, type ReportVerdict } from '../../shared/report-model'
import type { VerifyReport } from '../../shared/truststore-model'
import { trustVerdict } from '../../shared/trust-verdict'
import { AppError } from '../../shared/errors'
import { parseOsRelease } from '../truststore/linux-distro'

export interface MachineFacts {
  name: string
  os: ReportOs
  osVersion: string
}

const OS_OF: Partial<Record<NodeJS.Platform, ReportOs>> = { linux: 'linux', darwin: 'macos', win32: 'windows' }

/** This machine: its host name, OS family and version ("Debian GNU/Linux 13 (trixie)", the kernel elsewhere). */
export function thisMachine(platform: NodeJS.Platform = process.platform): MachineFacts {
  const os = OS_OF[platform]
  if (!os) throw new AppError('unsupported', `Trust reports cover Linux, macOS and Windows, not ${platform}.`)
  let osVersion = `${version()} ${release()}`.trim()
  if (os === 'linux') {
    try {
      const fields = parseOsRelease(readFileSync('/etc/os-release', 'utf8'))
      osVersion = fields['PRETTY_NAME'] ?? osVersion
    } catch {
      // No os-release: the kernel's words stay.
    }
  }
  return { name: hostname() || 'unknown', os, osVersion }
}

const VERDICTS: Record<ReturnType<typeof trustVerdict>['kind'], ReportVerdict> = {
  trusted: 'trusted',
  partly: 'partly',
  'not-installed': 'not-trusted',
  unknown: 'not-trusted',
}

/** The SHA-256 a report names the root by: a certificate's, or the fingerprint given when it is one. */
function rootSha256(verify: VerifyReport): string {
  if (verify.root) return verify.root.sha256.toLowerCase()
  if (verify.fingerprint.algorithm === 'sha256') return verify.fingerprint.hex.toLowerCase()
  throw new AppError(
    'bad_input',
    `A report names the root by SHA-256; a ${verify.fingerprint.algorithm.toUpperCase()} fingerprint was given.`,
    {
      hint: 'Give the root certificate file or its SHA-256 fingerprint.',
    },
  )
}

export function buildTrustReport(
  verify: VerifyReport,
  options: { machine: MachineFacts; generator: { name: string; version: string }; now?: Date },
): TrustReport {
  const probe = verify.probe
  const handshake = probe
    ? {
        target: `https://${probe.host}:${probe.port}`,
        ok: probe.verified,
        detail: probe.verified
          ? `verified${probe.anchor ? ` up to ${probe.anchor.subject}` : ''}`
          : (probe.verifyError ?? 'the handshake did not verify'),
      }
    : null
  return TrustReport.parse({
    schema: REPORT_SCHEMA,
    generatedAt: (options.now ?? new Date()).toISOString(),
    generator: options.generator,
    machine: options.machine,
    root: { sha256: rootSha256(verify), subject: verify.root?.subject ?? null },
    verdict: VERDICTS[trustVerdict(verify).kind],
    stores: verify.lines.map((l) => ({
      id: l.storeId,
      name: l.label,
      status: l.status,
      detail: [l.detail, l.fix && `fix: ${l.fix}`].filter(Boolean).join(' — '),
    })),
    runtimes: verify.runtimes.map((r) => ({
      runtime: r.runtime,
      trusts: r.trusts,
      source: r.source,
      note: r.file ? `${r.note} (${r.file})` : r.note,
    })),
    handshake,
  })
}

/** The report as its file holds it: stable key order, two-space indent, a final newline. */
export const reportJson = (report: TrustReport): string => `${JSON.stringify(report, null, 2)}\n`
