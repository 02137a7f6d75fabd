/**
 * `rules:*`: a zone's WAF custom rules and whether they enforce mTLS (Cloudflare docs: "Configure mTLS"). Hostname
 * associations only ask for a client certificate; a custom rule blocks the requests without a valid one.
 */
import { z } from 'zod'
import { Hostname, Id, req, Zone } from './fields'

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
  risk: z.string(),
  fix: z.string(),
  expression: z.string().optional(),
})

export const HostnameVerdict = z.object({
  hostname: z.string(),
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
  'rules:planEnforce': { request: req(EnforceInput), response: EnforcePlan },
  /** Writes the plan made from `version`; refused (`conflict`, nothing written) when the rules changed since. */
  'rules:enforce': { request: req({ ...EnforceInput, version: z.string().min(1).max(32) }), response: CustomRuleset },
} as const
