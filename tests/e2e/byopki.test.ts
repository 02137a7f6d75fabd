/**
 * Gateway BYOPKI (seed 003) through the UI against the harness's Sandbox: generate a root, both lint
 * results, upload with its vault key, activate until available, use for inspection — then checked
 * through the real channel — install it on this machine (a throwaway Debian tree + NSS db) and export
 * it for MDM, refereed by openssl.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { execRunner } from '../../src/main/truststore/exec'
import { debianRefreshForSysroot } from '../../src/main/truststore/linux'
import type { Profile } from '../../src/shared/model'
import { startApp, type AppUnderTest } from '../harness/app'
import { UPDATE_CA_CERTIFICATES, makeDebianTree } from '../integration/truststore/debian-tree'
import { axeScan, connectCloudflare, shootBoth } from './support/screens'

const CN = 'Certdesk BYOPKI E2E Root'

describe('BYOPKI wizard', () => {
  let app: AppUnderTest
  let profile: Profile
  const tree = makeDebianTree(1)
  const home = join(tree.root, 'home')

  beforeAll(async () => {
    expect((await execRunner.run(UPDATE_CA_CERTIFICATES, debianRefreshForSysroot(UPDATE_CA_CERTIFICATES, tree.root).args)).code).toBe(0)
    mkdirSync(join(home, '.pki/nssdb'), { recursive: true })
    execFileSync('certutil', ['-N', '--empty-password', '-d', `sql:${join(home, '.pki/nssdb')}`])
    // "Install on this machine" must change the throwaway tree, never this machine's stores.
    app = await startApp({ trust: { platform: 'linux', sysroot: tree.root, home, env: { PATH: `${process.env['PATH'] ?? ''}:/usr/sbin` }, java: false, elevator: null } })
    profile = await connectCloudflare(app, app.cloudflare.tokens.full)
    await app.page.keyboard.press('Control+3')
  })

  afterAll(async () => {
    await app?.close()
    tree.cleanup()
  })

  test('generate → both lint results → upload → activate until available → use for inspection → install and export', async () => {
    const { page } = app
    const account = profile.accounts[0]!
    await page.getByRole('button', { name: 'Bring your own root…' }).click()
    const dialog = page.getByRole('dialog', { name: `Bring your own root to Gateway — ${account.name}` })
    await expect.poll(() => dialog.count()).toBe(1)
    await dialog.getByLabel('Common name (CN)').fill(CN)
    await dialog.getByLabel('Organization (O, optional)').fill('Example Corp')
    await dialog.getByLabel('Valid for (days)').fill('365')
    await shootBoth(app, 'byopki-1-generate')
    expect(await axeScan(page)).toEqual([])

    await dialog.getByRole('button', { name: 'Generate root' }).click()
    const strict = dialog.getByRole('region', { name: 'Python strict check (python-strict)' })
    await expect.poll(() => strict.count(), { timeout: 30_000 }).toBe(1)
    expect(await strict.getByText('Passes').count()).toBeGreaterThan(0)
    expect(await dialog.getByRole('region', { name: 'Gateway BYOPKI check (gateway-byopki)' }).getByText('Passes').count()).toBeGreaterThan(0)
    expect(await dialog.getByText('both pass').count()).toBe(1)
    await shootBoth(app, 'byopki-2-review')
    expect(await axeScan(page)).toEqual([])

    await dialog.getByRole('button', { name: `Upload to ${account.name}` }).click()
    await expect.poll(() => dialog.getByRole('button', { name: 'Activate' }).count(), { timeout: 20_000 }).toBe(1)
    await shootBoth(app, 'byopki-3-uploaded')
    await dialog.getByRole('button', { name: 'Activate' }).click()
    await expect.poll(() => dialog.getByRole('button', { name: 'Use for inspection' }).count(), { timeout: 30_000 }).toBe(1)
    expect(await dialog.getByText('Binding status:').textContent()).toContain('available')
    await shootBoth(app, 'byopki-4-available')

    await dialog.getByRole('button', { name: 'Use for inspection' }).click()
    const idCell = dialog.locator('code.gateway-id')
    await expect.poll(() => idCell.count(), { timeout: 15_000 }).toBe(1)
    const gatewayId = (await idCell.textContent())!.trim()
    // The account's Gateway configuration names it, through the same channel the app uses.
    const inspection = await page.evaluate<{ ok: boolean; value: { certificateId: string | null } }>(
      `window.certdesk.gateway.inspectionCertificate(${JSON.stringify({ profileId: profile.id, accountId: account.id })})`,
    )
    expect(inspection).toEqual({ ok: true, value: { certificateId: gatewayId } })
    const record = app.cloudflare.snapshot().gatewayCertificates.find((g) => g.id === gatewayId)
    expect(record).toBeDefined()
    await shootBoth(app, 'byopki-5-in-use')

    // Deploy: install on this (throwaway) machine, and export the PEM for MDM.
    const root = (await app.services.vault.list()).find((k) => k.label === `Gateway root ${CN}`)!
    expect(root.certificate?.pem).toContain('BEGIN CERTIFICATE')
    await dialog.getByRole('button', { name: 'Install on this machine' }).click()
    const outcome = dialog.getByRole('table', { name: 'Outcome per store' })
    await expect.poll(() => outcome.getByText('installed', { exact: true }).count(), { timeout: 20_000 }).toBe(2)
    expect((await app.services.trust().verify(root.certificate!.pem)).lines.map((l) => l.status)).toEqual(['trusted', 'trusted'])

    await dialog.getByRole('button', { name: 'Export for MDM (PEM)' }).click()
    const file = join(app.exportsDir, `Gateway_root_${CN.replace(/ /g, '_')}.pem`)
    await expect.poll(() => dialog.getByRole('status').filter({ hasText: /^Saved to / }).textContent()).toContain(file)
    const ext = execFileSync('openssl', ['x509', '-in', file, '-noout', '-subject', '-ext', 'basicConstraints,keyUsage'], { encoding: 'utf8' })
    expect(ext).toContain(CN)
    expect(ext).toMatch(/Basic Constraints: critical\s+CA:TRUE/)
    expect(ext).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/)
    await shootBoth(app, 'byopki-6-deployed')

    await dialog.getByRole('button', { name: 'Done' }).click()
    await expect.poll(() => dialog.count()).toBe(0)
    // The Gateway list behind shows it in use.
    const table = page.getByRole('table', { name: `Gateway certificates on ${account.name}` })
    await expect.poll(() => table.getByRole('row').filter({ hasText: gatewayId.slice(0, 8) }).getByText('in use').count(), { timeout: 10_000 }).toBe(1)
    await shootBoth(app, 'byopki-7-list')
    expect(app.consoleErrors).toEqual([])
  })
})
