/**
 * `rules:*`: a zone's WAF custom rules and whether they enforce mTLS (Cloudflare docs: "Configure mTLS"). Hostname
 * associations only ask for a client certificate; a custom rule blocks the requests without a valid one.
 */
import { z } from 'zod'
import { MtlsCertificateRef } from '../cloudflare-model'
import { ErrorMessage } from '../model'
import { ProbeOutcome, ProbeResult } from '../probe-model'
import { Hostname, Id, ProfileId, req, Zone } from './fields'
import { KeyId } from './keys'

/** A rule as the rulesets API returns it: the fields Certdesk reads, and any others kept as read. */
export const CustomRuleRecord = z
  .object({
    id: z.string().optional(),
    ref: z.string().optional(),
    description: z.string().optional(),
    expression: z.string(),
    action: z.string(),
    enabled: z.boolean().optional(),
  })
  .catchall(z.unknown())

export const CustomRuleset = z.object({
  id: z.string().optional(),
  version: z.string(),
  rules: z.array(CustomRuleRecord),
  exists: z.boolean(),
})

export const DoctorFinding = z.object({
  kind: z.enum(['not_enforced', 'revocation_ignored', 'never_matches', 'unassociated_hostname', 'not_evaluated']),
  hostname: z.string().optional(),
  rule: z.string().optional(),
  ruleId: z.string().optional(),
  risk: z.string(),
  fix: z.string(),
  expression: z.string().optional(),
})

export const HostnameVerdict = z.object({
  hostname: z.string(),
  /** The BYO CA (account mTLS certificate id) the hostname is associated with; absent for the zone's managed CA. */
  ca: z.string().optional(),
  blockingRule: z.string().optional(),
  blocksMissing: z.boolean(),
  blocksUnverified: z.boolean(),
  blocksRevoked: z.boolean(),
  blocksValid: z.boolean(),
})

export const DoctorReport = z.object({
  zone: z.string().optional(),
  hostnames: z.array(HostnameVerdict),
  findings: z.array(DoctorFinding),
})

/** One zone of a profile-wide doctor: its report, or why it could not be checked (then it counts as not enforced). */
export const ZoneDoctorReport = DoctorReport.extend({
  zoneId: z.string(),
  error: z.object({ code: z.string(), ...ErrorMessage.shape }).optional(),
})

/** The doctor over the zones of a profile, with the BYO CAs it found in their accounts. */
export const ProfileDoctorReport = z.object({
  /** True when every zone was checked and none has a finding. */
  enforced: z.boolean(),
  /** The account mTLS CAs whose hostname associations were read beside the managed CA's. */
  cas: z.array(MtlsCertificateRef.extend({ accountId: z.string() })),
  /** What could not be looked at (an account whose CAs could not be listed), in the user's words. */
  notes: z.array(z.string()),
  zones: z.array(ZoneDoctorReport),
})

/**
 * Test access from the app: main reads the vault key's certificate and key itself (no key crosses IPC). With a Sandbox
 * profile, a hostname of the Sandbox's zones is sent to its edge (as curl's --resolve) and the Edge CA trusted.
 */
export const ProbeRequest = req({
  profileId: ProfileId.optional(),
  url: z.string().trim().min(1).max(2048),
  keyId: KeyId.optional(),
  /** Send only the request without a certificate. */
  noCert: z.boolean().optional(),
  expect: ProbeOutcome.optional(),
}).refine((r) => !(r.noCert === true && r.keyId !== undefined), {
  message: 'Choose a vault key or "no certificate", not both.',
})

/** What Enforce writes: the recommended rule for these hostnames (and paths), or the revocation clause added to `ruleId`. */
const EnforceInput = {
  ...Zone,
  hostnames: z.array(Hostname).min(1).max(1000),
  paths: z.array(z.string().min(1).max(1024)).max(100).optional(),
  ruleId: Id.optional(),
}

export const EnforcePlan = z.object({
  version: z.string(),
  before: CustomRuleRecord.optional(),
  after: CustomRuleRecord,
})

export const rulesContract = {
  'rules:get': { request: req({ ...Zone }), response: CustomRuleset },
  /** The managed CA's associations, and those of the BYO CAs named in `caIds`, against the zone's rules. */
  'rules:doctor': { request: req({ ...Zone, caIds: z.array(Id).max(100).optional() }), response: DoctorReport },
  /** The doctor over every zone of the profile (or those named), the BYO CAs of their accounts found without naming them. */
  'rules:doctorProfile': {
    request: req({ profileId: ProfileId, zoneIds: z.array(Id).min(1).max(1000).optional() }),
    response: ProfileDoctorReport,
  },
  'rules:planEnforce': { request: req(EnforceInput), response: EnforcePlan },
  /** Writes the plan made from `version`; refused (`conflict`, nothing written) when the rules changed since. */
  'rules:enforce': { request: req({ ...EnforceInput, version: z.string().min(1).max(32) }), response: CustomRuleset },
  'rules:probe': { request: ProbeRequest, response: ProbeResult },
} as const
