/**
 * Profiles choose which rules run and whether the certificate must be a CA. `auto` resolves to one
 * of the concrete profiles from the certificate itself. `python-strict` is what OpenSSL checks on each
 * certificate under X509_V_FLAG_X509_STRICT (the strict-only rules keep their names), all as errors;
 * on a chain, path validation adds the rest of OpenSSL's verdict.
 */
import type { LintProfileId, Severity } from '../../shared/lint-model'
import type { LintContext } from './context'
import { EKU } from './extensions'
import type { Rule } from './rule'
import {
  ALL_CERT_RULES,
  caRules,
  clientRules,
  cloudflareRules,
  keyRules,
  nameRules,
  serverRules,
  signatureRules,
  structureRules,
  validityRules,
} from './rules'

export type ConcreteProfileId = Exclude<LintProfileId, 'auto'>

export interface Profile {
  id: ConcreteProfileId
  title: string
  expectCa: boolean
  rules: Rule[]
  /** Forces every finding to this severity (python-strict: anything OpenSSL rejects is an error). */
  severity?: Severity
}

const byId = new Map(ALL_CERT_RULES.map((r) => [r.id, r]))
function pick(...ids: string[]): Rule[] {
  return ids.map((id) => {
    const rule = byId.get(id)
    if (!rule) throw new Error(`profile refers to unknown rule ${id}`)
    return rule
  })
}

const COMMON = [...structureRules, ...nameRules, ...keyRules, ...signatureRules, ...validityRules]
/** CA-structure rules that also catch end-entity certificates pretending to be CAs. */
const LEAF_STRUCTURE = pick(
  'cert.key_usage.key_cert_sign_without_ca',
  'cert.basic_constraints.path_len_without_ca',
  'cert.basic_constraints.path_len_without_key_cert_sign',
  'cert.basic_constraints.negative_path_len',
  'cert.ski.critical',
  'cert.aki.missing',
  'cert.aki.no_key_identifier',
  'cert.aki.critical',
  'ca.name_constraints.on_non_ca',
)

/** OpenSSL 3 check_chain_extensions() under X509_V_FLAG_X509_STRICT, one rule per error code. */
export const PYTHON_STRICT_RULE_IDS = [
  'ca.basic_constraints.not_critical',
  'ca.key_usage.missing',
  'ca.ski.missing',
  'cert.aki.missing',
  'cert.aki.no_key_identifier',
  'cert.aki.critical',
  'cert.ski.critical',
  'cert.basic_constraints.path_len_without_ca',
  'cert.basic_constraints.path_len_without_key_cert_sign',
  'cert.key_usage.key_cert_sign_without_ca',
  'cert.issuer.empty',
  'cert.subject.empty_on_ca',
  'cert.subject.empty_without_san',
  'cert.san.not_critical_with_empty_subject',
  'cert.san.empty',
  'cert.signature_algorithm.mismatch',
  'cert.version.extensions_require_v3',
  'strict.ca_without_basic_constraints',
  'key.ec.explicit_parameters',
] as const

/**
 * What OpenSSL checks on every certificate of a path in any mode, so Python's verdict includes it: the
 * validity period, critical extensions it does not process, extensions it cannot decode.
 */
export const OPENSSL_VERIFY_RULE_IDS = [
  'validity.expired',
  'validity.not_yet_valid',
  'cert.extensions.unknown_critical',
  'openssl.extension.invalid',
] as const

const strictRules = pick(...PYTHON_STRICT_RULE_IDS)
const unique = (rules: Rule[]): Rule[] => [...new Set(rules)]

export const PROFILES: Record<ConcreteProfileId, Profile> = {
  'root-ca': {
    id: 'root-ca',
    title: 'Root CA',
    expectCa: true,
    rules: unique([...COMMON, ...caRules, ...pick('profile.root.not_self_signed')]),
  },
  'intermediate-ca': {
    id: 'intermediate-ca',
    title: 'Intermediate CA',
    expectCa: true,
    rules: unique([...COMMON, ...caRules, ...pick('profile.intermediate.self_signed')]),
  },
  client: {
    id: 'client',
    title: 'mTLS client certificate',
    expectCa: false,
    rules: unique([...COMMON, ...LEAF_STRUCTURE, ...clientRules]),
  },
  server: { id: 'server', title: 'TLS server certificate', expectCa: false, rules: unique([...COMMON, ...LEAF_STRUCTURE, ...serverRules]) },
  'cloudflare-upload': {
    id: 'cloudflare-upload',
    title: 'Cloudflare CA upload (Access, BYO CA, Gateway)',
    expectCa: true,
    rules: unique([...COMMON, ...caRules, ...pick('cloudflare.not_ca', 'cloudflare.unsupported_algorithm')]),
  },
  'gateway-byopki': {
    id: 'gateway-byopki',
    title: 'Cloudflare Gateway custom root (BYOPKI)',
    expectCa: true,
    rules: unique([...COMMON, ...caRules, ...strictRules, ...cloudflareRules]),
  },
  'python-strict': {
    id: 'python-strict',
    title: 'Python 3.13 / OpenSSL X509_STRICT',
    expectCa: false,
    rules: [...strictRules, ...pick(...OPENSSL_VERIFY_RULE_IDS)],
    severity: 'error',
  },
}

/** The finding a leaf profile (server, client) gives a CA certificate, instead of failing unrelated leaf checks. */
export const LEAF_IS_CA: Record<'server' | 'client', Rule> = {
  server: pick('leaf.server.is_ca')[0]!,
  client: pick('leaf.client.is_ca')[0]!,
}

/** What `auto` picks, and why. Uses the facts the context already decoded. */
export function resolveAuto(ctx: Pick<LintContext, 'isCa' | 'bc' | 'selfIssued' | 'eku' | 'sanCount' | 'cert' | 'keyUsage'>): {
  id: ConcreteProfileId
  reason: string
} {
  const legacyRoot = ctx.bc === null && ctx.cert.version === 1 && ctx.selfIssued
  if (ctx.isCa || legacyRoot) {
    return ctx.selfIssued
      ? { id: 'root-ca', reason: legacyRoot ? 'a v1 self-signed certificate (a legacy root)' : 'a self-signed CA certificate' }
      : { id: 'intermediate-ca', reason: 'a CA certificate signed by another CA' }
  }
  if (ctx.eku?.includes(EKU.serverAuth)) return { id: 'server', reason: 'an end-entity certificate whose EKU includes serverAuth' }
  if (ctx.eku?.includes(EKU.clientAuth)) return { id: 'client', reason: 'an end-entity certificate whose EKU includes clientAuth only' }
  if (ctx.eku === null && ctx.sanCount) return { id: 'server', reason: 'an end-entity certificate with subjectAltName and no EKU' }
  return { id: 'client', reason: 'an end-entity certificate without serverAuth' }
}

export function profilesOfRule(ruleId: string): ConcreteProfileId[] {
  return (Object.values(PROFILES) as Profile[]).filter((p) => p.rules.some((r) => r.id === ruleId)).map((p) => p.id)
}
