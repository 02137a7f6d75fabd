import * as x509 from '@peculiar/x509'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  addAccessCertificate,
  deleteAccessCertificate,
  getAccessHostnameSettings,
  listAccessCertificates,
  updateAccessHostnames,
  updateAccessHostnameSettings,
  type NamedAccessScope,
} from '../../../src/main/cloudflare/access-mtls'
import { deleteMtlsCertificate, getMtlsAssociations, listMtlsCertificates, uploadCaChain } from '../../../src/main/cloudflare/account-mtls'
import {
  activateAndWait,
  createGatewayCertificate,
  switchGatewayCertificate,
  deleteGatewayCertificate,
  fingerprintOfPem,
  inspectionCertificateId,
  listGatewayCertificates,
  uploadCustomRoot,
  useForInspection,
  watchBindingStatus,
} from '../../../src/main/cloudflare/gateway'
import { getHostnameAssociations, replaceHostnameAssociations } from '../../../src/main/cloudflare/hostnames'
import { listZones, tokenIdentity, verifyToken } from '../../../src/main/cloudflare/tokens'
import { startSandbox, type SandboxHandle } from '../../../src/main/sandbox'
import { createCloudflareClient } from '../../../src/main/cloudflare/client'
import { RateLimiter } from '../../../src/main/cloudflare/rate-limit'
import { AppError } from '../../../src/shared/errors'
import { clientFor, opensslCa } from './helpers'

let sb: SandboxHandle
const cleanups: Array<() => void> = []

beforeAll(async () => {
  sb = await startSandbox({ seed: 'empty', timing: { revocationMs: 100, reactivationMs: 100, gatewayDeployMs: 300 } })
})
afterAll(async () => {
  cleanups.forEach((c) => c())
  await sb.close()
})

function ca(cn: string) {
  const made = opensslCa(cn)
  cleanups.push(made.cleanup)
  return made
}

const fail = async (p: Promise<unknown>): Promise<AppError> => {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}

describe('tokens and identity', () => {
  test('user token verifies at /user/tokens/verify and sees the account and both zones', async () => {
    const client = clientFor(sb, sb.tokens.full)
    const v = await verifyToken(client)
    expect(v).toMatchObject({ status: 'active', owner: 'user' })
    const zones = await listZones(client)
    expect(zones.map((z) => z.name).sort()).toEqual(sb.zones.map((z) => z.name).sort())
    const identity = await tokenIdentity(client)
    expect(identity.accounts).toEqual([sb.account])
    expect(identity.missing).toEqual([])
    expect(identity.permissions.find((p) => p.permission === 'Zero Trust Write')?.state).toBe('unknown')
    expect(identity.permissions.filter((p) => p.state === 'granted')).toHaveLength(8)
  })

  test('account-owned token: 401 at the user endpoint, verified at the account endpoint', async () => {
    const client = clientFor(sb, sb.tokens.accountOwned)
    const v = await verifyToken(client, [sb.account.id])
    expect(v).toMatchObject({ status: 'active', owner: 'account', accountId: sb.account.id })
    const paths = sb
      .requests()
      .slice(-2)
      .map((r) => `${r.status} ${r.path}`)
    expect(paths).toEqual(['401 /user/tokens/verify', `200 /accounts/${sb.account.id}/tokens/verify`])
    // Without a known account it finds one by listing.
    expect((await verifyToken(client)).owner).toBe('account')
  })

  test('revoked token is reported as such; read-only and no-SSL-write tokens have their gaps named', async () => {
    const revoked = await fail(verifyToken(clientFor(sb, sb.tokens.revoked), [sb.account.id]))
    expect(revoked.code).toBe('cf_token_invalid')
    // Expired: the verify endpoint answers with the status and date; the identity refuses it by name, and
    // any other call is 401, as Cloudflare does.
    const expired = clientFor(sb, sb.tokens.expired)
    expect(await verifyToken(expired)).toMatchObject({ status: 'expired', expiresOn: '2026-06-30T00:00:00Z' })
    const refused = await fail(tokenIdentity(expired))
    expect(refused).toMatchObject({
      code: 'cf_token_inactive',
      message: 'This API token expired on 2026-06-30; Cloudflare refuses it for every call.',
    })
    expect(refused.hint).toMatch(/My Profile → API Tokens/)
    expect(sb.requests().at(-1)).toMatchObject({ status: 200, path: '/user/tokens/verify' })
    expect((await fail(listZones(expired))).code).toBe('cf_token_invalid')
    const readOnly = await tokenIdentity(clientFor(sb, sb.tokens.readOnly))
    expect(readOnly.missing.sort()).toEqual([
      'Access: Mutual TLS Certificates Write',
      'Account: SSL and Certificates Write',
      'SSL and Certificates Write',
    ])
    const noSsl = await tokenIdentity(clientFor(sb, sb.tokens.noSslWrite))
    expect(noSsl.missing).toEqual(['SSL and Certificates Write'])
    expect(noSsl.permissions.find((p) => p.permission === 'SSL and Certificates Write')?.probedOn).toBe(noSsl.zones[0]?.name)
    // The write probes created nothing.
    const snap = sb.snapshot()
    expect(snap.clientCertificates).toHaveLength(0)
    expect(snap.accessCertificates).toHaveLength(0)
    expect(snap.mtlsCertificates).toHaveLength(0)
  })
})

