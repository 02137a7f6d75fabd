/**
 * `certdesk cf mtls doctor|enforce` against the Sandbox: the official SDK (`cloudflare`), not Certdesk, sets the
 * associations and the rules an admin made elsewhere, and reads back what Enforce wrote. The scenarios build on each
 * other, in order: not enforced (exit 1) → refused without --yes → enforced (exit 0) → a rule without the revocation
 * clause → the clause added → a concurrent edit refused with nothing written → a read-only token refused.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { useCfSandbox, type CliOptions } from '../support/cli'
import { CertFactory } from '../support/cert-factory'

const PHASE = 'http_request_firewall_custom'
const REVOKED = 'cf.tls_client_auth.cert_revoked'
const fx = useCfSandbox('certdesk-cli-mtls-')
beforeAll(async () => {
  await fx.sdk.certificateAuthorities.hostnameAssociations.update({ zone_id: fx.zoneId, hostnames: ['api.example.com'] })
})

const mtls = (argv: string[], options: CliOptions = {}) => fx.cf(['mtls', ...argv], options)

interface Finding {
  kind: string
  hostname?: string
  rule?: string
  risk: string
  fix: string
}

async function doctor(): Promise<{ code: number; findings: Finding[] }> {
  const r = await mtls(['doctor', '--zone', 'example.com', '--json'])
  expect([0, 1], r.err).toContain(r.code)
  return { code: r.code, findings: (JSON.parse(r.out) as { findings: Finding[] }).findings }
}

/** The rules as Cloudflare's API returns them now, through the SDK; null while the entry point does not exist. */
async function liveRules(): Promise<{ version: string; rules: Array<Record<string, unknown>> } | null> {
  try {
    const r = await fx.sdk.rulesets.phases.get(PHASE, { zone_id: fx.zoneId })
    return { version: r.version, rules: r.rules as unknown as Array<Record<string, unknown>> }
  } catch (error) {
    if ((error as { status?: number }).status === 404) return null
    throw error
  }
}

