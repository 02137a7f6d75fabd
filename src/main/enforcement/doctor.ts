// The mTLS doctor: does a zone's WAF custom rules actually block what its hostname associations ask for? Pure: it
// decides "blocks X on host H" by running the zone's rules (evaluateRules) against representative requests — no
// certificate, an unverified one, a verified but revoked one, a valid one — never by reading the text of a rule.
import { CLIENT_AUTH_PREFIX, type ClientAuthFields, type EdgeRequest, NO_CLIENT_CERTIFICATE, SUPPORTED_FIELDS } from './fields'
import { type Expr, evaluateExpression, fieldOf, ungroup, walkExpression } from './expression'
import { type CustomRule, evaluateRules, parseCached, ruleLabel } from './rules'
import { addRevocationClause, recommendedExpression } from './enforce'
import { AppError } from '../../shared/errors'

export interface HostnameAssociation {
  hostname: string
  /** The CA the hostname asks certificates from: the zone's managed CA, or a BYO mTLS certificate id. */
  ca?: string
}

export interface ZoneEnforcement {
  /** The zone's name (or id), for the fix commands. */
  zone?: string
  associations: readonly HostnameAssociation[]
  rules: readonly CustomRule[]
}

export type FindingKind = 'not_enforced' | 'revocation_ignored' | 'never_matches' | 'unassociated_hostname' | 'not_evaluated'

export interface DoctorFinding {
  kind: FindingKind
  hostname?: string
  /** The rule by its description (or ref/id when it has none). */
  rule?: string
  /** The rule's id, for Enforce to add the revocation clause to it. */
  ruleId?: string
  risk: string
  fix: string
  /** The expression that fixes it, when the fix is a rule to write. */
  expression?: string
}

export interface HostnameVerdict {
  hostname: string
  /** The BYO CA the hostname is associated with; absent for the zone's managed CA. */
  ca?: string
  /** The rule that blocks a request without a certificate or with an unverified one, if one does. */
  blockingRule?: string
  blocksMissing: boolean
  blocksUnverified: boolean
  blocksRevoked: boolean
  /** A request with a valid certificate is blocked too (legal, but worth showing). */
  blocksValid: boolean
}

export interface DoctorReport {
  hostnames: HostnameVerdict[]
  findings: DoctorFinding[]
}

export type CertificateState = 'none' | 'unverified' | 'revoked' | 'verified'

const SAMPLE_CERT: ClientAuthFields = {
  cert_presented: true,
  cert_verified: true,
  cert_revoked: false,
  cert_fingerprint_sha256: 'A'.repeat(64),
  cert_issuer_dn: 'CN=Sandbox client CA',
  cert_subject_dn: 'CN=device',
  cert_serial: '01',
  cert_ski: 'B'.repeat(40),
  cert_issuer_ski: 'C'.repeat(40),
  cert_not_before: '2026-01-01T00:00:00Z',
  cert_not_after: '2036-01-01T00:00:00Z',
}

/** The client-certificate fields of a representative request in each state. */
export function representativeTls(state: CertificateState): ClientAuthFields {
  if (state === 'none') return { ...NO_CLIENT_CERTIFICATE }
  if (state === 'unverified') return { ...SAMPLE_CERT, cert_verified: false }
  if (state === 'revoked') return { ...SAMPLE_CERT, cert_revoked: true }
  return { ...SAMPLE_CERT }
}

const STATES: CertificateState[] = ['none', 'unverified', 'revoked', 'verified']

function request(host: string, state: CertificateState, path = '/', method = 'GET'): EdgeRequest {
  return { host, path, method, tls: representativeTls(state) }
}

