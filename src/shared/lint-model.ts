/**
 * What the lint engine and the certificate inspector hand to the renderer (and the CLI's --json).
 * Zod schemas so main validates what crosses IPC and the renderer imports only the types.
 */
import { z } from 'zod'
import { LINT_PROFILES } from './constants'
import { MAX_BASE64_CHARS, PEM_LIMITS } from './pem'

const MIB = PEM_LIMITS.maxBytes / (1024 * 1024)

export const Severity = z.enum(['error', 'warning', 'notice'])
export type Severity = z.infer<typeof Severity>

export { LINT_PROFILES }
export const LintProfileId = z.enum(LINT_PROFILES)
export type LintProfileId = z.infer<typeof LintProfileId>

/** What a rule says wherever it appears: in the rule reference and in each finding. */
const RuleText = z.object({
  severity: Severity,
  /** What it enforces, e.g. "RFC 5280 4.2.1.9" or "OpenSSL X509_V_FLAG_X509_STRICT". */
  source: z.string(),
  title: z.string(),
  /** The exact openssl or Certdesk option that fixes it. */
  fix: z.string(),
})

/** A rule as listed in the app's rule reference. */
export const RuleInfo = RuleText.extend({
  id: z.string(),
  /** Profiles that run it (auto resolves to one of the others). */
  profiles: z.array(LintProfileId),
})
export type RuleInfo = z.infer<typeof RuleInfo>

export const LintFinding = RuleText.extend({
  ruleId: z.string(),
  /** Specific to this certificate: what was found. */
  message: z.string(),
})
export type LintFinding = z.infer<typeof LintFinding>

export const LintCounts = z.object({ error: z.number().int(), warning: z.number().int(), notice: z.number().int() })
export type LintCounts = z.infer<typeof LintCounts>

/** How a lint run ended: its findings counted by severity, and whether none is an error. */
const LintVerdict = z.object({
  counts: LintCounts,
  /** No error-severity findings. */
  passed: z.boolean(),
})

export const LintReport = z.object({
  /** The profile that ran: for `auto`, the one it resolved to. */
  profile: LintProfileId,
  requestedProfile: LintProfileId,
  /** Why auto chose the profile (absent when not auto). */
  reason: z.string().optional(),
  findings: z.array(LintFinding),
  ...LintVerdict.shape,
})
export type LintReport = z.infer<typeof LintReport>

export const ChainCertificateReport = z.object({
  /** Position in the chain as linted (leaf first). */
  index: z.number().int(),
  /** Position in the input, which may have been root first. */
  inputIndex: z.number().int(),
  subject: z.string(),
  sha256: z.string(),
  report: LintReport,
})
export type ChainCertificateReport = z.infer<typeof ChainCertificateReport>

export const ChainReport = z.object({
  profile: LintProfileId,
  /** The input order as detected. */
  order: z.enum(['leaf-first', 'root-first', 'single', 'unordered']),
  certificates: z.array(ChainCertificateReport),
  /** Findings about the chain as a whole: order, linkage, signatures, path length. */
  chainFindings: z.array(LintFinding),
  ...LintVerdict.shape,
})
export type ChainReport = z.infer<typeof ChainReport>

export const Fingerprints = z.object({
  sha256: z.string(),
  sha1: z.string(),
  md5: z.string(),
  /** certmgr / PowerShell Thumbprint: SHA-1, uppercase, no separators. */
  windowsThumbprint: z.string(),
  /** Keychain Access: SHA-256, uppercase pairs separated by spaces. */
  macosSha256: z.string(),
  macosSha1: z.string(),
  /** Cloudflare dashboard / API: SHA-256 as uppercase colon-separated hex. */
  cloudflareSha256: z.string(),
  /** As Cloudflare Access shows a CA: `MD5 Fingerprint=AA:BB:…`. */
  cloudflareMd5: z.string(),
})
export type Fingerprints = z.infer<typeof Fingerprints>

export const NameAttribute = z.object({ type: z.string(), oid: z.string(), value: z.string() })
export type NameAttribute = z.infer<typeof NameAttribute>

