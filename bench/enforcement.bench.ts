// The mTLS doctor over a profile of 50 zones × 20 associated hostnames × 10 custom rules (target: under 1 s,
// excluding API time), beside parsing the same 500 expressions only, and the edge's per-request cost
// (evaluateRules on one zone's rules), measured in the same run. Prints figures; asserts no time.
import { expect, test } from 'vitest'
import {
  type CustomRule,
  type ZoneEnforcement,
  addRevocationClause,
  diagnoseZone,
  evaluateRules,
  parseExpression,
  recommendedExpression,
  representativeTls,
} from '../src/main/enforcement'

const ZONES = 50
const HOSTS = 20
const RULES = 10

function time(fn: () => void): number {
  const start = performance.now()
  fn()
  return performance.now() - start
}

/** A zone like a real one: half its hosts enforced, a rule missing revocation, logs, a skip, noise the doctor flags. */
function makeZone(z: number): ZoneEnforcement {
  const zone = `zone${z}.example`
  const hosts = Array.from({ length: HOSTS }, (_, h) => `h${h}.${zone}`)
  const rule = (i: number, action: string, expression: string, extra: Partial<CustomRule> = {}): CustomRule => ({
    id: `${z}-${i}`,
    description: `rule ${i} of ${zone}`,
    action,
    expression,
    ...extra,
  })
  const rules: CustomRule[] = [
    rule(0, 'skip', `http.request.uri.path eq "/health" and http.host eq "${hosts[0]}"`, { action_parameters: { ruleset: 'current' } }),
    rule(1, 'block', recommendedExpression(hosts.slice(0, 8))),
    rule(
      2,
      'block',
      `not cf.tls_client_auth.cert_verified and http.host in {${hosts
        .slice(8, 14)
        .map((h) => `"${h}"`)
        .join(' ')}}`,
    ),
    rule(3, 'log', `starts_with(http.request.uri.path, "/admin") and http.host eq "${hosts[15]}"`),
    rule(4, 'block', recommendedExpression([hosts[14]!], ['/api/', '/billing'])),
    rule(5, 'block', `lower(http.request.method) eq "TRACE"`),
    rule(6, 'block', `ip.src in {192.0.2.0/24} and http.host eq "${hosts[16]}"`),
    rule(7, 'block', `http.host eq "${hosts[17]}" and http.host eq "${hosts[18]}"`),
    rule(8, 'block', recommendedExpression([`unassociated.${zone}`])),
    rule(9, 'log', `cf.tls_client_auth.cert_revoked and ends_with(http.host, ".${zone}")`, { enabled: z % 2 === 0 }),
  ]
  expect(rules).toHaveLength(RULES)
  return { zone, associations: hosts.map((hostname) => ({ hostname, ca: 'managed' })), rules }
}

test('doctor over 50 zones × 20 hostnames × 10 rules, beside parsing the same expressions', () => {
  const profile = Array.from({ length: ZONES }, (_, z) => makeZone(z))
  const expressions = profile.flatMap((zone) => zone.rules.map((r) => r.expression))

  // Reference: parse every expression (no cache), best of three.
  const parseMs = Math.min(...[0, 1, 2].map(() => time(() => expressions.forEach((e) => parseExpression(e)))))

  // The doctor, cold (its parse cache empty of these expressions: first run) and warm (best of three).
  let findings = 0
  const coldMs = time(() => (findings = profile.reduce((n, zone) => n + diagnoseZone(zone).findings.length, 0)))
  const warmMs = Math.min(...[0, 1, 2].map(() => time(() => profile.forEach((zone) => diagnoseZone(zone)))))
  // A second profile with other names: parse cache cold again, but the JIT warm.
  const other = Array.from({ length: ZONES }, (_, z) => makeZone(z + ZONES))
  const freshMs = time(() => other.forEach((zone) => diagnoseZone(zone)))
  const kinds = new Map<string, number>()
  for (const zone of profile) for (const f of diagnoseZone(zone).findings) kinds.set(f.kind, (kinds.get(f.kind) ?? 0) + 1)

  // The edge's part: one request through one zone's 10 rules.
  const zone = profile[0]!
  const requests = [0, 5, 9, 15, 19].flatMap((h) =>
    (['none', 'unverified', 'revoked', 'verified'] as const).map((s) => ({
      host: `h${h}.${zone.zone}`,
      path: '/api/x',
      method: 'GET',
      tls: representativeTls(s),
    })),
  )
  const evaluations = 200_000
  const evalMs = time(() => {
    for (let i = 0; i < evaluations; i++) evaluateRules(zone.rules, requests[i % requests.length]!)
  })
  const clauseMs = time(() => profile.forEach((p) => addRevocationClause(p.rules[2]!.expression)))

  console.log(`\nenforcement bench — ${ZONES} zones × ${HOSTS} hostnames × ${RULES} rules, ${expressions.length} expressions`)
  console.log(`  doctor, whole profile (first run):   ${coldMs.toFixed(0)} ms  (${findings} findings)  target < 1000 ms`)
  console.log(`  doctor, new rules, JIT warm:        ${freshMs.toFixed(0)} ms`)
  console.log(`  doctor, whole profile (warm, best):  ${warmMs.toFixed(0)} ms`)
  console.log(`  reference: parse the ${expressions.length} expressions: ${parseMs.toFixed(0)} ms`)
  console.log(`  doctor / parse:                      ${(coldMs / parseMs).toFixed(1)}×`)
  console.log(`  findings by kind: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}`)
  const perSecond = Math.round((evaluations / evalMs) * 1000)
  console.log(`  evaluateRules (10 rules, cached parse): ${perSecond.toLocaleString('en-US')} requests/s`)
  console.log(`  addRevocationClause × ${ZONES}: ${clauseMs.toFixed(1)} ms`)
  expect(findings).toBeGreaterThan(0)
})