describe('hostname associations and account mTLS (BYO CA)', () => {
  test('managed CA: replace with a plan, refuse a stale plan, clear', async () => {
    const client = clientFor(sb, sb.tokens.full)
    const zone = { zoneId: sb.zones[0]!.id, zoneName: sb.zones[0]!.name }
    expect(await getHostnameAssociations(client, zone)).toEqual([])
    const first = await replaceHostnameAssociations(client, zone, { hostnames: ['API.example.com', 'iot.example.com'] })
    expect(first.plan).toEqual({ added: ['api.example.com', 'iot.example.com'], removed: [], kept: [] })
    const second = await replaceHostnameAssociations(client, zone, {
      hostnames: ['iot.example.com', 'mtls.example.com'],
      expectedCurrent: ['api.example.com', 'iot.example.com'],
    })
    expect(second.plan).toEqual({ added: ['mtls.example.com'], removed: ['api.example.com'], kept: ['iot.example.com'] })
    expect((await getHostnameAssociations(client, zone)).sort()).toEqual(['iot.example.com', 'mtls.example.com'])
    const stale = await fail(
      replaceHostnameAssociations(client, zone, { hostnames: [], expectedCurrent: ['api.example.com', 'iot.example.com'] }),
    )
    expect(stale.code).toBe('conflict')
    expect(await getHostnameAssociations(client, zone)).toHaveLength(2) // nothing changed
    const noop = await replaceHostnameAssociations(client, zone, { hostnames: ['mtls.example.com', 'iot.example.com'] })
    expect(noop.changed).toBe(false)
    await replaceHostnameAssociations(client, zone, { hostnames: [] })
    expect(await getHostnameAssociations(client, zone)).toEqual([])
    const denied = await fail(replaceHostnameAssociations(clientFor(sb, sb.tokens.readOnly), zone, { hostnames: ['x.example.com'] }))
    expect(denied.message).toBe(`This token lacks *SSL and Certificates Write* on zone ${zone.zoneName}.`)
  })

  test('BYO CA: upload (leaf-first bundle reordered), associate, delete refused while associated, then deleted', async () => {
    const client = clientFor(sb, sb.tokens.full)
    const account = { accountId: sb.account.id, accountName: sb.account.name }
    const zone = { zoneId: sb.zones[1]!.id, zoneName: sb.zones[1]!.name }
    const root = ca('BYO Root')
    const uploaded = await uploadCaChain(client, account, { name: 'byo', chainPem: root.certPem })
    expect(uploaded).toMatchObject({ ca: true, name: 'byo', type: 'custom' })
    expect((await listMtlsCertificates(client, account, ['custom'])).map((c) => c.id)).toContain(uploaded.id)
    await replaceHostnameAssociations(client, zone, { hostnames: ['devices.example.net'], mtlsCertificateId: uploaded.id })
    expect(await getHostnameAssociations(client, zone, { mtlsCertificateId: uploaded.id })).toEqual(['devices.example.net'])
    expect(await getMtlsAssociations(client, account, uploaded.id)).toEqual([{ service: 'hostname_associations', status: 'active' }])
    const blocked = await fail(deleteMtlsCertificate(client, account, uploaded.id))
    expect(blocked.code).toBe('cf_in_use')
    expect(blocked.message).toMatch(/still used by hostname_associations \(active\)/)
    await replaceHostnameAssociations(client, zone, { hostnames: [], mtlsCertificateId: uploaded.id })
    await deleteMtlsCertificate(client, account, uploaded.id)
    expect((await listMtlsCertificates(client, account)).some((c) => c.id === uploaded.id)).toBe(false)
  })

  test('CA quota 1489', async () => {
    const small = await startSandbox({ seed: 'empty', limits: { accountCas: 1 } })
    try {
      const client = clientFor(small, small.tokens.full)
      const account = { accountId: small.account.id, accountName: small.account.name }
      await uploadCaChain(client, account, { chainPem: ca('Q1').certPem })
      const error = await fail(uploadCaChain(client, account, { chainPem: ca('Q2').certPem }))
      expect(error.code).toBe('cf_ca_quota')
      expect(error.message).toContain(small.account.name)
    } finally {
      await small.close()
    }
  })
})

