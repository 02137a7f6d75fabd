import * as x509 from '@peculiar/x509'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import {
  bulkRevoke,
  createClientCertificate,
  findByCsr,
  getClientCertificate,
  listClientCertificatePages,
  listClientCertificates,
  pemBody,
  reactivateClientCertificate,
  revokeClientCertificate,
} from '../../../src/main/cloudflare/client-certificates'
import { startSandbox, type SandboxHandle } from '../../../src/main/sandbox'
import { AppError } from '../../../src/shared/errors'
import { makeCsr } from '../../support/csr'
import { clientFor } from './helpers'

let sb: SandboxHandle
let zone: { zoneId: string; zoneName: string }

beforeAll(async () => {
  sb = await startSandbox({ seed: 'demo', timing: { revocationMs: 60_000, reactivationMs: 60_000, gatewayDeployMs: 200 } })
  zone = { zoneId: sb.zones[0]!.id, zoneName: sb.zones[0]!.name }
})
afterAll(async () => sb.close())
afterEach(() => sb.faults.clear())

async function issue(client: ReturnType<typeof clientFor>, n: number): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < n; i++)
    ids.push((await createClientCertificate(client, zone, { csrPem: (await makeCsr(`bulk-${i}`)).pem, validityDays: 365 })).certificate.id)
  return ids
}

const posts = (path: string) => sb.requests().filter((r) => r.method === 'POST' && r.path === path)

