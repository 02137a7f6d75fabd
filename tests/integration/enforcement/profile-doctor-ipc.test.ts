/**
 * `rules:doctorProfile` and `rules:probe` through dispatch (as IPC runs them), against the app's own Sandbox profile and
 * its edge. The doctor covers every zone of the profile and the BYO-CA hostnames without being told the CA; Test access
 * reads the vault key in main (no key crosses IPC), sends the Sandbox's hostnames to its edge, and Node's own https
 * client (not Certdesk's probe) is the referee for the status the edge gives.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createHandlers } from '../../../src/main/handlers'
import { createServices } from '../../../src/main/services'
import type { SandboxHandle } from '../../../src/main/sandbox'
import type { ResponseOf } from '../../../src/shared/contract'
import type { Profile } from '../../../src/shared/model'
import { ipcCaller, memorySecrets } from '../../support/services'
import { edgeRequest } from '../sandbox/edge-helpers'

const services = createServices({
  userDataDir: mkdtempSync(join(tmpdir(), 'certdesk-profile-doctor-')),
  appVersion: 'test',
  secrets: memorySecrets(),
  dialogs: { saveFile: async () => null, confirm: async () => true },
  sandbox: { timing: { revocationMs: 200, reactivationMs: 200, gatewayDeployMs: 200 } },
})
const handlers = createHandlers(services)

const call = ipcCaller(handlers)

let profile: Profile
let sandbox: SandboxHandle
const zoneId = (name: string) => profile.zones.find((z) => z.name === name)!.id
type ProfileReport = ResponseOf<'rules:doctorProfile'>
type Probe = ResponseOf<'rules:probe'>

beforeAll(async () => {
  profile = await call<Profile>('profiles:add', { kind: 'sandbox', name: 'Sandbox' })
  sandbox = await services.sandbox.handle()
})
afterAll(() => services.close())

/** Node's https client, presenting the certificate or not: the status the edge answers. */
const referee = async (host: string, client?: { cert: string; key: string }): Promise<number> =>
  (await edgeRequest(sandbox.edge!, { servername: host, ...(client ?? {}) })).status

describe('the doctor across the zones of a profile', () => {
  test('every zone is checked; the BYO CA associated on example.net is found without naming it', async () => {
    const report = await call<ProfileReport>('rules:doctorProfile', { profileId: profile.id })
    expect(report.enforced).toBe(false)
    expect(report.notes).toEqual([])
    expect(report.zones.filter((z) => z.error)).toEqual([])
    // Only your own CAs: Gateway's Cloudflare-managed CA has no hostname associations to read.
    expect(report.cas.map((c) => c.name)).not.toContain('Gateway CA - Cloudflare Managed')
    expect(report.zones.map((z) => z.zone).sort()).toEqual(profile.zones.map((z) => z.name).sort())
    const corp = report.cas.find((c) => c.name === 'Corporate root (BYO-CA)')
    expect(corp).toBeDefined()
    const net = report.zones.find((z) => z.zone === 'example.net')!
    expect(net.zoneId).toBe(zoneId('example.net'))
    expect(net.hostnames).toEqual([expect.objectContaining({ hostname: 'partners.example.net', ca: corp!.id, blocksMissing: false })])
    expect(net.findings).toEqual([expect.objectContaining({ kind: 'not_enforced', hostname: 'partners.example.net' })])
    // The per-zone channel sees it only when told the CA: the profile doctor is what finds it.
    const named = await call<ResponseOf<'rules:doctor'>>('rules:doctor', { profileId: profile.id, zoneId: zoneId('example.net') })
    expect(named.hostnames.map((h) => h.hostname)).not.toContain('partners.example.net')
  })

  test('zoneIds limits it to one zone; an unknown zone is reported as not checked, not as enforced', async () => {
    const one = await call<ProfileReport>('rules:doctorProfile', { profileId: profile.id, zoneIds: [zoneId('example.com')] })
    expect(one.zones.map((z) => z.zone)).toEqual(['example.com'])
    expect(one.zones[0]!.hostnames.map((h) => h.hostname).sort()).toEqual(['api.example.com', 'devices.example.com'])
    const unknown = await call<ProfileReport>('rules:doctorProfile', { profileId: profile.id, zoneIds: ['f'.repeat(32)] })
    expect(unknown.enforced).toBe(false)
    expect(unknown.zones[0]).toMatchObject({ zoneId: 'f'.repeat(32), error: { code: 'not_found' }, hostnames: [], findings: [] })
  })
})

