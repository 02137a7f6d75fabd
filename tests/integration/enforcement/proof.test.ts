/**
 * The proof by request (issue #13 §4, scenarios 1–4): the official SDK (`cloudflare`) against the Sandbox API sets
 * associations, certificates and custom rules; requests go through the Sandbox edge; curl (`--cert --key --cacert
 * --resolve`), a client that is not Certdesk, is the referee of every outcome, and Test access (`probe`) must agree
 * with it. The doctor reads what the API returns, as the app does. The scenarios build on each other, in order.
 */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import Cloudflare from 'cloudflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, type SandboxEdge, type SandboxHandle } from '../../../src/main/sandbox'
import { addRevocationClause, diagnoseZone, recommendedExpression, type DoctorReport } from '../../../src/main/enforcement'
import { probe } from '../../../src/main/enforcement/probe'
import { checkWritten, planRuleChange, rulesToWrite, type RuleRecord, type RulesetRead } from '../../../src/main/enforcement/ruleset-plan'
import { AppError } from '../../../src/shared/errors'
import { makeCsr } from '../../support/csr'
import { tempDir } from '../../support/tools'
import { opensslCsr, opensslRoot, opensslSign } from '../../support/cert-factory'

const run = promisify(execFile)
const PHASE = 'http_request_firewall_custom'
const API = 'api.example.com'
const DESCRIPTION = 'mTLS: block missing, unverified or revoked certificates (api)'

const tmp = tempDir('certdesk-proof-')
const dir = tmp.path
let sb: SandboxHandle
let edge: SandboxEdge
let cf: Cloudflare
let zoneId: string

beforeAll(async () => {
  sb = await startSandbox({ seed: 'empty', timing: { revocationMs: 0, reactivationMs: 0 }, edge: true })
  edge = sb.edge!
  cf = new Cloudflare({ apiToken: sb.tokens.full, baseURL: sb.url, maxRetries: 0 })
  zoneId = sb.zones.find((z) => z.name === 'example.com')!.id
})

afterAll(async () => {
  await sb?.close()
  tmp.remove()
})

interface Pair {
  id: string
  certificatePem: string
  keyPem: string
  certPath: string
  keyPath: string
}

const save = (text: string): string => tmp.save(text)

/** A client certificate from the zone's managed CA, created through the SDK from a CSR made here. */
async function issue(cn: string): Promise<Pair> {
  const { pem, keys } = await makeCsr(cn)
  const created = await cf.clientCertificates.create({ zone_id: zoneId, csr: pem, validity_days: 365 })
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64')
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`
  const certificatePem = created.certificate!
  return { id: created.id!, certificatePem, keyPem, certPath: save(certificatePem), keyPath: save(keyPem) }
}

/** A CA the Sandbox knows nothing about, and a client certificate from it, made by openssl. */
async function foreign(cn: string): Promise<Pair> {
  const [caKey, caCert, key, csr, cert] = ['ca.key', 'ca.pem', 'leaf.key', 'leaf.csr', 'leaf.pem'].map((f) => join(dir, `${cn}-${f}`))
  const ca = opensslRoot(caCert!, caKey!, { subject: `/O=Elsewhere/CN=${cn} CA` })
  opensslCsr(csr!, key!, `/CN=${cn}`)
  const certificatePem = opensslSign(csr!, ca, cert!, 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n')
  return { id: '', certificatePem, keyPem: readFileSync(key!, 'utf8'), certPath: cert!, keyPath: key! }
}

interface CurlReply {
  status: number
  ray: string | null
  body: string
}

/** The referee: curl trusting only the Edge CA, reaching the edge by name. */
async function viaCurl(cert?: Pair, path = '/'): Promise<CurlReply> {
  const args = ['-sS', '-i', '--max-time', '10', '--cacert', edge.caPath, '--resolve', `${API}:${edge.port}:127.0.0.1`]
  if (cert) args.push('--cert', cert.certPath, '--key', cert.keyPath)
  const { stdout } = await run('curl', [...args, `https://${API}:${edge.port}${path}`])
  const [head, ...rest] = stdout.split('\r\n\r\n')
  const status = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(head!)?.[1])
  return { status, ray: /^cf-ray: (.+)$/im.exec(head!)?.[1]?.trim() ?? null, body: rest.join('\r\n\r\n') }
}