describe('client certificates against the Sandbox', () => {
  test('create from a CSR: the certificate carries the CSR’s key and chains to the zone CA', async () => {
    const client = clientFor(sb, sb.tokens.full)
    const csr = await makeCsr('device-create.example.com')
    const result = await createClientCertificate(client, zone, { csrPem: csr.pem, validityDays: 365 })
    expect(result.recovered).toBe(false)
    expect(result.certificate.status).toBe('active')
    expect(result.certificate.commonName).toBe('device-create.example.com')
    expect(result.certificate.validityDays).toBe(365)
    const cert = new x509.X509Certificate(result.certificate.certificate!)
    expect(Buffer.from(cert.publicKey.rawData).equals(Buffer.from(csr.publicKeyDer))).toBe(true)
    expect(cert.notAfter.getTime() - cert.notBefore.getTime()).toBe(365 * 86_400_000)
    const got = await getClientCertificate(client, zone, result.certificate.id)
    expect(got.fingerprintSha256).toBe(result.certificate.fingerprintSha256)
    // The SDK sent the pinned api-version and one create.
    expect(posts(`/zones/${zone.zoneId}/client_certificates`).length).toBeGreaterThanOrEqual(1)
  })

  test('list: status filter and every page streamed, with progress, no page past the end', async () => {
    const client = clientFor(sb, sb.tokens.full)
    const before = sb.requests().length
    const progress: number[] = []
    const pages: number[] = []
    const ids = new Set<string>()
    for await (const page of listClientCertificatePages(client, zone, {
      status: 'revoked',
      perPage: 10,
      onProgress: (p) => progress.push(p.done),
    })) {
      pages.push(page.page)
      for (const item of page.items) {
        expect(item.status).toBe('revoked')
        ids.add(item.id)
      }
    }
    const expected = sb.snapshot().clientCertificates.filter((c) => c.zoneId === zone.zoneId && c.status === 'revoked').length
    expect(expected).toBeGreaterThan(10) // the demo seed has enough for two pages at least
    expect(ids.size).toBe(expected)
    const pageCount = Math.ceil(expected / 10)
    expect(pages).toEqual(Array.from({ length: pageCount }, (_, i) => i + 1))
    expect(progress.at(-1)).toBe(expected)
    const requests = sb.requests().slice(before)
    // One request per page, none for an empty page past the end.
    expect(requests.map((r) => r.query['page'])).toEqual(pages.map(String))
    expect(requests.every((r) => r.query['status'] === 'revoked')).toBe(true)
    const all = await listClientCertificates(client, zone)
    expect(all.length).toBe(sb.snapshot().clientCertificates.filter((c) => c.zoneId === zone.zoneId).length)
  })

  test('revoke, reactivate, and the states that refuse', async () => {
    const client = clientFor(sb, sb.tokens.full)
    const { certificate } = await createClientCertificate(client, zone, { csrPem: (await makeCsr('device-rr')).pem, validityDays: 730 })
    const revoked = await revokeClientCertificate(client, zone, certificate.id)
    expect(revoked.status).toBe('pending_revocation')
    // Revoking again is not an error: it is already where the user wants it.
    expect((await revokeClientCertificate(client, zone, certificate.id)).status).toBe('pending_revocation')
    const back = await reactivateClientCertificate(client, zone, certificate.id)
    expect(back.status).toBe('pending_reactivation')
    const active = (await listClientCertificates(client, zone, { status: 'active' })).find((c) => c.id === certificate.id)
    expect(active).toBeUndefined() // pending_reactivation is not active yet
    const revokedOne = (await listClientCertificates(client, zone, { status: 'revoked' }))[0]!
    const error = await reactivateClientCertificate(client, zone, revokedOne.id).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe('cf_invalid_state')
    expect((error as AppError).message).toMatch(/is revoked: only a certificate pending revocation can be reactivated/)
    const missing = (await getClientCertificate(client, zone, '0'.repeat(32)).catch((e: unknown) => e)) as AppError
    expect(missing.code).toBe('not_found')
  })

  test('timeout after server-side success: resolved by CSR lookup, never a duplicate', async () => {
    const client = clientFor(sb, sb.tokens.full, { attemptTimeoutMs: 800 })
    const csr = await makeCsr('device-lost-answer')
    const path = `/zones/${zone.zoneId}/client_certificates`
    const postsBefore = posts(path).length
    sb.faults.set({ timeoutAfterSuccess: { count: 1, method: 'POST', delayMs: 3000 } })
    const result = await createClientCertificate(client, zone, { csrPem: csr.pem, validityDays: 365 })
    expect(result.recovered).toBe(true)
    expect(result.attempts).toBe(1)
    expect(posts(path).length - postsBefore).toBe(1) // the create was never sent again
    const all = await listClientCertificates(client, zone)
    expect(all.filter((c) => c.id === result.certificate.id)).toHaveLength(1)
    const matching = sb.snapshot().clientCertificates.filter((c) => pemBody(c.csr) === pemBody(csr.pem))
    expect(matching).toHaveLength(1)
  })

  test('dropped connection and 500 on create: nothing was issued, so it is created once more — exactly one', async () => {
    const client = clientFor(sb, sb.tokens.full)
    const path = `/zones/${zone.zoneId}/client_certificates`
    for (const fault of [{ drop: { count: 1, method: 'POST' } }, { serverErrors: { status: 500 as const, count: 1, method: 'POST' } }]) {
      const csr = await makeCsr('device-retry')
      const before = posts(path).length
      sb.faults.set(fault)
      // Nothing appears within the (shortened) settle window, so the create is sent again.
      const result = await createClientCertificate(client, zone, { csrPem: csr.pem, validityDays: 365 }, { settleMs: 300, pollMs: 100 })
      expect(result.recovered).toBe(false)
      expect(result.attempts).toBe(2)
      expect(posts(path).length - before).toBe(2)
      expect(sb.snapshot().clientCertificates.filter((c) => pemBody(c.csr) === pemBody(csr.pem))).toHaveLength(1)
    }
  })

  test('a CSR reused on purpose: an older certificate for it is not mistaken for the lost one', async () => {
    const client = clientFor(sb, sb.tokens.full)
    const csr = await makeCsr('device-reused')
    await createClientCertificate(client, zone, { csrPem: csr.pem, validityDays: 365 })
    expect(await findByCsr(client, zone, csr.pem, Date.now() + 60 * 60_000)).toBeNull()
    expect(await findByCsr(client, zone, csr.pem, Date.now() - 1000)).not.toBeNull()
  })

  test('5xx on reads are repeated; a 429 storm without Retry-After slows a bulk revoke down but it completes', async () => {
    const client = clientFor(sb, sb.tokens.full)
    sb.faults.set({ serverErrors: { status: 503, count: 2 } })
    expect((await listClientCertificates(client, zone, { status: 'active' })).length).toBeGreaterThan(0)
    expect(client.limiter.stats().transientFailures).toBe(2)

    const targets = await issue(client, 20)
    sb.faults.set({ rateLimit: { after: 3, count: 12, retryAfterSeconds: null } })
    const progress: number[] = []
    const result = await bulkRevoke(client, zone, targets, { concurrency: 6, onProgress: (p) => progress.push(p.done) })
    expect(result.failed).toEqual([])
    expect(result.succeeded.sort()).toEqual([...targets].sort())
    expect(result.retries).toBeGreaterThanOrEqual(12)
    expect(sb.faults.stats().rateLimited).toBeGreaterThanOrEqual(12)
    expect(progress.at(-1)).toBe(20)
    const now = await listClientCertificates(client, zone, { status: 'pending_revocation' })
    for (const id of targets) expect(now.some((c) => c.id === id)).toBe(true)
  })

  test('429 with Retry-After is honoured: every request waits, then all succeed', async () => {
    const client = clientFor(sb, sb.tokens.full)
    sb.faults.set({ rateLimit: { after: 0, count: 1, retryAfterSeconds: 1 } })
    const started = Date.now()
    const pages = await Promise.all([1, 2, 3].map(() => listClientCertificates(client, zone, { status: 'revoked' })))
    expect(Date.now() - started).toBeGreaterThanOrEqual(950)
    for (const p of pages) expect(p.length).toBe(pages[0]!.length)
  })

  test('cancel a bulk revoke: it stops taking new items', async () => {
    const client = clientFor(sb, sb.tokens.full)
    const targets = await issue(client, 6)
    const controller = new AbortController()
    const result = await bulkRevoke(client, zone, targets, {
      concurrency: 1,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done === 2) controller.abort()
      },
    })
    expect(result.cancelled).toBe(true)
    expect(result.succeeded.length).toBe(2)
  })

  test('cancel a bulk revoke with requests in flight: each certificate’s real outcome, read back from Cloudflare', async () => {
    const client = clientFor(sb, sb.tokens.full)
    const targets = await issue(client, 10)
    // Slow answers: the first four requests are in flight (Cloudflare acts on them) when the job is cancelled.
    sb.faults.set({ latencyMs: 300 })
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 150)
    const result = await bulkRevoke(client, zone, targets, { concurrency: 4, signal: controller.signal })
    sb.faults.clear()
    expect(result.cancelled).toBe(true)
    expect(result.items.map((i) => i.id)).toEqual(targets)
    const now = new Map((await listClientCertificates(client, zone, { status: 'all' })).map((c) => [c.id, c]))
    const revoked = targets.filter((id) => ['pending_revocation', 'revoked'].includes(now.get(id)!.status))
    // The aborted requests still reached Cloudflare: the job must count them, not report 0.
    expect(revoked.length).toBe(4)
    expect(result.succeeded.sort()).toEqual([...revoked].sort())
    for (const item of result.items) {
      expect(item.outcome).toBe(revoked.includes(item.id) ? 'done' : 'not_sent')
      expect(item.commonName).toBe(now.get(item.id)!.commonName)
    }
  })

  test('a bulk revoke cancelled in flight whose read-back fails reports those certificates as unknown', async () => {
    const client = clientFor(sb, sb.tokens.full)
    const targets = await issue(client, 3)
    // The revocations go through (slowly); every read fails, so the read-back cannot tell.
    sb.faults.set({ latencyMs: 300, serverErrors: { status: 500, count: 1000, method: 'GET' } })
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 100)
    const result = await bulkRevoke(client, zone, targets, { concurrency: 3, signal: controller.signal })
    sb.faults.clear()
    expect(result.items.map((i) => i.outcome)).toEqual(['unknown', 'unknown', 'unknown'])
    expect(result.succeeded).toEqual([])
    // Which was right not to claim either way: Cloudflare did revoke them.
    for (const id of targets) expect((await getClientCertificate(client, zone, id)).status).toBe('pending_revocation')
  })
})