export function diagnoseZone(zone: ZoneEnforcement): DoctorReport {
  const findings: DoctorFinding[] = []
  const hostnames: HostnameVerdict[] = []
  const caOf = new Map<string, string | undefined>()
  for (const a of zone.associations) if (!caOf.has(a.hostname.toLowerCase())) caOf.set(a.hostname.toLowerCase(), a.ca)
  const associated = new Set(caOf.keys())
  const zoneArg = zone.zone ?? 'ZONE'
  for (const hostname of associated) {
    const outcome = Object.fromEntries(STATES.map((s) => [s, evaluateRules(zone.rules, request(hostname, s))])) as Record<
      CertificateState,
      ReturnType<typeof evaluateRules>
    >
    const ca = caOf.get(hostname)
    const verdict: HostnameVerdict = {
      hostname,
      ...(ca === undefined ? {} : { ca }),
      blocksMissing: outcome.none.decision === 'block',
      blocksUnverified: outcome.unverified.decision === 'block',
      blocksRevoked: outcome.revoked.decision === 'block',
      blocksValid: outcome.verified.decision === 'block',
    }
    const blocking = outcome.none.decision === 'block' ? outcome.none.decidedBy : outcome.unverified.decidedBy
    if (blocking !== undefined && (verdict.blocksMissing || verdict.blocksUnverified)) verdict.blockingRule = ruleLabel(blocking)
    hostnames.push(verdict)
    const uncertain = STATES.flatMap((s) => outcome[s].notEvaluated).map((n) => ruleLabel(n.rule))
    const maybe = uncertain.length > 0 ? ` (unless rule "${[...new Set(uncertain)][0]}", which the Sandbox cannot evaluate, blocks it)` : ''
    if (!verdict.blocksMissing || !verdict.blocksUnverified) {
      const what = !verdict.blocksMissing ? 'without a client certificate' : 'with a certificate that does not verify'
      const skip = (!verdict.blocksMissing ? outcome.none : outcome.unverified).decidedBy
      findings.push({
        kind: 'not_enforced',
        hostname,
        ...named(skip),
        risk: `A request to ${hostname} ${what} reaches the origin${maybe}: the association only asks for a certificate.`,
        fix: `Enforce: certdesk cf mtls enforce --zone ${zoneArg} --hostname ${hostname}`,
        expression: recommendedExpression([hostname]),
      })
    } else if (!verdict.blocksRevoked) {
      const rule = outcome.unverified.decidedBy ?? outcome.none.decidedBy
      findings.push({
        kind: 'revocation_ignored',
        hostname,
        ...named(rule),
        risk:
          `A revoked certificate still reaches ${hostname}${maybe}: cf.tls_client_auth.cert_verified is true for a revoked ` +
          'certificate, so revoking it changes nothing.',
        fix: `Add the revocation clause: certdesk cf mtls enforce --zone ${zoneArg} --hostname ${hostname}`,
        ...revocationFix(rule),
      })
    }
  }
  for (const rule of zone.rules) {
    if (rule.enabled === false) continue
    findings.push(...ruleFindings(rule, associated, zoneArg))
  }
  return { hostnames, findings }
}

/** The doctor over every zone of a profile; `enforced` is true when no zone has a finding. */
export function diagnoseZones(zones: readonly ZoneEnforcement[]): { enforced: boolean; zones: Array<{ zone?: string } & DoctorReport> } {
  const reports = zones.map((zone) => ({ ...(zone.zone === undefined ? {} : { zone: zone.zone }), ...diagnoseZone(zone) }))
  return { enforced: reports.every((r) => r.findings.length === 0), zones: reports }
}

/** The rule of a finding: its label, and its id when it has one. */
function named(rule: CustomRule | undefined): { rule?: string; ruleId?: string } {
  if (rule === undefined) return {}
  return { rule: ruleLabel(rule), ...(rule.id === undefined ? {} : { ruleId: rule.id }) }
}

function revocationFix(rule: CustomRule | undefined): { expression?: string } {
  if (rule === undefined) return {}
  try {
    return { expression: addRevocationClause(rule.expression) }
  } catch (error) {
    if (error instanceof AppError) return {}
    throw error
  }
}

function ruleFindings(rule: CustomRule, associated: Set<string>, zoneArg: string): DoctorFinding[] {
  const label = ruleLabel(rule)
  const id = rule.id === undefined ? {} : { ruleId: rule.id }
  const parsed = parseCached(rule.expression)
  if (parsed instanceof AppError) {
    return [
      {
        kind: 'not_evaluated',
        rule: label,
        ...id,
        risk: `The rule's expression does not parse (${parsed.message}), so what it does cannot be checked.`,
        fix: 'Correct the expression, or replace the rule with the recommended one (Enforce).',
      },
    ]
  }
  if (parsed.unsupported.length > 0) {
    return [
      {
        kind: 'not_evaluated',
        rule: label,
        ...id,
        risk: `The Sandbox does not evaluate ${parsed.unsupported.join(', ')}, so the doctor cannot tell what this rule blocks.`,
        fix: 'Check this rule by hand, or send a request with Test access (probe) against the real hostname.',
      },
    ]
  }
  const findings: DoctorFinding[] = []
  const hosts = hostLiterals(parsed.ast)
  if (neverMatches(parsed.ast, rule.expression, hosts)) {
    findings.push({
      kind: 'never_matches',
      rule: label,
      ...id,
      risk: 'No request can match this rule, so it protects nothing.',
      fix: 'Correct the expression (a typo in a hostname or a contradiction), or delete the rule.',
    })
  }
  for (const host of hosts) {
    if (associated.has(host)) continue
    findings.push({
      kind: 'unassociated_hostname',
      hostname: host,
      rule: label,
      ...id,
      risk:
        `Cloudflare does not ask for a client certificate on ${host}, so cf.tls_client_auth.cert_verified is false for ` +
        'every request there and a certificate rule blocks all of them (or none).',
      fix: `Associate it: certdesk cf hostnames set --zone ${zoneArg} --hostname ${host}, or remove it from the rule.`,
    })
  }
  return findings
}

