/** State survives restarts (atomic JSON file), pending timers survive too, reset returns to the seed, corrupt files are moved aside. */
import { afterAll, expect, test } from 'vitest'
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AppError } from '../../../src/shared/errors'
import { SEEDED_TOKENS, startSandbox } from '../../../src/main/sandbox'
import { client, makeCsr, testClock } from './helpers'

const dir = mkdtempSync(join(tmpdir(), 'certdesk-sandbox-state-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('persists across restart, including a pending revocation that settles later', async () => {
  const clock = testClock()
  const stateFile = join(dir, 'state.json')
  const timing = { revocationMs: 5000 }
  let sb = await startSandbox({ seed: 'empty', stateFile, clock: clock.now, timing })
  let call = client(sb)
  const list = `/zones/${sb.zones[0]!.id}/client_certificates`
  const created = await call('POST', list, { body: { csr: (await makeCsr('kept.example.com')).pem, validity_days: 90 } })
  const id = (created.body.result as { id: string }).id
  await call('DELETE', `${list}/${id}`)
  await sb.close()
  expect(statSync(stateFile).mode & 0o777).toBe(0o600)

  sb = await startSandbox({ seed: 'empty', stateFile, clock: clock.now, timing })
  call = client(sb)
  expect(sb.tokens.full).toBe(SEEDED_TOKENS.find((t) => t.label === 'full')!.value)
  expect((await call('GET', `${list}/${id}`)).body.result).toMatchObject({ id, status: 'pending_revocation' })
  clock.advance(5000)
  expect((await call('GET', `${list}/${id}`)).body.result).toMatchObject({ status: 'revoked' })

  await sb.reset()
  expect((await call('GET', `${list}/${id}`)).status).toBe(404)
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
