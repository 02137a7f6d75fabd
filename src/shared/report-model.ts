/**
 * The machine trust report: one JSON file per machine and root, written by `certdesk trust verify --report`,
 * the app's "Save report" and the fleet kit's verify scripts, read back by fleet coverage. Stable and
 * versioned by `schema`: readers ignore fields they do not know (zod strips them), and refuse a file
 * that names another schema with a clear error. Also the coverage answer computed from a folder of them.
 */
import { z } from 'zod'
import { AppError } from './errors'

export const REPORT_SCHEMA = 'certdesk-trust-report/1'

export const ReportOs = z.enum(['linux', 'macos', 'windows'])
export type ReportOs = z.infer<typeof ReportOs>

export const ReportVerdict = z.enum(['trusted', 'partly', 'not-trusted'])
export type ReportVerdict = z.infer<typeof ReportVerdict>

export const ReportStoreStatus = z.enum(['trusted', 'present-not-trusted', 'missing', 'error'])
export type ReportStoreStatus = z.infer<typeof ReportStoreStatus>

const Words = z.string().max(4000)

export const ReportStore = z.object({
  /** `system`, `nss-user`, `firefox:<profile>`, `java`, `login-keychain`, `LocalMachine\Root`, or Certdesk's own store id. */
  id: z.string().min(1).max(500),
  name: z.string().max(500),
  status: ReportStoreStatus,
  detail: Words.optional(),
})
export type ReportStore = z.infer<typeof ReportStore>

export const ReportRuntime = z.object({
  /** `node`, `python`, `java`, `git` (other names are kept: a newer kit may check more). */
  runtime: z.string().min(1).max(100),
  /** null: could not tell (runtime missing, file unreadable). */
  trusts: z.boolean().nullable(),
  source: z.string().max(500).optional(),
  note: Words.optional(),
})
export type ReportRuntime = z.infer<typeof ReportRuntime>

export const TrustReport = z.object({
  schema: z.literal(REPORT_SCHEMA),
  generatedAt: z.iso.datetime({ offset: true }),
  generator: z.object({ name: z.string().min(1).max(200), version: z.string().max(100) }),
  machine: z.object({ name: z.string().min(1).max(500), os: ReportOs, osVersion: z.string().max(500) }),
  root: z.object({
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be the SHA-256 of the root’s DER: 64 lowercase hex digits'),
    subject: z.string().max(2000).nullable(),
  }),
  verdict: ReportVerdict,
  stores: z.array(ReportStore).max(500),
  runtimes: z.array(ReportRuntime).max(100),
  handshake: z.object({ target: z.string().max(1000), ok: z.boolean(), detail: Words.optional() }).nullable(),
})
export type TrustReport = z.infer<typeof TrustReport>

/** Why a report file was not counted: its name (relative to the folder) and the reason in words. */
export const ReportProblem = z.object({ file: z.string(), reason: z.string() })
export type ReportProblem = z.infer<typeof ReportProblem>

/** Trusted machines of a group (an OS, a store) over the machines in it. */
export const CoverageCount = z.object({ key: z.string(), label: z.string(), trusted: z.number().int(), total: z.number().int() })
export type CoverageCount = z.infer<typeof CoverageCount>

/** A machine whose latest report does not say `trusted`, and why (the stores and runtimes that refuse). */
export const FailingMachine = z.object({
  machine: z.string(),
  os: ReportOs,
  verdict: ReportVerdict,
  generatedAt: z.string(),
  file: z.string(),
  reasons: z.array(z.string()),
})
export type FailingMachine = z.infer<typeof FailingMachine>

export const RootCoverage = z.object({
  sha256: z.string(),
  subject: z.string().nullable(),
  /** Machines whose latest report for this root says `trusted`, over every machine that reported on it. */
  trusted: z.number().int(),
  total: z.number().int(),
  byOs: z.array(CoverageCount),
  byStore: z.array(CoverageCount),
  failing: z.array(FailingMachine),
})
export type RootCoverage = z.infer<typeof RootCoverage>

export const Coverage = z.object({
  folder: z.string(),
  /** Report files read (valid or not). */
  files: z.number().int(),
  /** Valid reports superseded by a later report of the same machine and root. */
  superseded: z.number().int(),
  roots: z.array(RootCoverage),
  problems: z.array(ReportProblem),
})
export type Coverage = z.infer<typeof Coverage>

/**
 * A report file's parsed JSON, validated: a file naming another schema (or none) is refused by name, and each
 * invalid field is said with its path. Throws AppError('bad_input').
 */
export function parseTrustReport(json: unknown): TrustReport {
  const schema = typeof json === 'object' && json !== null ? (json as { schema?: unknown }).schema : undefined
  if (schema !== REPORT_SCHEMA) {
    const named = typeof schema === 'string' ? `schema "${schema.slice(0, 80)}"` : 'no "schema" field'
    throw new AppError('bad_input', `Not a Certdesk trust report: it has ${named}, expected "${REPORT_SCHEMA}".`, {
      hint: 'Give the JSON a verify script or `certdesk trust verify --report` wrote.',
    })
  }
  const result = TrustReport.safeParse(json)
  if (result.success) return result.data
  const issues = result.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
  throw new AppError('bad_input', `Invalid trust report: ${issues.join('; ')}.`, {
    hint: `See the "${REPORT_SCHEMA}" schema in the README.`,
  })
}
