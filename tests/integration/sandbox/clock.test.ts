/**
 * The Sandbox's clock: `now` (and `sandbox serve --now`) starts it at a chosen time, the test API reads, sets and
 * advances it, and every date the Sandbox makes or compares follows it: issued and expiry dates, pending states.
 * The certificate the Sandbox issues is read back with openssl, the referee of its dates.
 */
import { execFileSync } from 'node:child_process'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startSandbox, type SandboxHandle } from '../../../src/main/sandbox'
import { runCli } from '../../../src/cli/run'
import { makeCsr } from '../../support/csr'
import { client } from './helpers'

const DAY = 86_400_000
const T = Date.parse('2031-05-01T09:00:00Z')
let sb: SandboxHandle

beforeAll(async () => {
  sb = await startSandbox({ seed: 'empty', now: T, timing: { revocationMs: 60_000 } })
})
afterAll(() => sb.close())

const testApi = async (method: string, body?: unknown) => {
  const res = await fetch(`${sb.testApiUrl}/clock`, {
    method,
    headers: { 'x-sandbox-secret': sb.testSecret, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  return { status: res.status, body: (await res.json()) as { now?: string; error?: string } }
}
const near = (iso: string | undefined, ms: number) => Math.abs(Date.parse(iso ?? '') - ms) < 60_000

test('certificates are issued and expire on the Sandbox clock (openssl reads the dates)', async () => {
  expect(near((await testApi('GET')).body.now, T)).toBe(true)
  const call = client(sb)
  const zone = sb.zones[0]!.id
  const csr = await makeCsr('clock.example.com')
  const created = await call('POST', `/zones/${zone}/client_certificates`, { body: { csr: csr.pem, validity_days: 10 } })
  const cert = created.body.result as { id: string; expires_on: string; issued_on: string; certificate: string }
  expect(near(cert.issued_on, T)).toBe(true)
  expect(near(cert.expires_on, T + 10 * DAY)).toBe(true)
  const dates = execFileSync('openssl', ['x509', '-noout', '-startdate', '-enddate'], { input: cert.certificate, encoding: 'utf8' })
  const notAfter = /notAfter=(.+)/.exec(dates)![1]!
  expect(near(new Date(notAfter).toISOString(), T + 10 * DAY)).toBe(true)

  // A pending revocation settles when the clock passes its timer, not before.
  await call('DELETE', `/zones/${zone}/client_certificates/${cert.id}`)
  const status = async () => ((await call('GET', `/zones/${zone}/client_certificates/${cert.id}`)).body.result as { status: string }).status
  expect(await status()).toBe('pending_revocation')
  expect((await testApi('PUT', { advanceSeconds: 61 })).status).toBe(200)
  expect(await status()).toBe('revoked')

  const later = Date.parse('2032-01-01T00:00:00Z')
  const set = await testApi('POST', { now: '2032-01-01T00:00:00Z' })
  expect(near(set.body.now, later)).toBe(true)
  expect(near(new Date(sb.clock.now()).toISOString(), later)).toBe(true)
})

test('a bad clock change is refused with what to send', async () => {
  const before = sb.clock.now()
  for (const body of [{ now: 'tomorrow' }, { advanceSeconds: '1d' }, {}]) {
    const r = await testApi('PUT', body)
    expect(r.status).toBe(400)
    expect(r.body.error).toMatch(/RFC 3339|number of seconds|Send \{"now"/)
  }
  expect(Math.abs(sb.clock.now() - before)).toBeLessThan(60_000)
})

test('sandbox serve --now starts the clock there; a bad --now exits 2', async () => {
  let out = ''
  let err = ''
  const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (err += t), env: {}, cwd: process.cwd() }
  const running = runCli(['sandbox', 'serve', '--seed', 'empty', '--now', '2030-02-03T04:05:06Z', '--json'], io, 'test')
  for (let i = 0; i < 200 && !out.trim().endsWith('}'); i++) await new Promise((r) => setTimeout(r, 25))
  const info = JSON.parse(out) as { now: string; testApi: { url: string; secret: string } }
  expect(near(info.now, Date.parse('2030-02-03T04:05:06Z'))).toBe(true)
  const clock = await fetch(`${info.testApi.url}/clock`, { headers: { 'x-sandbox-secret': info.testApi.secret } })
  expect(near(((await clock.json()) as { now: string }).now, Date.parse('2030-02-03T04:05:06Z'))).toBe(true)
  process.emit('SIGINT')
  expect(await running).toBe(0)

  err = ''
  expect(await runCli(['sandbox', 'serve', '--now', 'next week'], io, 'test')).toBe(2)
  expect(err).toMatch(/--now must be an RFC 3339 time/)
})