/** curl's statuses for no certificate and each certificate given, in that order. */
const statuses = async (...certs: Pair[]): Promise<number[]> =>
  Promise.all([viaCurl(), ...certs.map((c) => viaCurl(c))]).then((replies) => replies.map((r) => r.status))

const probeApi = (client?: Pair) =>
  probe({
    url: `https://${API}:${edge.port}/`,
    resolve: `${API}:${edge.port}:127.0.0.1`,
    caPem: edge.caPem,
    ...(client ? { client: { certificatePem: client.certificatePem, keyPem: client.keyPem } } : {}),
  })

/** The custom rules as the API returns them (none before the entry point exists). */
async function readRuleset(): Promise<RulesetRead & { id: string; rules: RuleRecord[] }> {
  try {
    const read = await cf.rulesets.phases.get(PHASE, { zone_id: zoneId })
    return { id: read.id, version: read.version, rules: (read.rules ?? []) as unknown as RuleRecord[] }
  } catch (error) {
    if ((error as { status?: number }).status === 404) return { id: '', version: '0', rules: [] }
    throw error
  }
}

async function putRules(rules: readonly RuleRecord[]): Promise<RulesetRead> {
  const written = (await cf.rulesets.phases.update(PHASE, { zone_id: zoneId, rules: rules as never })) as unknown as RulesetRead
  return written
}

/** The doctor on what the API returns: the associations and the custom rules. */
async function doctor(): Promise<DoctorReport> {
  const associations = await cf.certificateAuthorities.hostnameAssociations.get({ zone_id: zoneId })
  const { rules } = await readRuleset()
  return diagnoseZone({ zone: 'example.com', associations: (associations.hostnames ?? []).map((hostname) => ({ hostname })), rules })
}

const kinds = (report: DoctorReport) => report.findings.map((f) => [f.kind, f.hostname ?? null])

let valid: Pair
let other: Pair