describe('Test access with a vault key', () => {
  let keyId: string
  let certificatePem: string

  beforeAll(async () => {
    const made = await call<ResponseOf<'keys:newCsr'>>('keys:newCsr', {
      keyType: 'ec-p256',
      subject: { cn: 'laptop-probe' },
      sans: [],
    })
    keyId = made.key.id
    const issued = await call<ResponseOf<'clientCerts:issueForKey'>>('clientCerts:issueForKey', {
      profileId: profile.id,
      zoneId: zoneId('example.com'),
      keyId,
      validityDays: 30,
    })
    certificatePem = issued.certificate.certificate!
  })

  test('no rule: the certificate and no certificate both reach the origin (Node agrees)', async () => {
    const result = await call<Probe>('rules:probe', { profileId: profile.id, url: 'https://api.example.com/', keyId })
    expect(result.attempts.map((a) => [a.withCertificate, a.outcome, a.status])).toEqual([
      [true, 'allowed', 200],
      [false, 'allowed', 200],
    ])
    expect(result.attempts[0]!.tls).toMatchObject({ clientCertificateRequested: true, clientCertificateSent: true, chainedToGivenCa: true })
    expect(result.attempts[0]!.clientCertificate?.subject).toContain('laptop-probe')
    expect(JSON.stringify(result)).not.toMatch(/PRIVATE KEY/)
    expect(await referee('api.example.com')).toBe(200)
  })

  test('enforced: the request without a certificate is blocked with a ray id and the rule; expect is judged', async () => {
    const zone = { profileId: profile.id, zoneId: zoneId('example.com'), hostnames: ['api.example.com'] }
    const plan = await call<ResponseOf<'rules:planEnforce'>>('rules:planEnforce', zone)
    await call('rules:enforce', { ...zone, version: plan.version })
    const none = await call<Probe>('rules:probe', {
      profileId: profile.id,
      url: 'https://api.example.com/',
      noCert: true,
      expect: 'blocked',
    })
    expect(none.attempts).toHaveLength(1)
    expect(none.attempts[0]).toMatchObject({ outcome: 'blocked', blockedBy: 'cloudflare', status: 403 })
    expect(none.attempts[0]!.rayId).toMatch(/\S/)
    expect(none.attempts[0]!.rule?.description).toBe(plan.after.description)
    expect(none.pass).toBe(true)
    const good = await call<Probe>('rules:probe', { profileId: profile.id, url: 'https://api.example.com/', keyId, expect: 'blocked' })
    expect(good.attempts.map((a) => a.outcome)).toEqual(['allowed', 'blocked'])
    expect(good.pass).toBe(false)
    const key = await services.vault.exportPkcs8(keyId)
    expect(await referee('api.example.com', { cert: certificatePem, key })).toBe(200)
    expect(await referee('api.example.com')).toBe(403)
  })

  test('bad input: a key and "no certificate" together, a hostname outside the Sandbox, a key without a certificate', async () => {
    await expect(
      call('rules:probe', { profileId: profile.id, url: 'https://api.example.com/', keyId, noCert: true }),
    ).rejects.toMatchObject({ code: 'validation', message: expect.stringContaining('Choose a vault key or "no certificate"') })
    await expect(call('rules:probe', { profileId: profile.id, url: 'https://www.example.org/', noCert: true })).rejects.toMatchObject({
      code: 'bad_input',
      message: expect.stringContaining("www.example.org is not a hostname of the Sandbox's zones"),
    })
    const bare = await call<ResponseOf<'keys:newCsr'>>('keys:newCsr', { keyType: 'ec-p256', subject: { cn: 'no-cert-yet' }, sans: [] })
    await expect(call('rules:probe', { profileId: profile.id, url: 'https://api.example.com/', keyId: bare.key.id })).rejects.toMatchObject(
      {
        code: 'bad_input',
        message: expect.stringContaining('has no certificate yet'),
      },
    )
    await expect(call('rules:probe', { url: 'http://api.example.com/' })).rejects.toMatchObject({ code: 'bad_input' })
  })
})
