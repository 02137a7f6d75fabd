/**
 * The Gateway root rollover runbook against the Sandbox (Gateway certificates exist there): nothing changes at
 * Cloudflare before the confirmed switch; the switch is refused below the coverage threshold and done above it;
 * the old root is retired after; and a CLI process killed mid-switch (after its activation reached the server) is
 * resumed by `status` and `switch` again with exactly one activation. The official SDK reads the Sandbox as referee.
 * Runs under scripts/with-keyring.sh (the CLI child opens the app's services).
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import type { RolloverState } from '../../src/shared/contract/rollover'
import { useCfSandbox } from '../support/cli'
import { fleetReport, writeFleet } from '../support/reports'

const fx = useCfSandbox('certdesk-rollover-', { seed: 'demo', timing: { gatewayDeployMs: 300 } })
afterEach(() => fx.sb.faults.clear())

const account = () => fx.sb.account.id
const rollover = (verb: string, ...args: string[]) =>
  fx.run(['gateway', 'rollover', verb, ...args, '--account', account(), '--base-url', fx.sb.url])
async function json(verb: string, ...args: string[]): Promise<RolloverState> {
  const r = await rollover(verb, ...args, '--json')
  expect(r.code, `${verb}: ${r.err}`).toBe(0)
  return JSON.parse(r.out) as RolloverState
}
const inspecting = async () => (await fx.sdk.zeroTrust.gateway.configurations.get({ account_id: account() })).settings?.certificate?.id
const certificate = async (id: string) => (await fx.sdk.zeroTrust.gateway.certificates.get(id, { account_id: account() })).binding_status
const activations = (id: string) =>
  fx.sb.requests().filter((r) => r.method === 'POST' && r.path.endsWith(`/gateway/certificates/${id}/activate`)).length
const changes = () => fx.sb.requests().filter((r) => r.method !== 'GET').length

/** A folder of `total` reports on the root, `trusted` of them trusting it. */
function reports(name: string, sha256: string, total: number, trusted: number): string {
  const dir = join(fx.dir, name)
  rmSync(dir, { recursive: true, force: true })
  writeFleet(dir, sha256, total, (i) => i >= trusted)
  return dir
}

describe('gateway rollover', () => {
  test('create → refused below the threshold (nothing changed at Cloudflare) → switched above it → old root retired', async () => {
    const old = await inspecting()
    expect(old).toBeTruthy()
    const before = changes()
    const started = await json('start', '--create')
    const id = started.newCertificate!.id
    // One request changed something: the create of an inactive, unused certificate.
    expect(changes() - before).toBe(1)
    expect(started).toMatchObject({ step: 'kit', oldCertificateId: old, thresholdPercent: 95, creating: null })
    expect(started.newCertificate!.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(await certificate(id)).toBe('inactive')

    // Starting again resumes the same runbook: no second certificate.
    expect((await json('start', '--create')).newCertificate!.id).toBe(id)
    expect(changes() - before).toBe(1)

    // The kit step writes the new root's fleet kit (its root.cer is the new root) and moves on.
    const kitDir = join(fx.dir, 'kit')
    const kit = await json('kit', '--out', kitDir)
    expect(kit.step).toBe('coverage')
    expect(
      createHash('sha256')
        .update(readFileSync(join(kitDir, 'root.cer')))
        .digest('hex'),
    ).toBe(started.newCertificate!.sha256)
    expect(existsSync(join(kitDir, 'install-linux.sh'))).toBe(true)
    expect(changes() - before).toBe(1)

    // 94 of 100 machines: under 95 %. Refused, exit 1, and nothing sent.
    const low = reports('low', started.newCertificate!.sha256!, 100, 94)
    writeFileSync(
      join(low, 'other-root.json'),
      JSON.stringify(fleetReport({ name: 'pc-x', os: 'linux', sha256: 'ab'.repeat(32), trusted: true, at: '2026-11-30T10:00:00Z' })),
    )
    const refused = await rollover('switch', '--reports', low, '--yes')
    expect(refused.code).toBe(1)
    expect(refused.err).toContain('Only 94 of 100 machines (94 %) trust the new root; the threshold is 95 %.')
    expect(changes() - before).toBe(1)
    expect([await certificate(id), await inspecting()]).toEqual(['inactive', old])
    const status = await json('status')
    expect(status).toMatchObject({ step: 'coverage', coverage: { trusted: 94, total: 100 }, confirmedAt: null })

    // Without --yes in a script: refused as bad input before anything is sent.
    const high = reports('high', started.newCertificate!.sha256!, 100, 96)
    const unconfirmed = await rollover('switch', '--reports', high)
    expect(unconfirmed.code).toBe(2)
    expect(unconfirmed.err).toContain('pass --yes to confirm')
    expect(changes() - before).toBe(1)

    // A "no" on the terminal: nothing sent.
    const declined = await fx.run(['gateway', 'rollover', 'switch', '--account', account(), '--base-url', fx.sb.url], {
      confirm: async () => false,
    })
    expect(declined.code).toBe(1)
    expect(changes() - before).toBe(1)

    const switched = await json('switch', '--reports', high, '--yes')
    expect(switched).toMatchObject({ step: 'switched', coverage: { trusted: 96, total: 100 } })
    expect([await certificate(id), await inspecting()]).toEqual(['available', id])
    expect(activations(id)).toBe(1)
    // Switching again is a no-op.
    expect((await json('switch', '--yes')).step).toBe('switched')
    expect(activations(id)).toBe(1)

    const retired = await json('retire', '--yes')
    expect(retired.step).toBe('retired')
    expect(await certificate(old!)).toMatch(/^(pending_deletion|inactive)$/)
    expect(await inspecting()).toBe(id)
  }, 120_000)

  test('a CLI switch killed after its activation reached Cloudflare: status, then switch again — one activation', async () => {
    const created = await fx.sdk.zeroTrust.gateway.certificates.create({ account_id: account(), validity_period_days: 365 })
    const id = created.id!
    const state = await json('start', '--certificate', id)
    expect(state.newCertificate!.id).toBe(id)
    const full = reports('full', state.newCertificate!.sha256!, 50, 50)

    const jiti = join(process.cwd(), 'node_modules', '.bin', 'jiti')
    const env = { ...process.env, CERTDESK_USER_DATA: fx.dir, CLOUDFLARE_API_TOKEN: fx.sb.tokens.full }
    const args = ['gateway', 'rollover', 'switch', '--reports', full, '--yes', '--account', account(), '--base-url', fx.sb.url]
    fx.sb.faults.set('slow-commit=1@method=POST,delay=2500ms')
    const delayed = fx.sb.faults.stats().delayed
    const child = spawn(jiti, [join(process.cwd(), 'src', 'cli', 'index.ts'), ...args], { cwd: fx.dir, env, stdio: 'ignore' })
    const deadline = Date.now() + 60_000
    while (fx.sb.faults.stats().delayed === delayed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    expect(fx.sb.faults.stats().delayed).toBe(delayed + 1)
    child.kill('SIGKILL')
    await once(child, 'exit')

    const after = await json('status')
    expect(after).toMatchObject({ step: 'switching', switchedAt: null })
    expect(after.confirmedAt).not.toBeNull()
    expect(after.activateSentAt).not.toBeNull()
    const resumed = await json('switch', '--yes')
    expect(resumed.step).toBe('switched')
    expect(activations(id)).toBe(1)
    expect([await certificate(id), await inspecting()]).toEqual(['available', id])
  }, 120_000)
})
