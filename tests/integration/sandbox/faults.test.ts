/** Fault injection: 429 (with/without Retry-After, after N, budget), 5xx, latency, drops, timeout-after-success, test API. */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { parseFaultSpec, startSandbox, type SandboxHandle } from '../../../src/main/sandbox'
import { makeCsr } from '../../support/csr'
import { client, errorCodes, testClock } from './helpers'

const clock = testClock()
let sb: SandboxHandle
let call: ReturnType<typeof client>
let list: string

beforeAll(async () => {
  sb = await startSandbox({ seed: 'empty', clock: clock.now })
  call = client(sb)
  list = `/zones/${sb.zones[0]!.id}/client_certificates`
})
afterAll(() => sb.close())
beforeEach(() => sb.faults.clear())

describe('parseFaultSpec', () => {
  test('parses the documented example', () => {
    expect(
      parseFaultSpec(
        '429@after=10,retry-after=1;budget=1200/300s;5xx=503x2;latency=50ms;drop=1;timeout-after-success=1@delay=5s,method=post',
      ),
    ).toEqual({
      rateLimit: { after: 10, count: 1, retryAfterSeconds: 1 },
      budget: { requests: 1200, windowMs: 300_000 },
      serverErrors: { status: 503, count: 2 },
      latencyMs: 50,
      drop: { count: 1 },
      timeoutAfterSuccess: { count: 1, delayMs: 5000, method: 'POST' },
    })
    expect(parseFaultSpec('budget=off')).toEqual({ budget: null })
  })

  test('names the bad part', () => {
    for (const [spec, message] of [
      ['5xx=404', /5xx must look like/],
      ['latency=fast', /latency must be a duration/],
      ['teapot=1', /unknown fault "teapot"/],
      ['budget=10', /budget must look like/],
      ['429@after=x', /429 after must be a whole number/],
    ] as const) {
      expect(() => parseFaultSpec(spec)).toThrow(AppError)
      expect(() => parseFaultSpec(spec)).toThrow(message)
    }
  })
})