describe('tokens, permissions and quotas', () => {
  test('read-only and no-SSL-write tokens: the message names the permission and the zone', async () => {
    for (const token of [sb.tokens.readOnly, sb.tokens.noSslWrite]) {
      const client = clientFor(sb, token)
      expect((await listClientCertificates(client, zone, { status: 'all' })).length).toBeGreaterThan(0)
      const error = (await createClientCertificate(client, zone, { csrPem: (await makeCsr('nope')).pem, validityDays: 365 }).catch(
        (e: unknown) => e,
      )) as AppError
      expect(error.code).toBe('cf_permission')
      expect(error.message).toBe(`This token lacks *SSL and Certificates Write* on zone ${zone.zoneName}.`)
    }
  })

  test('revoked token', async () => {
    const error = (await listClientCertificates(clientFor(sb, sb.tokens.revoked), zone).catch((e: unknown) => e)) as AppError
    expect(error.code).toBe('cf_token_invalid')
  })

  test('quota 1445: create refused; revoking frees a slot', async () => {
    const small = await startSandbox({ seed: 'empty', limits: { clientCertificatesPerZone: 2 }, timing: { revocationMs: 100 } })
    try {
      const z = { zoneId: small.zones[0]!.id, zoneName: small.zones[0]!.name }
      const client = clientFor(small, small.tokens.full)
      const first = await createClientCertificate(client, z, { csrPem: (await makeCsr('q1')).pem, validityDays: 365 })
      await createClientCertificate(client, z, { csrPem: (await makeCsr('q2')).pem, validityDays: 365 })
      const error = (await createClientCertificate(client, z, { csrPem: (await makeCsr('q3')).pem, validityDays: 365 }).catch(
        (e: unknown) => e,
      )) as AppError
      expect(error.code).toBe('cf_quota')
      expect(error.hint).toMatch(/revoking frees a slot/)
      await revokeClientCertificate(client, z, first.certificate.id)
      // The slot frees once the revocation has settled.
      await new Promise((r) => setTimeout(r, 250))
      expect((await getClientCertificate(client, z, first.certificate.id)).status).toBe('revoked')
      const retry = await createClientCertificate(client, z, { csrPem: (await makeCsr('q3')).pem, validityDays: 365 })
      expect(retry.certificate.status).toBe('active')
    } finally {
      await small.close()
    }
  })
})
