/**
 * Fleet coverage from a folder of trust reports (MDM script output): per root, how many machines trust it,
 * per OS and per store, and which machines fail and why. The latest report of a machine (by its time) wins;
 * a file that is not a valid report is listed with the reason and never stops the import.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { AppError } from '../../shared/errors'
import {
  parseTrustReport,
  type Coverage,
  type CoverageCount,
  type FailingMachine,
  type ReportProblem,
  type RootCoverage,
  type TrustReport,
} from '../../shared/report-model'
import { parseFingerprint } from '../certs/fingerprint'

/** A report is a few kilobytes; a bigger file is not one (and is not read whole). */
export const MAX_REPORT_BYTES = 1024 * 1024
/** Enough for a large fleet's folder; more files are listed as problems, not read. */
export const MAX_REPORT_FILES = 50_000

export interface ReadReport {
  file: string
  report: TrustReport
}

/** Every `.json` file under `folder` (subfolders too), parsed; the others listed as problems. */
export function readReportFolder(folder: string): { reports: ReadReport[]; problems: ReportProblem[]; files: number } {
  let names: string[]
  try {
    if (!statSync(folder).isDirectory()) throw new AppError('bad_input', `${folder} is a file, not a folder of reports.`)
    names = readdirSync(folder, { recursive: true, encoding: 'utf8' })
  } catch (error) {
    if (error instanceof AppError) throw error
    throw new AppError('bad_input', `The folder ${folder} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, {
      hint: 'Choose the folder the verify scripts wrote their reports to.',
    })
  }
  const files = names.filter((n) => n.toLowerCase().endsWith('.json')).sort()
  const reports: ReadReport[] = []
  const problems: ReportProblem[] = []
  for (const [index, name] of files.entries()) {
    const path = join(folder, name)
    const file = relative(folder, path)
    if (index >= MAX_REPORT_FILES) {
      problems.push({ file, reason: `not read: more than ${MAX_REPORT_FILES} files in the folder` })
      continue
    }
    try {
      const stat = statSync(path)
      if (!stat.isFile()) continue
      if (stat.size > MAX_REPORT_BYTES) throw new AppError('bad_input', `Too big for a trust report (${stat.size} bytes).`)
      let json: unknown
      try {
        json = JSON.parse(readFileSync(path, 'utf8'))
      } catch (error) {
        throw new AppError('bad_input', `Not valid JSON (${(error as Error).message}).`)
      }
      reports.push({ file, report: parseTrustReport(json) })
    } catch (error) {
      const reason = error instanceof AppError ? error.message : `Cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`
      problems.push({ file, reason })
    }
  }
  return { reports, problems, files: files.length }
}

/** Why a machine does not fully trust the root, one phrase per store, runtime and handshake that refuses. */
export function failureReasons(report: TrustReport): string[] {
  const reasons = report.stores
    .filter((s) => s.status !== 'trusted')
    .map((s) => `${s.name || s.id}: ${s.status}${s.detail ? ` (${s.detail})` : ''}`)
  for (const r of report.runtimes) if (r.trusts === false) reasons.push(`${r.runtime} does not trust it${r.note ? ` (${r.note})` : ''}`)
  if (report.handshake && !report.handshake.ok) {
    reasons.push(`handshake with ${report.handshake.target} failed${report.handshake.detail ? ` (${report.handshake.detail})` : ''}`)
  }
  if (!reasons.length && report.verdict !== 'trusted') reasons.push(`reported as ${report.verdict}`)
  return reasons
}

const OS_LABELS: Record<TrustReport['machine']['os'], string> = { linux: 'Linux', macos: 'macOS', windows: 'Windows' }

function count(groups: Map<string, CoverageCount>, key: string, label: string, trusted: boolean): void {
  const group = groups.get(key) ?? { key, label, trusted: 0, total: 0 }
  group.total++
  if (trusted) group.trusted++
  groups.set(key, group)
}

const byKey = (a: CoverageCount, b: CoverageCount) => a.key.localeCompare(b.key)

/** The root's SHA-256 as reports write it (64 lowercase hex), from any spelling of it. */
export function reportSha256(text: string): string {
  const fp = parseFingerprint(text)
  if (fp.algorithm !== 'sha256')
    throw new AppError('bad_input', `Reports name a root by SHA-256; "${text}" is a ${fp.algorithm.toUpperCase()}.`)
  return fp.hex.toLowerCase()
}

/** Coverage of each root the reports name (or only `root`), the latest report per machine and root counting. */
export function computeCoverage(read: ReturnType<typeof readReportFolder>, folder: string, root?: string): Coverage {
  const wanted = root === undefined ? undefined : reportSha256(root)
  const latest = new Map<string, ReadReport>()
  let valid = 0
  for (const r of read.reports) {
    if (wanted && r.report.root.sha256 !== wanted) continue
    valid++
    const key = `${r.report.root.sha256}\0${r.report.machine.name.toLowerCase()}`
    const seen = latest.get(key)
    if (!seen || Date.parse(r.report.generatedAt) > Date.parse(seen.report.generatedAt)) latest.set(key, r)
  }
  const perRoot = new Map<string, ReadReport[]>()
  for (const r of latest.values()) perRoot.set(r.report.root.sha256, [...(perRoot.get(r.report.root.sha256) ?? []), r])
  const roots: RootCoverage[] = [...perRoot.entries()].map(([sha256, machines]) => {
    const byOs = new Map<string, CoverageCount>()
    const byStore = new Map<string, CoverageCount>()
    const failing: FailingMachine[] = []
    let trusted = 0
    for (const { file, report } of machines) {
      const ok = report.verdict === 'trusted'
      if (ok) trusted++
      count(byOs, report.machine.os, OS_LABELS[report.machine.os], ok)
      for (const s of report.stores) count(byStore, s.id, s.name || s.id, s.status === 'trusted')
      if (!ok) {
        const { name: machine, os } = report.machine
        failing.push({ machine, os, verdict: report.verdict, generatedAt: report.generatedAt, file, reasons: failureReasons(report) })
      }
    }
    failing.sort((a, b) => a.machine.localeCompare(b.machine))
    const subject = machines.map((m) => m.report.root.subject).find((s) => s) ?? null
    return {
      sha256,
      subject,
      trusted,
      total: machines.length,
      byOs: [...byOs.values()].sort(byKey),
      byStore: [...byStore.values()].sort(byKey),
      failing,
    }
  })
  roots.sort((a, b) => b.total - a.total || a.sha256.localeCompare(b.sha256))
  return { folder, files: read.files, superseded: valid - latest.size, roots, problems: read.problems }
}

/** Read a folder of reports and compute its coverage. */
export const coverageOfFolder = (folder: string, root?: string): Coverage => computeCoverage(readReportFolder(folder), folder, root)