/** The hostnames a rule compares http.host with (eq, in {…}), lower-cased. */
export function hostLiterals(ast: Expr): string[] {
  const hosts = new Set<string>()
  walkExpression(ast, (node) => {
    if (node.type !== 'compare' || fieldOf(node.left) !== 'http.host') return
    if (node.op !== 'eq' && node.op !== 'in') return
    const items = node.right.type === 'set' ? node.right.items : [node.right]
    for (const item of items) if (item.type === 'string') hosts.add(item.value.toLowerCase())
  })
  return [...hosts]
}

/** String literals the expression compares a field with, per field: the values worth trying for that field. */
function candidateValues(ast: Expr): Map<string, Set<string>> {
  const values = new Map<string, Set<string>>()
  const add = (field: string | undefined, value: string): void => {
    if (field === undefined) return
    const set = values.get(field) ?? new Set<string>(['', 'other'])
    set.add(value).add(value.toLowerCase()).add(value.toUpperCase())
    values.set(field, set)
  }
  walkExpression(ast, (node) => {
    if (node.type === 'compare') {
      const literals = node.right.type === 'set' ? node.right.items : node.right.type === 'list' ? [] : [node.right]
      for (const l of literals) if (l.type === 'string') add(fieldOf(node.left), l.value)
    } else if (node.type === 'call' && (node.name === 'starts_with' || node.name === 'ends_with')) {
      const literal = node.args[1] === undefined ? undefined : ungroup(node.args[1])
      if (literal?.type === 'string') add(fieldOf(node.args[0]!), literal.value)
    } else if (node.type === 'field' && !values.has(node.name)) {
      values.set(node.name, new Set(['', 'other']))
    }
  })
  return values
}

const MAX_TRIES = 20000

/**
 * True when no request can match: tries every combination of the literals the expression mentions (per field, plus
 * '' and another value) over the four certificate states. Gives up (false) past MAX_TRIES combinations.
 */
function neverMatches(ast: Expr, text: string, hosts: string[]): boolean {
  const candidates = candidateValues(ast)
  const http = ['http.host', 'http.request.uri.path', 'http.request.method']
  const tlsStrings = [...candidates.keys()].filter((f) => f.startsWith(CLIENT_AUTH_PREFIX) && SUPPORTED_FIELDS.get(f) === 'string')
  const axes = [...http, ...tlsStrings].map((f) => [f, [...(candidates.get(f) ?? new Set(['']))]] as const)
  if (hosts.length > 0) axes[0] = ['http.host', [...new Set([...axes[0]![1], ...hosts])]]
  const combos = axes.reduce((n, [, v]) => n * v.length, STATES.length)
  if (combos > MAX_TRIES) return false
  const parsed = { text, ast, unsupported: [] }
  const pick = new Array<string>(axes.length)
  const tryAxis = (i: number, state: CertificateState): boolean => {
    if (i === axes.length) {
      const tls = representativeTls(state)
      const fields = tls as unknown as Record<string, string | boolean>
      axes.slice(3).forEach(([f], k) => {
        if (tls.cert_presented) fields[f.slice(CLIENT_AUTH_PREFIX.length)] = pick[3 + k]!
      })
      const result = evaluateExpression(parsed, { host: pick[0]!, path: pick[1]!, method: pick[2]!, tls })
      return result.evaluated && result.matches
    }
    for (const value of axes[i]![1]) {
      pick[i] = value
      if (tryAxis(i + 1, state)) return true
    }
    return false
  }
  return !STATES.some((state) => tryAxis(0, state))
}