describe('proof by request: SDK -> Sandbox API, curl -> Sandbox edge', () => {
  it('1. an associated hostname without a rule: a request without a certificate gets through; the doctor says "not enforced"', async () => {
    const associated = await cf.certificateAuthorities.hostnameAssociations.update({ zone_id: zoneId, hostnames: [API] })
    expect(associated.hostnames).toEqual([API])
    valid = await issue('device-1.example.com')
    other = await foreign('stranger.example.com')

    const bare = await viaCurl()
    expect(bare.status).toBe(200)
    // The echo origin answered, and the edge did ask for a certificate (association) and saw none.
    expect(JSON.parse(bare.body)).toMatchObject({ origin: 'sandbox-echo', host: API, tls_client_auth: { cert_presented: false } })
    expect(await statuses(valid, other)).toEqual([200, 200, 200])

    const report = await doctor()
    expect(kinds(report)).toEqual([['not_enforced', API]])
    expect(report.findings[0]!.risk).toContain('without a client certificate reaches the origin')
    expect(report.findings[0]!.fix).toBe(`Enforce: certdesk cf mtls enforce --zone example.com --hostname ${API}`)
    expect(report.findings[0]!.expression).toBe(recommendedExpression([API]))
  })

  it("2. enforce: without a certificate 403 (block page, cf-ray); the zone CA's certificate 200; another CA's 403", async () => {
    const plan = planRuleChange(await readRuleset(), {
      set: { action: 'block', expression: recommendedExpression([API]), description: DESCRIPTION },
    })
    const before = await readRuleset()
    checkWritten(before, await putRules(rulesToWrite(plan, before)))

    const blocked = await viaCurl()
    expect(blocked.status).toBe(403)
    expect(blocked.ray).toMatch(/^[0-9a-f]{16}/)
    expect(blocked.body).toContain('Sorry, you have been blocked')
    expect(blocked.body).toContain(`Cloudflare Ray ID: <strong class="font-semibold">${blocked.ray}</strong>`)
    expect(await statuses(valid, other)).toEqual([403, 200, 403])

    expect(await doctor()).toMatchObject({ findings: [], hostnames: [{ hostname: API, blockingRule: DESCRIPTION, blocksRevoked: true }] })
  })

  it("Test access against the edge: allowed/blocked with the rule's description and the ray id, as curl says", async () => {
    const good = await probeApi(valid)
    expect(good.attempts.map((a) => [a.withCertificate, a.outcome, a.status])).toEqual([
      [true, 'allowed', 200],
      [false, 'blocked', 403],
    ])
    const [allowed, bare] = good.attempts
    expect(allowed!.tls).toMatchObject({ clientCertificateRequested: true, clientCertificateSent: true, serverTrusted: true })
    const ruleId = (await readRuleset()).rules.find((r) => r.description === DESCRIPTION)!.id
    expect(bare).toMatchObject({ blockedBy: 'cloudflare', rule: { id: ruleId, description: DESCRIPTION } })
    expect(bare!.rayId).toMatch(/^[0-9a-f]{16}/)
    expect(bare!.verdict).toBe(
      `The request without a certificate was blocked by Cloudflare (HTTP 403, Ray ID ${bare!.rayId}, rule "${DESCRIPTION}").`,
    )
    expect(good.verdict).toBe(`${API} is enforced: the certificate is let through and a request without one is blocked.`)

    const stranger = await probeApi(other)
    expect(stranger.attempts.map((a) => [a.outcome, a.status, a.rule?.description])).toEqual([
      ['blocked', 403, DESCRIPTION],
      ['blocked', 403, DESCRIPTION],
    ])
    // The referee on the same requests.
    expect(await statuses(valid, other)).toEqual([403, 200, 403])
  })

  it('3. a rule without the revocation clause lets a revoked certificate through; with the clause it is blocked', async () => {
    const withoutRevocation = `(not cf.tls_client_auth.cert_verified) and http.host in {"${API}"}`
    const read = await readRuleset()
    const rule = read.rules.find((r) => r.description === DESCRIPTION)!
    const weaken = planRuleChange(read, { ruleId: rule.id!, set: { expression: withoutRevocation } })
    checkWritten(read, await putRules(rulesToWrite(weaken, await readRuleset())))

    const spare = await issue('device-2.example.com')
    await cf.clientCertificates.delete(valid.id, { zone_id: zoneId })
    expect((await cf.clientCertificates.get(valid.id, { zone_id: zoneId })).status).toBe('revoked')
    // Revoked, yet let through: cert_verified is true for a revoked certificate.
    expect(await statuses(valid, spare, other)).toEqual([403, 200, 200, 403])
    expect((await probeApi(valid)).attempts[0]).toMatchObject({ outcome: 'allowed', status: 200 })

    const report = await doctor()
    expect(kinds(report)).toEqual([['revocation_ignored', API]])
    expect(report.findings[0]).toMatchObject({ rule: DESCRIPTION, expression: addRevocationClause(withoutRevocation) })
    expect(report.findings[0]!.risk).toContain('so revoking it changes nothing')

    const current = await readRuleset()
    const fix = planRuleChange(current, { ruleId: rule.id!, set: { expression: addRevocationClause(withoutRevocation) } })
    checkWritten(current, await putRules(rulesToWrite(fix, await readRuleset())))
    expect(await statuses(valid, spare, other)).toEqual([403, 403, 200, 403])
    const revoked = await probeApi(valid)
    expect(revoked.attempts[0]).toMatchObject({ outcome: 'blocked', status: 403, rule: { description: DESCRIPTION } })
    expect((await probeApi(spare)).attempts[0]).toMatchObject({ outcome: 'allowed', status: 200 })
    expect((await doctor()).findings).toEqual([])
  })

  it('4. a plan made from version N is refused after an edit (N+1); the re-planned write leaves other rules byte for byte', async () => {
    // Other rules around the mTLS rule, written by someone else.
    const start = await readRuleset()
    const mtls = start.rules.find((r) => r.description === DESCRIPTION)!
    await cf.rulesets.rules.create(start.id, {
      zone_id: zoneId,
      action: 'log',
      expression: 'http.request.method eq "POST"',
      description: 'log posts',
    })
    await cf.rulesets.rules.create(start.id, {
      zone_id: zoneId,
      action: 'block',
      expression: 'starts_with(http.request.uri.path, "/admin") and not cf.tls_client_auth.cert_verified',
      description: 'admin needs a certificate',
      position: { before: mtls.id! },
    })

    const planned = await readRuleset()
    const plan = planRuleChange(planned, { ruleId: mtls.id!, set: { expression: recommendedExpression([API], ['/api/']) } })
    // Someone edits a rule between the plan and the write: version N+1.
    const log = planned.rules.find((r) => r.description === 'log posts')!
    await cf.rulesets.rules.edit(log.id!, { zone_id: zoneId, ruleset_id: planned.id, description: 'log posts (edited)' } as never)
    const moved = await readRuleset()
    expect(Number(moved.version)).toBe(Number(planned.version) + 1)

    let refused: unknown
    try {
      rulesToWrite(plan, moved)
    } catch (error) {
      refused = error
    }
    expect(refused).toBeInstanceOf(AppError)
    expect((refused as AppError).code).toBe('conflict')
    expect((refused as AppError).message).toBe(
      `The custom rules changed since the plan was made (version ${planned.version}, now ${moved.version}): ` +
        `rule "${DESCRIPTION}" was not written.`,
    )
    // Written, the stale plan would have undone that edit.
    expect(plan.rules.find((r) => r.id === log.id)?.description).toBe('log posts')
    // Nothing was sent: the concurrent edit stands, the mTLS rule is unchanged.
    expect(JSON.stringify((await readRuleset()).rules)).toBe(JSON.stringify(moved.rules))

    // Re-planned from what is there now, written: only the mTLS rule changed, the others are the same JSON.
    const replan = planRuleChange(moved, { ruleId: mtls.id!, set: { expression: recommendedExpression([API], ['/api/']) } })
    const justBefore = await readRuleset()
    checkWritten(justBefore, await putRules(rulesToWrite(replan, justBefore)))
    const after = await readRuleset()
    expect(after.version).toBe(String(Number(moved.version) + 1))
    expect(after.rules.map((r) => r.id)).toEqual(moved.rules.map((r) => r.id))
    for (const [i, rule] of moved.rules.entries()) {
      if (rule.id === mtls.id) continue
      expect(JSON.stringify(after.rules[i])).toBe(JSON.stringify(rule))
    }
    const changed = after.rules.find((r) => r.id === mtls.id)!
    expect(changed.expression).toBe(recommendedExpression([API], ['/api/']))
    expect(Number(changed['version'])).toBe(Number(mtls['version']) + 1)

    // The edge applies the new list: /api/ needs a certificate, /admin needs a verified one, the rest is open.
    const spare = await issue('device-3.example.com')
    const replies = await Promise.all([viaCurl(undefined, '/api/x'), viaCurl(spare, '/api/x'), viaCurl(undefined, '/admin'), viaCurl()])
    expect(replies.map((r) => r.status)).toEqual([403, 200, 403, 200])
    // Test access agrees with curl on the same requests.
    const probed = await probe({
      url: `https://${API}:${edge.port}/api/x`,
      resolve: `${API}:${edge.port}:127.0.0.1`,
      caPem: edge.caPem,
      client: { certificatePem: spare.certificatePem, keyPem: spare.keyPem },
    })
    expect(probed.attempts.map((a) => a.status)).toEqual([200, 403])
    expect(probed.attempts[1]!.rule?.description).toBe(DESCRIPTION)
  })

  it('after the write: another write that landed between the check and the PUT is reported (it was replaced)', async () => {
    const current = await readRuleset()
    const log = current.rules.find((r) => r.description === 'log posts (edited)')!
    const plan = planRuleChange(current, { ruleId: log.id!, set: { enabled: false } })
    const rules = rulesToWrite(plan, current)
    // Lands after the check, before the PUT: Cloudflare cannot refuse the PUT, the client finds it afterwards.
    await cf.rulesets.rules.edit(log.id!, { zone_id: zoneId, ruleset_id: current.id, description: 'slipped in' } as never)
    const written = await putRules(rules)
    let error: unknown
    try {
      checkWritten(current, written)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).message).toBe(
      `Another change to the custom rules landed while this one was written (version ${written.version}, ` +
        `expected ${Number(current.version) + 1}).`,
    )
    expect((await readRuleset()).rules.find((r) => r.id === log.id)).toMatchObject({ enabled: false, description: 'log posts (edited)' })
  })
})
