/**
 * Gateway BYOPKI (seed 003) through the UI against the harness's Sandbox: generate a root, both lint
 * results, upload with its vault key, activate until available, use for inspection — then checked
 * through the real channel — install it on this machine (a throwaway Debian tree + NSS db) and export
 * it for MDM, refereed by openssl.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Profile } from '../../src/shared/model'
import { startApp, type AppUnderTest } from '../harness/app'
import { makeDebianTree, throwawayMachine } from '../support/debian-tree'
import { opensslRoot, ROOT_EXT } from '../support/cert-factory'
import { axeScan, connectCloudflare, shootBoth } from './support/screens'

const CN = 'Certdesk BYOPKI E2E Root'

describe('BYOPKI wizard', () => {
  let app: AppUnderTest
  let profile: Profile
  const tree = makeDebianTree(1)
  const home = join(tree.root, 'home')

  beforeAll(async () => {
    // "Install on this machine" must change the throwaway tree, never this machine's stores.
    app = await startApp({ trust: await throwawayMachine(tree.root, home) })
    profile = await connectCloudflare(app, app.cloudflare.tokens.full)
    await app.page.keyboard.press('Control+3')
  })

  afterAll(async () => {
    await app?.close()
    tree.cleanup()
  })

  test('generate → both lint results → upload → activate until available → install and export → confirmed use for inspection', async () => {
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
    expect(await dialog.getByRole('region', { name: 'Gateway BYOPKI check (gateway-byopki)' }).getByText('Passes').count()).toBeGreaterThan(
      0,
    )
    expect(await dialog.getByText('both pass').count()).toBe(1)
    await shootBoth(app, 'byopki-2-review')
    expect(await axeScan(page)).toEqual([])

    await dialog.getByRole('button', { name: `Upload to ${account.name}` }).click()
    await expect.poll(() => dialog.getByRole('button', { name: 'Activate' }).count(), { timeout: 20_000 }).toBe(1)
    await shootBoth(app, 'byopki-3-uploaded')
    await dialog.getByRole('button', { name: 'Activate' }).click()
    // Available, but not in use: deploying to devices comes first.
    await expect.poll(() => dialog.getByRole('button', { name: 'Export for MDM (DER .cer)' }).count(), { timeout: 30_000 }).toBe(1)
    expect(await dialog.getByText('Binding status:').textContent()).toContain('available')
    const idCell = dialog.locator('code.gateway-id')
    const gatewayId = (await idCell.textContent())!.trim()
    const inspectionNow = () =>
      page.evaluate<{ ok: boolean; value: { certificateId: string | null } }>(
        `window.certdesk.gateway.inspectionCertificate(${JSON.stringify({ profileId: profile.id, accountId: account.id })})`,
      )
    expect((await inspectionNow()).value.certificateId).not.toBe(gatewayId)
    await shootBoth(app, 'byopki-4-deploy')

    // Deploy: install on this (throwaway) machine, and export PEM and DER for MDM.
    const root = (await app.services.vault.list()).find((k) => k.label === `Gateway root ${CN}`)!
    expect(root.certificate?.pem).toContain('BEGIN CERTIFICATE')
    await dialog.getByRole('button', { name: 'Install on this machine' }).click()
    const outcome = dialog.getByRole('table', { name: 'Outcome per store' })
    await expect.poll(() => outcome.getByText('installed', { exact: true }).count(), { timeout: 20_000 }).toBe(2)
    expect((await app.services.trust().verify(root.certificate!.pem)).lines.map((l) => l.status)).toEqual(['trusted', 'trusted'])

    await dialog.getByRole('button', { name: 'Export for MDM (PEM)' }).click()
    const file = join(app.exportsDir, `Gateway_root_${CN.replace(/ /g, '_')}.pem`)
    await expect
      .poll(() =>
        dialog
          .getByRole('status')
          .filter({ hasText: /^Saved to .*\.pem$/ })
          .textContent(),
      )
      .toContain(file)
    const ext = execFileSync('openssl', ['x509', '-in', file, '-noout', '-subject', '-ext', 'basicConstraints,keyUsage'], {
      encoding: 'utf8',
    })
    expect(ext).toContain(CN)
    expect(ext).toMatch(/Basic Constraints: critical\s+CA:TRUE/)
    expect(ext).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/)
    await dialog.getByRole('button', { name: 'Export for MDM (DER .cer)' }).click()
    const cer = join(app.exportsDir, `Gateway_root_${CN.replace(/ /g, '_')}.cer`)
    await expect
      .poll(() =>
        dialog
          .getByRole('status')
          .filter({ hasText: /^Saved to .*\.cer$/ })
          .count(),
      )
      .toBe(1)
    const fingerprint = (args: string[]) =>
      execFileSync('openssl', ['x509', ...args, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' })
    expect(fingerprint(['-in', cer, '-inform', 'DER'])).toBe(fingerprint(['-in', file]))
    await shootBoth(app, 'byopki-5-deployed')

    // Then, confirmed with the risk named, use it for inspection.
    await dialog.getByRole('button', { name: 'Next: use for inspection' }).click()
    await dialog.getByRole('button', { name: 'Use for inspection…' }).click()
    const confirm = page.getByRole('dialog', { name: `Use ${CN} for inspection?` })
    await expect.poll(() => confirm.count()).toBe(1)
    expect(await confirm.textContent()).toContain(
      'Every device that does not trust this root will see certificate errors on every inspected HTTPS site.',
    )
    await shootBoth(app, 'byopki-6-confirm')
    await confirm.getByRole('button', { name: 'Use for inspection' }).click()
    await expect
      .poll(() => dialog.getByRole('status').filter({ hasText: 'Gateway signs inspected traffic with' }).count(), { timeout: 15_000 })
      .toBe(1)
    // The account's Gateway configuration names it, through the same channel the app uses.
    expect(await inspectionNow()).toEqual({ ok: true, value: { certificateId: gatewayId } })
    const record = app.cloudflare.snapshot().gatewayCertificates.find((g) => g.id === gatewayId)
    expect(record).toBeDefined()
    await shootBoth(app, 'byopki-7-in-use')

    await dialog.getByRole('button', { name: 'Done' }).click()
    await expect.poll(() => dialog.count()).toBe(0)
    // The Gateway list behind shows it in use.
    const table = page.getByRole('table', { name: `Gateway certificates on ${account.name}` })
    await expect
      .poll(
        () =>
          table
            .getByRole('row')
            .filter({ hasText: gatewayId.slice(0, 8) })
            .getByText('in use')
            .count(),
        { timeout: 10_000 },
      )
      .toBe(1)
    await shootBoth(app, 'byopki-8-list')
    expect(app.consoleErrors).toEqual([])
  })
  test('import an existing corporate root with its encrypted key: a wrong key is refused, then both checks and upload (1024×700)', async () => {
    const { page } = app
    await page.setViewportSize({ width: 1024, height: 700 })
    const dir = mkdtempSync(join(tmpdir(), 'certdesk-e2e-corp-'))
    const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' })
    for (const n of ['corp', 'other']) {
      const subject = `/CN=Corp ${n} Root/O=Example Corp`
      opensslRoot(join(dir, `${n}.pem`), join(dir, `${n}.key`), { subject, days: 730, key: 'rsa:2048', ext: ROOT_EXT })
    }
    openssl(
      'pkcs8',
      '-topk8',
      '-in',
      join(dir, 'corp.key'),
      '-out',
      join(dir, 'corp-enc.key'),
      '-v2',
      'aes-256-cbc',
      '-passout',
      'pass:s3cret passphrase',
    )
    const before = (await app.services.vault.list()).length

    await page.getByRole('button', { name: 'Bring your own root…' }).click()
    const dialog = page.getByRole('dialog', { name: /^Bring your own root to Gateway/ })
    await dialog.getByLabel('Import our existing root and its key').check()
    await dialog.locator('input[type=file][accept=".pem,.crt,.cer,.der"]').setInputFiles(join(dir, 'corp.pem'))
    await expect.poll(() => dialog.getByText('corp.pem').count()).toBeGreaterThan(0)
    await dialog.getByLabel(/^Private key of the root/).fill(readFileSync(join(dir, 'other.key'), 'utf8'))
    await dialog.getByRole('button', { name: 'Check and import' }).click()
    const alert = dialog.getByRole('alert').filter({ hasText: 'The private key does not match the root certificate' })
    await expect.poll(() => alert.count(), { timeout: 15_000 }).toBe(1)
    expect((await app.services.vault.list()).length).toBe(before)
    await app.screenshot('byopki-import-mismatch-1024')

    await dialog.getByLabel(/^Private key of the root/).fill(readFileSync(join(dir, 'corp-enc.key'), 'utf8'))
    await dialog.getByLabel('Passphrase (only for an encrypted key)').fill('s3cret passphrase')
    await app.screenshot('byopki-import-form-1024')
    await dialog.getByRole('button', { name: 'Check and import' }).click()
    const gateway = dialog.getByRole('region', { name: 'Gateway BYOPKI check (gateway-byopki)' })
    await expect.poll(() => gateway.getByText('Passes').count(), { timeout: 15_000 }).toBeGreaterThan(0)
    expect(await dialog.getByText('both pass').count()).toBe(1)
    const vaulted = (await app.services.vault.list()).filter((k) => k.label === 'Gateway root Corp corp Root')
    expect(vaulted).toHaveLength(1)
    const modulus = (args: string[]) => execFileSync('openssl', args, { encoding: 'utf8' })
    expect(modulus(['x509', '-in', join(dir, 'corp.pem'), '-noout', '-modulus'])).toBe(
      execFileSync('openssl', ['rsa', '-noout', '-modulus'], {
        input: Buffer.from(await app.services.vault.exportPkcs8(vaulted[0]!.id)),
        encoding: 'utf8',
      }),
    )
    await app.screenshot('byopki-import-review-1024')
    const account = profile.accounts[0]!
    await dialog.getByRole('button', { name: `Upload to ${account.name}` }).click()
    await expect.poll(() => dialog.getByRole('button', { name: 'Activate' }).count(), { timeout: 20_000 }).toBe(1)
    await dialog.getByRole('button', { name: 'Close' }).click()
    await expect.poll(() => dialog.count()).toBe(0)
    await page.setViewportSize({ width: 1280, height: 820 })
    expect(app.consoleErrors).toEqual([])
  })
})