describe('Access mTLS roots', () => {
  for (const kind of ['account', 'zone'] as const) {
    test(`${kind}: add, list, update hostnames, settings, delete detaches first`, async () => {
      const client = clientFor(sb, sb.tokens.full)
      const scope: NamedAccessScope =
        kind === 'account'
          ? { kind, accountId: sb.account.id, name: sb.account.name }
          : { kind, zoneId: sb.zones[0]!.id, name: sb.zones[0]!.name }
      const root = ca(`Access ${kind}`)
      const added = await addAccessCertificate(client, scope, {
        name: `Allow devs ${kind}`,
        certificatePem: root.certPem,
        hostnames: ['admin.example.com'],
      })
      expect(added.associatedHostnames).toEqual(['admin.example.com'])
      expect(added.fingerprint).toMatch(/1?[0-9A-F]{2}:/i)
      expect((await listAccessCertificates(client, scope)).map((c) => c.id)).toContain(added.id)
      const updated = await updateAccessHostnames(client, scope, added.id, ['admin.example.com', 'dev.example.com'])
      expect(updated.associatedHostnames.sort()).toEqual(['admin.example.com', 'dev.example.com'])

      const settings = await updateAccessHostnameSettings(client, scope, [
        { hostname: 'admin.example.com', chinaNetwork: false, clientCertificateForwarding: true },
      ])
      expect(settings).toEqual([{ hostname: 'admin.example.com', chinaNetwork: false, clientCertificateForwarding: true }])
      expect(await getAccessHostnameSettings(client, scope)).toEqual(settings)
      const foreign = await fail(
        updateAccessHostnameSettings(client, scope, [
          { hostname: 'www.not-ours.org', chinaNetwork: false, clientCertificateForwarding: false },
        ]),
      )
      expect(foreign.code).toBe('cf_hostname_not_in_account')

      const progress: string[] = []
      const before = sb.requests().length
      const deleted = await deleteAccessCertificate(client, scope, added.id, { onProgress: (p) => progress.push(p.message ?? '') })
      expect(deleted.detached.sort()).toEqual(['admin.example.com', 'dev.example.com'])
      const calls = sb
        .requests()
        .slice(before)
        .map((r) => r.method)
      expect(calls).toEqual(['GET', 'PUT', 'DELETE']) // detach before delete
      expect(progress.at(-1)).toMatch(/Deleted/)
      expect((await listAccessCertificates(client, scope)).some((c) => c.id === added.id)).toBe(false)
    })
  }

  test('the detach/delete race is retried with backoff', async () => {
    const scope: NamedAccessScope = { kind: 'account', accountId: sb.account.id, name: sb.account.name }
    const other = clientFor(sb, sb.tokens.full)
    const added = await addAccessCertificate(other, scope, {
      name: 'Racy',
      certificatePem: ca('Racy').certPem,
      hostnames: ['race.example.com'],
    })
    // Another actor re-attaches a hostname between our detach and our delete, and detaches it again
    // a moment later (as Cloudflare's propagation does): the first delete is refused as in use.
    let raced = false
    const racingFetch: typeof fetch = async (input, init) => {
      if (!raced && init?.method === 'DELETE' && String(input).includes(added.id)) {
        raced = true
        await updateAccessHostnames(other, scope, added.id, ['race.example.com'])
        setTimeout(() => void updateAccessHostnames(other, scope, added.id, []), 150)
      }
      return fetch(input, init)
    }
    const client = createCloudflareClient({
      token: sb.tokens.full,
      baseUrl: sb.url,
      fetch: racingFetch,
      limiter: new RateLimiter({ baseBackoffMs: 100, maxBackoffMs: 400 }),
    })
    const messages: string[] = []
    const result = await deleteAccessCertificate(client, scope, added.id, { onProgress: (p) => messages.push(p.message ?? '') })
    expect(raced).toBe(true)
    expect(result.attempts).toBeGreaterThanOrEqual(2)
    expect(messages.some((m) => /still sees Racy in use; retrying/.test(m))).toBe(true)
    expect((await listAccessCertificates(other, scope)).some((c) => c.id === added.id)).toBe(false)
  })

  test('quota 12130 and a key pasted as the certificate', async () => {
    const small = await startSandbox({ seed: 'empty', limits: { accessCertificates: 1 } })
    try {
      const client = clientFor(small, small.tokens.full)
      const scope: NamedAccessScope = { kind: 'account', accountId: small.account.id }
      await addAccessCertificate(client, scope, { name: 'one', certificatePem: ca('A1').certPem })
      expect((await fail(addAccessCertificate(client, scope, { name: 'two', certificatePem: ca('A2').certPem }))).code).toBe('cf_quota')
      const key = ca('A3').keyPem
      const pasted = await fail(addAccessCertificate(client, scope, { name: 'key', certificatePem: key }))
      expect(pasted.message).toMatch(/private key/)
      expect(JSON.stringify(pasted.toShape())).not.toContain(key.split('\n')[1])
    } finally {
      await small.close()
    }
  })
})