describe('cf mtls doctor and enforce', () => {
  test('an association without a rule: the doctor exits 1 and names the hostname, the risk and the fix', async () => {
    const { code, findings } = await doctor()
    expect(code).toBe(1)
    expect(findings).toEqual([expect.objectContaining({ kind: 'not_enforced', hostname: 'api.example.com' })])
    expect(findings[0]!.fix).toContain('certdesk cf mtls enforce --zone example.com --hostname api.example.com')
    const human = await mtls(['doctor', '--zone', fx.zoneId])
    expect(human.code).toBe(1)
    expect(human.out).toMatch(/^api\.example\.com \| no rule \| A request to api\.example\.com without a client certificate reaches/m)
  })

  test('enforce in a script without --yes is refused (exit 2) after showing the plan; a "no" on the terminal writes nothing', async () => {
    const script = await mtls(['enforce', '--zone', 'example.com', '--hostname', 'api.example.com'])
    expect(script.code).toBe(2)
    expect(script.err).toContain('pass --yes')
    expect(script.out).toContain('+ block: (not cf.tls_client_auth.cert_verified or cf.tls_client_auth.cert_revoked)')
    const no = await mtls(['enforce', '--zone', 'example.com', '--hostname', 'api.example.com'], { confirm: async () => false })
    expect(no.code).toBe(1)
    expect(no.out).toContain('Nothing was changed.')
    expect(await liveRules()).toBeNull()
    expect((await doctor()).code).toBe(1)
  })

  test('enforce --yes writes the recommended rule; the doctor then exits 0; the activity log names the rule and hostnames', async () => {
    const r = await mtls(['enforce', '--zone', 'example.com', '--hostname', 'api.example.com', '--yes'])
    expect(r.code, r.err).toBe(0)
    expect(r.out).toContain('Custom rules of zone example.com (version 0): Add rule "mTLS: block missing, unverified or revoked')
    const live = await liveRules()
    expect(live?.version).toBe('1')
    expect(live?.rules).toEqual([
      expect.objectContaining({
        action: 'block',
        enabled: true,
        expression: `(not cf.tls_client_auth.cert_verified or ${REVOKED}) and http.host in {"api.example.com"}`,
        description: 'mTLS: block missing, unverified or revoked certificates (api.example.com)',
      }),
    ])
    expect(await doctor()).toEqual({ code: 0, findings: [] })

    const entries = readFileSync(join(fx.dir, 'activity.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { action: string; outcome: string; detail?: Record<string, unknown> })
    const entry = entries.find((e) => e.action === 'cf.rules.enforce')
    expect(entry).toMatchObject({
      outcome: 'ok',
      detail: expect.objectContaining({
        zone: 'example.com',
        hostnames: 'api.example.com',
        rule: 'mTLS: block missing, unverified or revoked certificates (api.example.com)',
      }),
    })
    expect(readFileSync(join(fx.dir, 'activity.jsonl'), 'utf8')).not.toContain(fx.sb.tokens.full)
  })

  test('a rule without the revocation clause: the doctor says so; enforce --rule adds it and changes nothing else', async () => {
    await fx.sdk.certificateAuthorities.hostnameAssociations.update({
      zone_id: fx.zoneId,
      hostnames: ['api.example.com', 'devices.example.com'],
    })
    const current = (await liveRules())!
    const updated = (await fx.sdk.rulesets.phases.update(PHASE, {
      zone_id: fx.zoneId,
      rules: [
        ...(current.rules.map(({ version: _v, last_updated: _l, ...rule }) => rule) as never[]),
        {
          description: 'devices need a certificate',
          expression: 'not cf.tls_client_auth.cert_verified and http.host eq "devices.example.com"',
          action: 'block',
        },
      ],
    })) as unknown as { rules: Array<Record<string, unknown>> }
    const devices = updated.rules.find((r) => r['description'] === 'devices need a certificate')!
    const { code, findings } = await doctor()
    expect(code).toBe(1)
    expect(findings).toEqual([
      expect.objectContaining({ kind: 'revocation_ignored', hostname: 'devices.example.com', rule: 'devices need a certificate' }),
    ])

    const before = (await liveRules())!
    const r = await mtls([
      'enforce',
      '--zone',
      'example.com',
      '--hostname',
      'devices.example.com',
      '--rule',
      String(devices['id']),
      '--yes',
    ])
    expect(r.code, r.err).toBe(0)
    expect(r.out).toContain('- block: not cf.tls_client_auth.cert_verified and http.host eq "devices.example.com"')
    expect(r.out).toContain(`+ block: (not cf.tls_client_auth.cert_verified or ${REVOKED}) and http.host eq "devices.example.com"`)
    const after = (await liveRules())!
    expect(after.rules[0]).toEqual(before.rules[0])
    expect(after.rules[1]).toMatchObject({ id: devices['id'], action: 'block', description: 'devices need a certificate' })
    expect(await doctor()).toEqual({ code: 0, findings: [] })

    const again = await mtls(['enforce', '--zone', 'example.com', '--hostname', 'devices.example.com', '--rule', String(devices['id'])])
    expect(again.code).toBe(0)
    expect(again.out).toContain('already blocks revoked certificates: nothing was changed')
  })

  test('a concurrent edit between the plan and the write is refused with a conflict, and nothing is written', async () => {
    await fx.sdk.certificateAuthorities.hostnameAssociations.update({
      zone_id: fx.zoneId,
      hostnames: ['api.example.com', 'devices.example.com', 'shop.example.com'],
    })
    let edited: { version: string; rules: Array<Record<string, unknown>> } | null = null
    // While the terminal asks, someone else adds a rule in the dashboard.
    const confirm = async () => {
      const current = (await liveRules())!
      await fx.sdk.rulesets.phases.update(PHASE, {
        zone_id: fx.zoneId,
        rules: [
          ...(current.rules.map(({ version: _v, last_updated: _l, ...rule }) => rule) as never[]),
          { description: 'added elsewhere', expression: 'http.request.uri.path eq "/admin"', action: 'log' },
        ],
      })
      edited = await liveRules()
      return true
    }
    const r = await mtls(['enforce', '--zone', 'example.com', '--hostname', 'shop.example.com', '--json'], { confirm })
    expect(r.code).toBe(1)
    const error = (JSON.parse(r.out) as { error: { code: string; message: string } }).error
    expect(error.code).toBe('conflict')
    expect(error.message).toMatch(/The custom rules changed since the plan was made \(version 3, now 4\): the new rule was not written\./)
    expect(await liveRules()).toEqual(edited)
    const failed = readFileSync(join(fx.dir, 'activity.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { action: string; outcome: string; objectName?: string; detail?: Record<string, unknown> })
      .filter((e) => e.action === 'cf.rules.enforce')
      .at(-1)
    expect(failed).toMatchObject({
      outcome: 'failed',
      objectName: 'mTLS: block missing, unverified or revoked certificates (shop.example.com)',
      detail: expect.objectContaining({ hostnames: 'shop.example.com', plannedFrom: '3' }),
    })
    expect((await doctor()).findings).toEqual([expect.objectContaining({ kind: 'not_enforced', hostname: 'shop.example.com' })])
  })

  test('a read-only token: the doctor works, enforce is refused naming "Zone WAF Write", nothing written', async () => {
    const before = await liveRules()
    const read = await mtls(['doctor', '--zone', 'example.com', '--json'], { token: fx.sb.tokens.readOnly })
    expect(read.code).toBe(1)
    const r = await mtls(['enforce', '--zone', 'example.com', '--hostname', 'shop.example.com', '--yes', '--json'], {
      token: fx.sb.tokens.readOnly,
    })
    expect(r.code).toBe(1)
    const error = (JSON.parse(r.out) as { error: { code: string; message: string } }).error
    expect(error.message).toContain('Zone WAF Write')
    expect(await liveRules()).toEqual(before)
  })

  test('without --zone: every zone of the profile, the BYO-CA hostnames found without --ca; exit 1 while any zone has a finding', async () => {
    const factory = new CertFactory()
    try {
      const ca = await fx.sdk.mtlsCertificates.create({
        account_id: fx.sb.account.id,
        ca: true,
        certificates: factory.root('Partners CA').pem,
      })
      const net = fx.sb.zones.find((z) => z.name === 'example.net')!.id
      await fx.sdk.certificateAuthorities.hostnameAssociations.update({
        zone_id: net,
        hostnames: ['partners.example.net'],
        mtls_certificate_id: ca.id!,
      })
      const all = await mtls(['doctor', '--json'])
      expect(all.code, all.err).toBe(1)
      const report = JSON.parse(all.out) as { enforced: boolean; cas: Array<{ id: string }>; zones: Array<Record<string, unknown>> }
      expect(report.enforced).toBe(false)
      expect(report.cas.map((c) => c.id)).toEqual([ca.id])
      const zones = Object.fromEntries(report.zones.map((z) => [z['zone'], z])) as Record<string, { findings: Finding[] }>
      expect(zones['example.net']!.findings).toEqual([expect.objectContaining({ kind: 'not_enforced', hostname: 'partners.example.net' })])
      expect(zones['example.com']!.findings.map((f) => f.hostname)).toEqual(['shop.example.com'])
      const human = await mtls(['doctor', '--all-zones'])
      expect(human.code).toBe(1)
      expect(human.out).toMatch(/^example\.net: 1 finding\npartners\.example\.net \| no rule \| /m)
      expect(human.out).toContain('BYO CAs checked: ')
      // One zone: the BYO CA is found there too, with no --ca.
      const one = await mtls(['doctor', '--zone', 'example.net', '--json'])
      expect(one.code).toBe(1)
      expect((JSON.parse(one.out) as { hostnames: Array<{ hostname: string; ca?: string }> }).hostnames).toEqual([
        expect.objectContaining({ hostname: 'partners.example.net', ca: ca.id }),
      ])
      const both = await mtls(['doctor', '--zone', 'example.net', '--all-zones'])
      expect(both.code).toBe(2)
      expect(both.err).toContain('not both')
      const caOnly = await mtls(['doctor', '--ca', ca.id!])
      expect(caOnly.code).toBe(2)
      expect(caOnly.err).toContain('give --zone too')
    } finally {
      factory.cleanup()
    }
  })

  test('bad input: no --hostname, a wildcard hostname, --path with --rule (exit 2, nothing sent)', async () => {
    const before = await liveRules()
    expect((await mtls(['enforce', '--zone', 'example.com', '--yes'])).code).toBe(2)
    const wild = await mtls(['enforce', '--zone', 'example.com', '--hostname', '*.example.com', '--yes'])
    expect(wild.code).toBe(2)
    expect(wild.err).toContain('wildcard')
    const mixed = await mtls(['enforce', '--zone', 'example.com', '--hostname', 'a.example.com', '--rule', 'x', '--path', '/a', '--yes'])
    expect(mixed.code).toBe(2)
    expect(mixed.err).toContain('Paths apply to a new rule only')
    expect(await liveRules()).toEqual(before)
  })
})
