import { describe, expect, it } from 'vitest'
import { type CustomRule } from '../../../src/main/enforcement/rules'
import { type ZoneEnforcement, diagnoseZone, diagnoseZones } from '../../../src/main/enforcement/doctor'
import { recommendedExpression } from '../../../src/main/enforcement/enforce'

const API = 'api.example.com'
const ADMIN = 'admin.example.com'
const associations = [
  { hostname: API, ca: 'managed' },
  { hostname: ADMIN, ca: 'byo-1' },
]
const rule = (description: string, expression: string, extra: Partial<CustomRule> = {}): CustomRule => ({
  id: description.replace(/\W+/g, '-'),
  description,
  expression,
  action: 'block',
  ...extra,
})
const zone = (rules: CustomRule[]): ZoneEnforcement => ({ zone: 'example.com', associations, rules })

describe('diagnoseZone', () => {
  it('finds nothing when the recommended rule covers every associated hostname', () => {
    const report = diagnoseZone(zone([rule('mTLS', recommendedExpression([API, ADMIN]))]))
    expect(report.findings).toEqual([])
    expect(report.hostnames).toEqual([
      {
        hostname: API,
        ca: 'managed',
        blockingRule: 'mTLS',
        blocksMissing: true,
        blocksUnverified: true,
        blocksRevoked: true,
        blocksValid: false,
      },
      // The CA the hostname is associated with is named on its verdict.
      {
        hostname: ADMIN,
        ca: 'byo-1',
        blockingRule: 'mTLS',
        blocksMissing: true,
        blocksUnverified: true,
        blocksRevoked: true,
        blocksValid: false,
      },
    ])
  })

  it('an association without a rule is not enforced, with the hostname, the risk and the fix', () => {
    const report = diagnoseZone(zone([]))
    expect(report.findings).toHaveLength(2)
    expect(report.findings[0]).toEqual({
      kind: 'not_enforced',
      hostname: API,
      risk: `A request to ${API} without a client certificate reaches the origin: the association only asks for a certificate.`,
      fix: `Enforce: certdesk cf mtls enforce --zone example.com --hostname ${API}`,
      expression: recommendedExpression([API]),
    })
  })

  it('a rule without the revocation clause: revocation does nothing, and the fix adds the clause', () => {
    const old = rule('old mTLS', `(not cf.tls_client_auth.cert_verified) and http.host in {"${API}" "${ADMIN}"}`)
    const report = diagnoseZone(zone([old]))
    expect(report.findings.map((f) => [f.kind, f.hostname, f.rule])).toEqual([
      ['revocation_ignored', API, 'old mTLS'],
      ['revocation_ignored', ADMIN, 'old mTLS'],
    ])
    expect(report.findings[0]!.risk).toContain('cert_verified is true for a revoked certificate')
    // The rule's id, so Enforce can add the clause to this rule rather than write another.
    expect(report.findings.map((f) => f.ruleId)).toEqual(['old-mTLS', 'old-mTLS'])
    expect(report.findings[0]!.expression).toBe(
      `((not cf.tls_client_auth.cert_verified or cf.tls_client_auth.cert_revoked)) and http.host in {"${API}" "${ADMIN}"}`,
    )
    expect(diagnoseZone(zone([{ ...old, expression: report.findings[0]!.expression! }])).findings).toEqual([])
  })

  it('decides by evaluation, not by text: a skip rule placed before the block rule unprotects the host', () => {
    const skipAll = rule('skip all', 'http.request.method ne ""', { action: 'skip', action_parameters: { ruleset: 'current' } })
    const report = diagnoseZone(zone([skipAll, rule('mTLS', recommendedExpression([API, ADMIN]))]))
    expect(report.findings.filter((f) => f.kind === 'not_enforced').map((f) => [f.hostname, f.rule])).toEqual([
      [API, 'skip all'],
      [ADMIN, 'skip all'],
    ])
  })

  it('a disabled rule protects nothing; a rule for one host leaves the other unenforced', () => {
    expect(diagnoseZone(zone([rule('off', recommendedExpression([API, ADMIN]), { enabled: false })])).findings).toHaveLength(2)
    const report = diagnoseZone(zone([rule('api only', recommendedExpression([API]))]))
    expect(report.findings.map((f) => [f.kind, f.hostname])).toEqual([['not_enforced', ADMIN]])
  })

  it('a rule that only blocks a missing certificate leaves an unverified one through', () => {
    const presentedOnly = rule('presented', `not cf.tls_client_auth.cert_presented and http.host in {"${API}" "${ADMIN}"}`)
    const finding = diagnoseZone(zone([presentedOnly])).findings[0]!
    expect(finding).toMatchObject({ kind: 'not_enforced', hostname: API })
    expect(finding.risk).toContain('with a certificate that does not verify')
  })

  it('finds rules that can never match', () => {
    const contradiction = rule('typo', `http.host eq "${API}" and http.host eq "${ADMIN}"`)
    const caseMismatch = rule('case', 'lower(http.request.uri.path) eq "/Admin"')
    const fine = rule('post only', 'http.request.method eq "POST" and not cf.tls_client_auth.cert_verified')
    const revokedUnverified = rule('impossible state', 'cf.tls_client_auth.cert_revoked and not cf.tls_client_auth.cert_presented')
    const findings = diagnoseZone(zone([contradiction, caseMismatch, fine, revokedUnverified])).findings.filter(
      (f) => f.kind === 'never_matches',
    )
    expect(findings.map((f) => f.rule)).toEqual(['typo', 'case', 'impossible state'])
    expect(findings[0]!.risk).toBe('No request can match this rule, so it protects nothing.')
  })

  it('finds hostnames in rules that have no association', () => {
    const report = diagnoseZone(zone([rule('mTLS', recommendedExpression([API, ADMIN, 'WWW.example.com']))]))
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'unassociated_hostname', hostname: 'www.example.com', rule: 'mTLS' })])
    expect(report.findings[0]!.fix).toContain('certdesk cf hostnames set --zone example.com --hostname www.example.com')
  })

  it('names the rules it cannot evaluate, and does not count them as protection', () => {
    const geo = rule('geo block', 'ip.geoip.country in {"T1"} and not cf.tls_client_auth.cert_verified')
    const broken = rule('broken', 'http.host eq "a" and')
    const report = diagnoseZone(zone([geo, broken]))
    expect(report.findings.filter((f) => f.kind === 'not_evaluated').map((f) => [f.rule, f.risk])).toEqual([
      ['geo block', 'The Sandbox does not evaluate field ip.geoip.country, so the doctor cannot tell what this rule blocks.'],
      ['broken', expect.stringContaining('does not parse (Filter parsing error (1:21)')],
    ])
    const notEnforced = report.findings.find((f) => f.kind === 'not_enforced')!
    expect(notEnforced.risk).toContain('unless rule "geo block", which the Sandbox cannot evaluate, blocks it')
  })

  it('reads rule hostnames case-insensitively, as Host is', () => {
    const report = diagnoseZone({ associations: [{ hostname: 'API.Example.com' }], rules: [rule('m', recommendedExpression([API]))] })
    expect(report.findings).toEqual([])
  })

  it('across the zones of a profile: enforced only when no zone has a finding', () => {
    const good = zone([rule('mTLS', recommendedExpression([API, ADMIN]))])
    expect(diagnoseZones([good, { ...good, zone: 'example.net' }]).enforced).toBe(true)
    const result = diagnoseZones([good, { ...zone([]), zone: 'example.net' }])
    expect(result.enforced).toBe(false)
    expect(result.zones.map((z) => [z.zone, z.findings.length])).toEqual([
      ['example.com', 0],
      ['example.net', 2],
    ])
  })
})
