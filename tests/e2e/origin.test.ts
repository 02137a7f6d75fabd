/**
 * Issue #15 in the browser, on the harness's Sandbox: the Origin screen. A local CA made in the New AOP certificate
 * dialog, an AOP certificate signed by it uploaded zone-level, zone-level AOP turned on, the certificate seen going
 * active; the rotation's five steps to the end (CA bundle and snippet, upload, switch, active, delete the old one); an
 * Origin CA certificate created for a new vault key, listed, saved, revoked. Each outcome is checked in the Sandbox's
 * state; the certificates are read with @peculiar/x509 as a referee.
 */
import { readFileSync } from 'node:fs'
import { X509Certificate } from '@peculiar/x509'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Profile } from '../../src/shared/model'
import { startApp, type AppUnderTest } from '../harness/app'
import { axeScan, connectCloudflare, dismissToasts, shootBoth, toDocs } from './support/screens'

describe('the Origin screen (Sandbox)', () => {
  let app: AppUnderTest
  let profile: Profile
  let zoneId: string
  let zoneName: string
  const snapshot = () => app.cloudflare.snapshot()
  const aopOfZone = () => (snapshot().aopCertificates ?? []).filter((c) => c.zoneId === zoneId)
  let first = ''

  beforeAll(async () => {
    app = await startApp()
    profile = await connectCloudflare(app, app.cloudflare.tokens.full)
    zoneId = profile.zones[0]!.id
    zoneName = profile.zones[0]!.name
    await app.page.keyboard.press('Control+4')
    await app.page.getByRole('heading', { name: 'Origin', exact: true }).waitFor()
  })

  afterAll(async () => {
    await app?.close()
  })

  test('New AOP certificate with a new local CA, uploaded zone-level, AOP turned on, active', async () => {
    const { page } = app
    const before = aopOfZone().length
    await page.getByRole('button', { name: 'New AOP certificate' }).click()
    const dialog = page.getByRole('dialog', { name: `New AOP certificate for ${zoneName}` })
    await dialog.getByLabel('Signing CA').selectOption({ label: 'Make a new local CA' })
    await dialog.getByLabel('New CA name').fill('Origin pulls CA 1')
    await dialog.getByLabel('Common name').fill('origin-pull-1')
    await dialog.getByRole('button', { name: 'Issue and upload' }).click()
    await expect.poll(() => dialog.count(), { timeout: 20_000 }).toBe(0)
    expect(aopOfZone()).toHaveLength(before + 1)
    const uploaded = aopOfZone().at(-1)!
    first = uploaded.id
    // The referee: the certificate Cloudflare holds is a client certificate for CN=origin-pull-1 issued by the new CA.
    const x509 = new X509Certificate(uploaded.certificate)
    expect(x509.subject).toBe('CN=origin-pull-1')
    expect(x509.issuer).toContain('CN=Origin pulls CA 1')
    // The CA was made here: its key is in the vault.
    const vault = await app.services.vault.list()
    expect(vault.some((k) => k.certificate && new X509Certificate(k.certificate.pem).subject === 'CN=Origin pulls CA 1')).toBe(true)

    const table = page.getByRole('table', { name: `AOP certificates on ${zoneName}` })
    const row = table.getByRole('row').filter({ hasText: first.slice(0, 13) })
    expect(await row.textContent()).toContain('zone-level')
    expect(await row.textContent()).toContain('CN=Origin pulls CA 1')

    const setting = page.getByRole('group', { name: 'Zone-level Authenticated Origin Pulls' })
    expect(await setting.textContent()).toContain('off')
    await setting.getByRole('button', { name: 'Turn on' }).click()
    await expect.poll(() => (snapshot().aopEnabledZones ?? []).includes(zoneId)).toBe(true)
    await expect.poll(() => setting.textContent()).toContain('on')
    // Deployed after the Sandbox's delay; the list is polled while it is pending.
    await expect.poll(() => row.getByText('active', { exact: true }).count(), { timeout: 20_000 }).toBe(1)
    expect(aopOfZone().find((c) => c.id === first)?.status).toBe('active')

    // The hostname lookup: no certificate of its own, so the zone-level one.
    await page.getByLabel('Hostname', { exact: true }).fill(`www.${zoneName}`)
    await page.getByRole('button', { name: 'Look up' }).click()
    const found = page.getByRole('status', { name: 'Hostname lookup result' })
    await expect.poll(() => found.count()).toBe(1)
    expect(await found.textContent()).toContain('presents the zone-level certificate')
    await dismissToasts(page)
    expect(await axeScan(page)).toEqual([])
  })

  test('Rotate: both CAs trusted (bundle, snippet), new certificate uploaded, switched, active, old one deleted', async () => {
    const { page } = app
    await page.getByRole('button', { name: `Rotate Zone-level certificate ${first.slice(0, 8)}` }).click()
    const dialog = page.getByRole('dialog', { name: `Rotate Zone-level certificate ${first.slice(0, 8)}` })
    const steps = dialog.getByRole('list', { name: 'Rotation steps' })
    const current = () => steps.locator('[aria-current=step]').textContent()
    expect(await current()).toContain('The origin trusts both CAs')

    // 1. A new CA; the bundle holds the old CA (found in the vault by the old certificate's issuer) and the new one.
    await dialog.getByLabel('Signing CA').selectOption({ label: 'Make a new local CA' })
    await dialog.getByLabel('New CA name').fill('Origin pulls CA 2')
    await dialog.getByRole('button', { name: 'Show the CA bundle' }).click()
    const bundle = dialog.getByLabel('CA bundle (old and new CA)')
    await expect.poll(() => bundle.count(), { timeout: 20_000 }).toBe(1)
    const pems = (await bundle.inputValue()).match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []
    expect(pems.map((p) => new X509Certificate(p).subject)).toEqual(['CN=Origin pulls CA 1', 'CN=Origin pulls CA 2'])
    await dialog.getByLabel('Origin server').selectOption({ label: 'Caddy' })
    const snippet = await dialog.getByLabel('Caddy configuration').inputValue()
    expect(snippet).toContain('trust_pool file /etc/ssl/certdesk/aop-ca.pem')
    expect(snippet).toContain(`${zoneName} {`)
    await dialog.getByLabel('Origin server').selectOption({ label: 'nginx' })
    expect(await dialog.getByLabel('nginx configuration').inputValue()).toContain('ssl_verify_client on;')
    await dismissToasts(page)
    await page.setViewportSize({ width: 1280, height: 1000 })
    await shootBoth(app, 'aop-rotation')
    toDocs('aop-rotation-light.png', 'aop-rotation.png')
    await page.setViewportSize({ width: 1280, height: 800 })
    expect(await axeScan(page)).toEqual([])
    await dialog.getByRole('button', { name: 'The origin trusts both CAs' }).click()

    // 2. Issue and upload.
    expect(await current()).toContain('Issue and upload the new certificate')
    await dialog.getByLabel('Common name').fill('origin-pull-2')
    await dialog.getByRole('button', { name: 'Issue and upload' }).click()
    await expect.poll(() => current(), { timeout: 20_000 }).toContain('Switch to the new certificate')
    const fresh = aopOfZone().find((c) => c.id !== first)!
    expect(new X509Certificate(fresh.certificate).issuer).toContain('CN=Origin pulls CA 2')

    // 3. Switch (zone-level: the newest active one is presented; AOP is already on). 4. Wait until active.
    await dialog.getByRole('button', { name: 'Switch' }).click()
    await expect.poll(() => current(), { timeout: 20_000 }).toContain('Delete the old certificate')
    expect(aopOfZone().find((c) => c.id === fresh.id)?.status).toBe('active')
    expect(aopOfZone().find((c) => c.id === first)).toBeDefined()

    // 5. Delete the old one, confirmed.
    await dialog.getByRole('button', { name: 'Delete the old certificate' }).click()
    const confirm = page.getByRole('dialog', { name: `Delete Zone-level certificate ${first.slice(0, 8)}?` })
    await confirm.getByRole('button', { name: 'Delete certificate' }).click()
    const result = dialog.getByRole('status', { name: 'Rotation result' })
    await expect.poll(() => result.count(), { timeout: 20_000 }).toBe(1)
    expect(await steps.locator('.step.done').count()).toBe(5)
    await expect.poll(() => aopOfZone().find((c) => c.id === first)?.status ?? 'gone', { timeout: 20_000 }).not.toBe('active')
    await dialog.getByRole('button', { name: 'Close' }).click()
    expect(aopOfZone().find((c) => c.id === fresh.id)?.status).toBe('active')
  })

  test('Per hostname: uploaded for api.<zone> with a vault CA, the lookup names it; deleting it while associated is refused', async () => {
    const { page } = app
    const hostname = `api.${zoneName}`
    await page.getByRole('button', { name: 'New AOP certificate' }).click()
    const dialog = page.getByRole('dialog', { name: `New AOP certificate for ${zoneName}` })
    await dialog.getByLabel('Signing CA').selectOption({ label: 'Origin pulls CA 2 (vault)' })
    await dialog.getByLabel('Common name').fill('origin-pull-api')
    await dialog.getByLabel('For these hostnames').check()
    await dialog.getByLabel(/^Hostnames/).fill(hostname)
    await dialog.getByRole('button', { name: 'Issue and upload' }).click()
    await expect.poll(() => dialog.count(), { timeout: 20_000 }).toBe(0)
    const mine = (snapshot().aopCertificates ?? []).find((c) => c.zoneId === zoneId && c.kind === 'hostname')!
    expect(new X509Certificate(mine.certificate).subject).toBe('CN=origin-pull-api')
    expect((snapshot().aopHostnames ?? []).find((h) => h.hostname === hostname)?.certId).toBe(mine.id)
    const row = page
      .getByRole('table', { name: `AOP certificates on ${zoneName}` })
      .getByRole('row')
      .filter({ hasText: mine.id.slice(0, 13) })
    expect(await row.textContent()).toContain('per hostname')

    await page.getByLabel('Hostname', { exact: true }).fill(hostname)
    await page.getByRole('button', { name: 'Look up' }).click()
    const found = page.getByRole('status', { name: 'Hostname lookup result' })
    await expect.poll(() => found.textContent()).toContain(`presents certificate ${mine.id}`)
    expect(await found.textContent()).toContain('CN=Origin pulls CA 2')

    // The smallest window: the table with its buttons stays inside the card.
    await page.setViewportSize({ width: 1024, height: 700 })
    const fits = `(() => { const m = document.querySelector('main.content'); return m.scrollWidth <= m.clientWidth })()`
    expect(await page.evaluate<boolean>(fits)).toBe(true)
    await dismissToasts(page)
    await shootBoth(app, 'aop-list-1024')
    await page.setViewportSize({ width: 1280, height: 800 })

    await page.getByRole('button', { name: `Delete Hostname certificate ${mine.id.slice(0, 8)}` }).click()
    const confirm = page.getByRole('dialog', { name: `Delete Hostname certificate ${mine.id.slice(0, 8)}?` })
    await confirm.getByRole('button', { name: 'Delete certificate' }).click()
    await expect.poll(() => page.locator('.toast.error').count(), { timeout: 10_000 }).toBeGreaterThan(0)
    expect((snapshot().aopCertificates ?? []).find((c) => c.id === mine.id)?.status).not.toBe('pending_deletion')
    expect((snapshot().aopHostnames ?? []).find((h) => h.hostname === hostname)?.certId).toBe(mine.id)
    await confirm.getByRole('button', { name: 'Cancel' }).click()
    await dismissToasts(page)
  })

  test('Origin CA: create for a new vault key (the key stays here), listed with days left, saved, revoked', async () => {
    const { page } = app
    await page.getByRole('tab', { name: 'Origin CA' }).click()
    const table = page.getByRole('table', { name: `Origin CA certificates on ${zoneName}` })
    const before = (snapshot().originCaCertificates ?? []).length
    await page.getByRole('button', { name: 'Create certificate' }).click()
    const dialog = page.getByRole('dialog', { name: `Create an Origin CA certificate for ${zoneName}` })
    await dialog.getByLabel(/^Hostnames/).fill(`${zoneName}\n*.${zoneName}`)
    await dialog.getByLabel('Key type').selectOption({ label: 'ECDSA P-256' })
    await dialog.getByLabel('Validity').selectOption({ label: '90 days' })
    await dialog.getByRole('button', { name: 'Create certificate' }).click()
    const done = page.getByRole('dialog', { name: `Origin CA certificate for ${zoneName}, *.${zoneName}` })
    await expect.poll(() => done.count(), { timeout: 20_000 }).toBe(1)
    const created = (snapshot().originCaCertificates ?? []).at(-1)!
    expect(snapshot().originCaCertificates).toHaveLength(before + 1)
    expect(created).toMatchObject({ hostnames: [zoneName, `*.${zoneName}`], requestType: 'origin-ecc', requestedValidity: 90 })
    // The key never left: the Sandbox got a CSR only, and the certificate's key is the vault key's.
    expect(created.csr).toContain('CERTIFICATE REQUEST')
    expect(created.csr).not.toContain('PRIVATE KEY')
    const key = (await app.services.vault.list()).find((k) => k.certificate?.pem.trim() === created.certificate.trim())
    expect(key).toBeDefined()
    expect(await done.getByLabel('Certificate (PEM)').inputValue()).toBe(created.certificate)
    expect(await done.getByLabel('nginx configuration').inputValue()).toContain(`server_name ${zoneName};`)
    await done.getByRole('button', { name: 'Save certificate (PEM)' }).click()
    await expect.poll(() => page.getByText(/Saved the certificate to /).count()).toBe(1)
    const savedTo = (await page.getByText(/Saved the certificate to /).textContent())!.replace(/^.*Saved the certificate to (.+)\.$/, '$1')
    expect(new X509Certificate(readFileSync(savedTo, 'utf8')).serialNumber).toBe(new X509Certificate(created.certificate).serialNumber)
    await done.getByRole('button', { name: 'Done' }).click()

    const row = table.getByRole('row').filter({ hasText: `*.${zoneName}` })
    await expect.poll(() => row.count()).toBe(1)
    expect(await row.textContent()).toContain('ECDSA')
    expect(await row.textContent()).toMatch(/expires in (89|90) days/)
    await dismissToasts(page)
    expect(await axeScan(page)).toEqual([])

    await page.getByRole('button', { name: `Revoke Origin CA certificate ${created.id.slice(0, 8)}` }).click()
    const revoke = page.getByRole('dialog', { name: `Revoke Origin CA certificate ${created.id.slice(0, 8)}?` })
    await revoke.getByRole('button', { name: 'Revoke certificate' }).click()
    await expect.poll(() => row.count()).toBe(0)
    expect((snapshot().originCaCertificates ?? []).find((c) => c.id === created.id)?.revokedAt).toBeTruthy()
    expect(app.consoleErrors).toEqual([])
  })
})