describe('faults over HTTP', () => {
  test('429 after N requests, with Retry-After', async () => {
    sb.faults.set('429@after=2,retry-after=1')
    expect((await call('GET', list)).status).toBe(200)
    expect((await call('GET', list)).status).toBe(200)
    const limited = await call('GET', list)
    expect([limited.status, errorCodes(limited), limited.headers.get('retry-after')]).toEqual([429, [1015], '1'])
    expect((await call('GET', list)).status).toBe(200)
    expect(sb.faults.stats().rateLimited).toBeGreaterThanOrEqual(1)
  })

  test('429 without Retry-After', async () => {
    sb.faults.set('429@count=2')
    const a = await call('GET', list)
    const b = await call('GET', list)
    expect([a.status, b.status, a.headers.get('retry-after')]).toEqual([429, 429, null])
    expect((await call('GET', list)).status).toBe(200)
  })

  test('request budget per user: over it, every token of the user is blocked for the block time', async () => {
    sb.faults.set('budget=3/10s@block=20s')
    for (let i = 0; i < 3; i++) expect((await call('GET', list)).status).toBe(200)
    const over = await call('GET', list)
    expect(over.status).toBe(429)
    expect(Number(over.headers.get('retry-after'))).toBe(20)
    // Budgets are per user: another token of the same user is blocked too.
    expect((await call('GET', list, { token: 'readOnly' })).status).toBe(429)
    // The window has freed, but the block (Cloudflare: 5 minutes) has not ended.
    clock.advance(10_001)
    const blocked = await call('GET', list)
    expect(blocked.status).toBe(429)
    expect(Number(blocked.headers.get('retry-after'))).toBe(10)
    clock.advance(10_000)
    expect((await call('GET', list)).status).toBe(200)
  })

  test('every answer carries the IETF Ratelimit headers (remaining, seconds to a free place) and Ratelimit-Policy', async () => {
    sb.faults.set('budget=3/10s@block=30s')
    const before = sb.rateLimit.stats()
    const first = await call('GET', list)
    expect(first.headers.get('ratelimit-policy')).toBe('"burst";q=3;w=10')
    expect(first.headers.get('ratelimit')).toBe('"default";r=2;t=10')
    clock.advance(4000)
    // A 404 counts too, and says so.
    const noRoute = await fetch(`${sb.url}/zones/nope/nothing`, { headers: { authorization: `Bearer ${sb.tokens.full}` } })
    expect([noRoute.status, noRoute.headers.get('ratelimit')]).toEqual([404, '"default";r=1;t=6'])
    expect((await call('GET', list, { token: 'readOnly' })).headers.get('ratelimit')).toBe('"default";r=0;t=6')
    const refused = await call('GET', list)
    expect(refused.status).toBe(429)
    expect(refused.headers.get('ratelimit')).toBe('"default";r=0;t=30')
    expect(sb.rateLimit.stats()).toEqual({ blocks: before.blocks + 1, refused: before.refused + 1 })
  })

  test('the real budget (1200 per 5 minutes) is on by default', () => {
    expect(sb.faults.current().budget).toBeUndefined()
    expect(parseFaultSpec('budget=1200/5m').budget).toEqual({ requests: 1200, windowMs: 300_000 })
    expect(parseFaultSpec('budget=20/3s@block=4s').budget).toEqual({ requests: 20, windowMs: 3000, blockMs: 4000 })
  })

  test('5xx for the next N requests', async () => {
    sb.faults.set('5xx=503x2')
    expect((await call('GET', list)).status).toBe(503)
    expect((await call('GET', list)).status).toBe(503)
    expect((await call('GET', list)).status).toBe(200)
    sb.faults.set({ serverErrors: { status: 502, count: 1 } })
    expect((await call('GET', list)).status).toBe(502)
  })

  test('latency is added to every answer', async () => {
    sb.faults.set('latency=150ms')
    const started = performance.now()
    await call('GET', list)
    expect(performance.now() - started).toBeGreaterThanOrEqual(140)
  })

  test('drop destroys the connection unanswered', async () => {
    sb.faults.set('drop=1')
    await expect(fetch(`${sb.url}${list}`, { headers: { authorization: `Bearer ${sb.tokens.full}` } })).rejects.toThrow()
    expect(sb.requests().at(-1)).toMatchObject({ method: 'GET', path: list, status: 0 })
    expect((await call('GET', list)).status).toBe(200)
  })

  test('timeout-after-success: the create happens once even though the client timed out', async () => {
    sb.faults.set('timeout-after-success=1@method=POST,delay=3s')
    const { pem } = await makeCsr('slow.example.com')
    const before = sb.requests().length
    await expect(call('POST', list, { body: { csr: pem, validity_days: 365 }, signal: AbortSignal.timeout(300) })).rejects.toThrow()
    const found = (await call('GET', list, { query: { per_page: 50 } })).body.result as { csr: string }[]
    expect(found.filter((c) => c.csr === pem)).toHaveLength(1)
    const posts = sb
      .requests()
      .slice(before)
      .filter((r) => r.method === 'POST')
    expect(posts).toHaveLength(1)
    expect(sb.faults.stats().delayed).toBe(1)
  })

  test('slow-commit: the create is carried out after the client gave up, and only then is it listed', async () => {
    expect(parseFaultSpec('slow-commit=2@delay=1500ms,method=post')).toEqual({ slowCommit: { count: 2, delayMs: 1500, method: 'POST' } })
    sb.faults.set('slow-commit=1@method=POST,delay=1200ms')
    const { pem } = await makeCsr('slow-commit.example.com')
    const mine = async () => {
      const listed = (await call('GET', list, { query: { per_page: 50 } })).body.result as { csr: string }[]
      return listed.filter((c) => c.csr === pem)
    }
    const sent = Date.now()
    await expect(call('POST', list, { body: { csr: pem, validity_days: 365 }, signal: AbortSignal.timeout(300) })).rejects.toThrow()
    expect(await mine()).toHaveLength(0) // not committed yet: a lookup now finds nothing
    while (Date.now() - sent < 1600) await new Promise((r) => setTimeout(r, 100))
    expect(await mine()).toHaveLength(1) // committed later, exactly once
  })
})

describe('test API', () => {
  test('guarded by the per-run secret; sets and clears faults, resets, lists requests', async () => {
    const api = (path: string, init: RequestInit = {}, secret = sb.testSecret): Promise<Response> =>
      fetch(`${sb.testApiUrl}${path}`, { ...init, headers: { 'x-sandbox-secret': secret, 'content-type': 'application/json' } })
    expect((await api('/faults', {}, 'wrong')).status).toBe(403)
    expect((await fetch(`${sb.testApiUrl}/faults`)).status).toBe(403)
    expect((await api('/faults', { method: 'POST', body: JSON.stringify({ spec: '5xx=500' }) })).status).toBe(200)
    expect((await call('GET', list)).status).toBe(500)
    expect((await api('/faults', { method: 'POST', body: JSON.stringify({ spec: 'nonsense=1' }) })).status).toBe(400)
    await api('/faults', { method: 'POST', body: JSON.stringify({ spec: '5xx=500' }) })
    expect((await api('/faults', { method: 'DELETE' })).status).toBe(200)
    expect((await call('GET', list)).status).toBe(200)
    const { pem } = await makeCsr('gone-after-reset.example.com')
    await call('POST', list, { body: { csr: pem, validity_days: 30 } })
    expect((await api('/reset', { method: 'POST' })).status).toBe(200)
    expect((await call('GET', list)).body.result).toEqual([])
    const requests = (await (await api('/requests')).json()) as { requests: { method: string; path: string }[] }
    expect(requests.requests.some((r) => r.method === 'POST' && r.path === list)).toBe(true)
  })
})