export const DistinguishedName = z.object({
  /** RFC 4514 string, e.g. "CN=Example Root, O=Example". */
  text: z.string(),
  attributes: z.array(NameAttribute),
})
export type DistinguishedName = z.infer<typeof DistinguishedName>

export const GeneralNameView = z.object({
  type: z.enum(['dns', 'ip', 'email', 'url', 'dn', 'upn', 'guid', 'other']),
  value: z.string(),
})
export type GeneralNameView = z.infer<typeof GeneralNameView>

/** One extension, decoded where Certdesk knows it, else OID + hex. */
export const ExtensionView = z.object({
  oid: z.string(),
  name: z.string(),
  critical: z.boolean(),
  /** Readable lines, e.g. ["CA:TRUE", "pathlen:0"]. */
  summary: z.array(z.string()),
  /** The raw extnValue, hex. */
  valueHex: z.string(),
  known: z.boolean(),
  /** Set when a known extension failed to decode. */
  error: z.string().optional(),
})
export type ExtensionView = z.infer<typeof ExtensionView>

export const CertificateDetails = z.object({
  version: z.number().int(),
  serialNumberHex: z.string(),
  subject: DistinguishedName,
  issuer: DistinguishedName,
  notBefore: z.iso.datetime(),
  notAfter: z.iso.datetime(),
  selfSigned: z.boolean(),
  isCa: z.boolean(),
  signatureAlgorithm: z.object({ oid: z.string(), name: z.string() }),
  publicKey: z.object({
    algorithm: z.string(),
    algorithmOid: z.string(),
    /** RSA modulus bits or curve size. */
    bits: z.number().int().nullable(),
    curve: z.string().nullable(),
    /** SPKI SHA-256, hex (what HPKP-style pins and Cloudflare key matching use). */
    spkiSha256: z.string(),
  }),
  subjectAltNames: z.array(GeneralNameView),
  keyUsage: z.array(z.string()).nullable(),
  extendedKeyUsage: z.array(z.object({ oid: z.string(), name: z.string() })).nullable(),
  basicConstraints: z.object({ ca: z.boolean(), pathLength: z.number().int().nullable(), critical: z.boolean() }).nullable(),
  subjectKeyIdentifier: z.string().nullable(),
  authorityKeyIdentifier: z.string().nullable(),
  extensions: z.array(ExtensionView),
  fingerprints: Fingerprints,
  pem: z.string(),
})
export type CertificateDetails = z.infer<typeof CertificateDetails>

/** What `inspect` found in a file: certificates decoded, other PKI objects named. */
export const InspectResult = z.object({
  kind: z.enum(['certificate', 'chain', 'csr', 'private-key', 'public-key', 'pkcs12', 'pkcs7', 'crl', 'unknown']),
  /** A sentence saying what the file is. */
  description: z.string(),
  certificates: z.array(CertificateDetails),
})
export type InspectResult = z.infer<typeof InspectResult>

/** A certificate as the renderer hands it over: pasted text, or a file's bytes in base64. */
export const CertificateInput = z
  .object({
    text: z.string().max(PEM_LIMITS.maxBytes, `The pasted text is over ${MIB} MiB; certificates and chains are far smaller.`).optional(),
    base64: z.string().max(MAX_BASE64_CHARS, `The file is over ${MIB} MiB; certificates and chains are far smaller.`).optional(),
    /** The file name, for messages. */
    name: z.string().max(255).optional(),
  })
  .strict()
  .refine((input) => (input.text === undefined) !== (input.base64 === undefined), 'Give either text or base64, not both')
export type CertificateInput = z.infer<typeof CertificateInput>

/** The checker's answer: what the input is, each certificate decoded, and the lint reports. */
export const CertificateCheck = z.object({
  kind: InspectResult.shape.kind,
  description: z.string(),
  certificates: z.array(CertificateDetails),
  /** One per certificate, in chain order when a chain was given. */
  reports: z.array(LintReport),
  chain: ChainReport.nullable(),
})
export type CertificateCheck = z.infer<typeof CertificateCheck>