describe('Gateway (BYOPKI: Cloudflare docs, Deploy custom certificate)', () => {
  test('upload custom root, activate, watch until available, use for inspection, deactivate, delete', async () => {
    const client = clientFor(sb, sb.tokens.full)
    const account = { accountId: sb.account.id, accountName: sb.account.name }
    const root = ca('Gateway Custom Root')
    const steps: string[] = []
    const upload = await uploadCustomRoot(
      client,
      account,
      { name: 'corp root', chainPem: root.certPem, privateKeyPem: root.keyPem },
      { onProgress: (p) => steps.push(p.message ?? '') },
    )
    expect(upload.matchedBy).toBe('id')
    expect(upload.gateway).toMatchObject({ type: 'custom', bindingStatus: 'inactive', inUse: false })
    expect(upload.gateway.fingerprint).toBe(fingerprintOfPem(root.certPem))
    expect(steps).toEqual(['Uploading the root certificate', 'Finding the Gateway certificate', 'Uploaded'])

    const id = upload.gateway.id
    const refused = await fail(useForInspection(client, account, id))
    expect(refused.code).toBe('cf_invalid_state')

    const seen: string[] = []
    const available = await activateAndWait(client, account, id, { intervalMs: 100, onProgress: (p) => seen.push(p.message ?? '') })
    expect(available.bindingStatus).toBe('available')
    expect(seen).toContain('Binding status: pending_deployment')
    expect(seen.at(-1)).toBe('Binding status: available')

    await useForInspection(client, account, id)
    expect(await inspectionCertificateId(client, account)).toBe(id)
    const patch = sb.requests().filter((r) => r.method === 'PATCH' && r.path.endsWith('/gateway/configuration'))
    expect(patch).toHaveLength(1)
    expect((await listGatewayCertificates(client, account)).find((g) => g.id === id)?.inUse).toBe(true)

    expect((await fail(deleteGatewayCertificate(client, account, id))).code).toBe('cf_in_use')
    // A managed certificate takes over inspection so the custom one can be retired.
    const managed = await createGatewayCertificate(client, account, 365)
    await activateAndWait(client, account, managed.id, { intervalMs: 100 })
    await useForInspection(client, account, managed.id)
    await switchGatewayCertificate(client, account, id, 'deactivate')
    const inactive = await watchBindingStatus(client, account, id, { until: 'inactive', intervalMs: 100 })
    expect(inactive.bindingStatus).toBe('inactive')
    await deleteGatewayCertificate(client, account, id)
    expect((await listGatewayCertificates(client, account)).some((g) => g.id === id)).toBe(false)
  })

  test('watch can be cancelled', async () => {
    const client = clientFor(sb, sb.tokens.full)
    const account = { accountId: sb.account.id }
    const cert = await createGatewayCertificate(client, account)
    const activated = await switchGatewayCertificate(client, account, cert.id, 'activate')
    expect(activated.bindingStatus).toBe('pending_deployment')
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 50)
    const error = await fail(watchBindingStatus(client, account, cert.id, { intervalMs: 100, signal: controller.signal }))
    expect(error.code).toBe('cancelled')
  })

  test('certificate PEM from the Sandbox parses and matches its fingerprint', async () => {
    const client = clientFor(sb, sb.tokens.full)
    const [first] = await listGatewayCertificates(client, { accountId: sb.account.id })
    const cert = new x509.X509Certificate(first!.certificate!)
    expect(fingerprintOfPem(cert.toString('pem'))).toBe(first!.fingerprint)
  })
})
