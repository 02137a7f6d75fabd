/** State survives restarts (atomic JSON file), pending timers survive too, reset returns to the seed, corrupt files are moved aside. */
import { afterAll, describe, expect, test } from 'vitest'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AppError } from '../../../src/shared/errors'
import { startSandbox } from '../../../src/main/sandbox'
import { SandboxHost } from '../../../src/main/profiles/connections'
import { makeCsr } from '../../support/csr'
import { client, testClock } from './helpers'

const dir = mkdtempSync(join(tmpdir(), 'certdesk-sandbox-state-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('persists across restart, including a pending revocation that settles later', async () => {
  const clock = testClock()
  const stateFile = join(dir, 'state.json')
  const timing = { revocationMs: 5000 }
  let sb = await startSandbox({ seed: 'empty', stateFile, clock: clock.now, timing })
  const tokens = sb.tokens
  let call = client(sb)
  const list = `/zones/${sb.zones[0]!.id}/client_certificates`
  const created = await call('POST', list, { body: { csr: (await makeCsr('kept.example.com')).pem, validity_days: 90 } })
  const id = (created.body.result as { id: string }).id
  await call('DELETE', `${list}/${id}`)
  await sb.close()
  expect(statSync(stateFile).mode & 0o777).toBe(0o600)

  sb = await startSandbox({ seed: 'empty', stateFile, clock: clock.now, timing })
  call = client(sb)
  expect(sb.tokens).toEqual(tokens)
  expect((await call('GET', `${list}/${id}`)).body.result).toMatchObject({ id, status: 'pending_revocation' })
  clock.advance(5000)
  expect((await call('GET', `${list}/${id}`)).body.result).toMatchObject({ status: 'revoked' })

  await sb.reset()
  expect((await call('GET', `${list}/${id}`)).status).toBe(404)
  // A reset returns to the seed but keeps this Sandbox's tokens: a saved profile keeps working.
  expect(sb.tokens).toEqual(tokens)
  await sb.close()
  sb = await startSandbox({ seed: 'empty', stateFile })
  expect((await client(sb)('GET', list)).body.result).toEqual([])
  await sb.close()
})

test('the demo seed has every status, Access roots, account CAs and Gateway certificates', async () => {
  const sb = await startSandbox({ seed: 'demo' })
  try {
    const state = sb.snapshot()
    for (const status of ['active', 'pending_revocation', 'pending_reactivation', 'revoked']) {
      expect(state.clientCertificates.filter((c) => c.status === status).length).toBeGreaterThanOrEqual(24)
    }
    expect(state.accessCertificates.length).toBeGreaterThanOrEqual(2)
    expect(state.mtlsCertificates.filter((m) => m.ca).length).toBe(2)
    expect(state.gatewayCertificates.map((g) => g.type).sort()).toEqual(['custom', 'gateway_managed', 'gateway_managed'])
  } finally {
    await sb.close()
  }
})

test('a corrupt state file is reported and moved aside, never overwritten', async () => {
  const stateFile = join(dir, 'corrupt.json')
  writeFileSync(stateFile, '{"version": 99}')
  await expect(startSandbox({ stateFile })).rejects.toThrow(AppError)
  expect(readdirSync(dir).some((f) => f.startsWith('corrupt.json.corrupt-'))).toBe(true)
  const sb = await startSandbox({ seed: 'empty', stateFile })
  await sb.close()
})

describe('tokens are this install’s own', () => {
  test('two installs get different random tokens, kept in their 0600 state file; one’s token is refused by the other', async () => {
    const dirs = [mkdtempSync(join(dir, 'install-a-')), mkdtempSync(join(dir, 'install-b-'))]
    const hosts = dirs.map((d) => new SandboxHost(d))
    try {
      const [a, b] = await Promise.all(hosts.map((h) => h.handle()))
      for (const label of ['full', 'readOnly', 'noSslWrite', 'accountOwned', 'revoked', 'expired'] as const) {
        expect(a!.tokens[label]).toMatch(/^sandbox_\w+_[A-Za-z0-9_-]+$/)
        expect(a!.tokens[label]).toHaveLength(40)
        expect(a!.tokens[label], label).not.toBe(b!.tokens[label])
      }
      const verify = (url: string, token: string) => fetch(`${url}/user/tokens/verify`, { headers: { authorization: `Bearer ${token}` } })
      expect((await verify(a!.url, a!.tokens.full)).status).toBe(200)
      expect((await verify(b!.url, a!.tokens.full)).status).toBe(401)
      // The seeded expired token still says so.
      const expired = await verify(a!.url, a!.tokens.expired)
      expect(((await expired.json()) as { result: { status: string } }).result.status).toBe('expired')
      for (const [i, d] of dirs.entries()) {
        const file = join(d, 'sandbox-state.json')
        expect(statSync(file).mode & 0o777).toBe(0o600)
        expect(readFileSync(file, 'utf8')).toContain((await hosts[i]!.handle()).tokens.full)
      }
    } finally {
      await Promise.all(hosts.map((h) => h.close()))
    }
  })

  test('a state saved with the old fixed tokens gets tokens of its own', async () => {
    const stateFile = join(dir, 'legacy.json')
    let sb = await startSandbox({ seed: 'empty', stateFile })
    await sb.close()
    const legacy = (label: string) => {
      const prefix = `sandbox_${label}_`
      return (
        prefix +
        createHash('sha256')
          .update(`certdesk-sandbox-token:${label}`)
          .digest('base64url')
          .slice(0, 40 - prefix.length)
      )
    }
    const doc = JSON.parse(readFileSync(stateFile, 'utf8')) as { tokens: Array<{ label: string; value: string }> }
    for (const t of doc.tokens) t.value = legacy(t.label)
    writeFileSync(stateFile, JSON.stringify(doc))
    sb = await startSandbox({ seed: 'empty', stateFile })
    try {
      expect(sb.tokens.full).not.toBe(legacy('full'))
      expect((await fetch(`${sb.url}/user/tokens/verify`, { headers: { authorization: `Bearer ${legacy('full')}` } })).status).toBe(401)
      expect(readFileSync(stateFile, 'utf8')).not.toContain(legacy('full'))
    } finally {
      await sb.close()
    }
  })
})
