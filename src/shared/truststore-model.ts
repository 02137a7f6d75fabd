/**
 * Trust-store data that crosses IPC: store descriptions, listed roots, per-store outcomes of
 * install/remove, and the helpdesk verification answer. Fingerprints are uppercase hex without
 * separators; SHA-256 of the DER identifies a root, SHA-1 is kept for Windows thumbprints and
 * macOS trust-settings keys.
 */
import { z } from 'zod'
import { CertificateNames, ErrorMessage } from './model'

export const StoreKind = z.enum(['system', 'nss', 'java'])
export type StoreKind = z.infer<typeof StoreKind>

export const StoreDescription = z.object({
  /** Stable id, e.g. `linux-system`, `nss:/home/a/.pki/nssdb`, `darwin-login`, `windows-machine`. */
  id: z.string(),
  kind: StoreKind,
  label: z.string(),
  /** Where it lives: a folder, keychain, database or store path. */
  location: z.string(),
  /** Whether changing it needs an administrator prompt for the current user. */
  needsElevation: z.boolean(),
  /** The tool it uses, e.g. `update-ca-certificates`, `certutil`, `security`, `powershell`. */
  tool: z.string(),
  /** False when the tool is missing: the store can be listed (maybe) but not changed. */
  available: z.boolean(),
  note: z.string().optional(),
})
export type StoreDescription = z.infer<typeof StoreDescription>

/**
 * How a root is named and dated wherever a store lists it: SHA-256 and SHA-1 of its DER, subject and
 * issuer as text, serial, and validity dates.
 */
const CertificateIdentity = z.object({
  sha256: z.string(),
  sha1: z.string(),
  ...CertificateNames.shape,
  serial: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
})

export const TrustState = z.enum(['trusted', 'present-not-trusted'])
export type TrustState = z.infer<typeof TrustState>

export const TrustEntry = CertificateIdentity.extend({
  /** Null only when the tool gives no DER (Windows certutil fallback lists SHA-1 only). */
  sha256: z.string().nullable(),
  trust: TrustState,
  /** `distro`: shipped with the OS; `local`: added on this machine (anchor, keychain, NSS DB, keystore). */
  origin: z.enum(['distro', 'local']),
  /** The anchor file, NSS nickname, keychain or keystore alias holding it. */
  location: z.string().optional(),
  note: z.string().optional(),
})
export type TrustEntry = z.infer<typeof TrustEntry>

export const StoreListing = z.object({
  store: StoreDescription,
  entries: z.array(TrustEntry),
  error: ErrorMessage.optional(),
})
export type StoreListing = z.infer<typeof StoreListing>

export const OutcomeStatus = z.enum(['installed', 'already-present', 'removed', 'not-present', 'failed'])
export type OutcomeStatus = z.infer<typeof OutcomeStatus>

/** Which store a per-store line is about: its id, and its label as the app shows it. */
const StoreLine = z.object({ storeId: z.string(), label: z.string() })

export const StoreOutcome = z.object({
  ...StoreLine.shape,
  status: OutcomeStatus,
  /** What happened; `hint`: what to do about a failure. */
  ...ErrorMessage.shape,
  /** The tool's own stderr/stdout on failure, trimmed. */
  toolOutput: z.string().optional(),
})
export type StoreOutcome = z.infer<typeof StoreOutcome>

export const RootSummary = CertificateIdentity.extend({ selfSigned: z.boolean() })
export type RootSummary = z.infer<typeof RootSummary>

export const ChangeReport = z.object({
  root: RootSummary.optional(),
  fingerprint: z.string(),
  /** Lint findings and other cautions; installing continues despite them. */
  warnings: z.array(z.string()),
  outcomes: z.array(StoreOutcome),
})
export type ChangeReport = z.infer<typeof ChangeReport>

export const FingerprintAlgorithm = z.enum(['sha256', 'sha1', 'md5'])
export type FingerprintAlgorithm = z.infer<typeof FingerprintAlgorithm>

export const VerifyStatus = z.enum(['trusted', 'present-not-trusted', 'missing', 'error'])
export type VerifyStatus = z.infer<typeof VerifyStatus>

export const VerifyLine = z.object({
  ...StoreLine.shape,
  status: VerifyStatus,
  detail: z.string().optional(),
  fix: z.string().optional(),
})
export type VerifyLine = z.infer<typeof VerifyLine>

/** A certificate of a chain a host presented: the facts of a root summary that a chain line shows. */
export const ChainCertificate = RootSummary.pick({ subject: true, issuer: true, sha256: true, sha1: true, notAfter: true })
export type ChainCertificate = z.infer<typeof ChainCertificate>

export const ProbeReport = z.object({
  host: z.string(),
  port: z.number().int(),
  /** Whether the handshake verified against the system store the app manages (the OS store on a real machine). */
  verified: z.boolean(),
  verifyError: z.string().optional(),
  /** Peer chain as sent, leaf first. */
  chain: z.array(ChainCertificate),
  /** The root that signed the last certificate of the chain, when a store holds it. */
  anchor: TrustEntry.pick({ sha256: true, sha1: true, subject: true })
    .extend({ storeIds: z.array(z.string()) })
    .optional(),
})
export type ProbeReport = z.infer<typeof ProbeReport>

export const RuntimeCheck = z.object({
  runtime: z.enum(['node', 'python', 'java', 'git']),
  /** What decides the CA set, e.g. `NODE_EXTRA_CA_CERTS`, `certifi`, `http.sslCAInfo`, `system store`. */
  source: z.string(),
  file: z.string().optional(),
  /** null: could not tell (file unreadable, runtime missing). */
  trusts: z.boolean().nullable(),
  note: z.string(),
  /** The runtime fix (certdesk trust fix-runtimes) made it trust the root, and it no longer does: verify fails. */
  drift: z.boolean().optional(),
  /** Certdesk's runtime fix for this root covers this runtime (the app offers Undo). */
  fixed: z.boolean().optional(),
})
export type RuntimeCheck = z.infer<typeof RuntimeCheck>

export const VerifyReport = z.object({
  /** `note`: invisible characters were dropped from the fingerprint given (say so to the person). */
  fingerprint: z.object({ algorithm: FingerprintAlgorithm, hex: z.string(), note: z.string().optional() }),
  root: RootSummary.optional(),
  /**
   * Set when a certificate (not a fingerprint) was given: whether install would take it. A leaf, an
   * expired root, a key… is refused here already, so the app says so before any confirmation.
   */
  installable: z.object({ ok: z.boolean(), ...ErrorMessage.partial().shape }).optional(),
  lines: z.array(VerifyLine),
  /** True only when every selected store trusts the root (and the host probe, if any, verified). */
  allTrusted: z.boolean(),
  probe: ProbeReport.optional(),
  runtimes: z.array(RuntimeCheck),
})
export type VerifyReport = z.infer<typeof VerifyReport>

export const TrustProgress = z.object({ done: z.number().int(), total: z.number().int(), label: z.string() })
export type TrustProgress = z.infer<typeof TrustProgress>
