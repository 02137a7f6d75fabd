/**
 * The Keys screen (the vault had none): every vault key with its certificate, export (PKCS#12 with
 * the vault CA chain; the unencrypted key only after ticking the acknowledgement) and delete with a
 * confirmation; and the certificate drawer's PEM/DER downloads for a certificate not in the vault.
 * openssl referees every file the save dialog stand-in received.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { dispatch } from '../../src/main/dispatch'
import { createHandlers } from '../../src/main/handlers'
import { signCsr } from '../../src/main/pki/ca'
import { generateKey } from '../../src/main/pki/keys'
import type { ClientCertificateSummary } from '../../src/shared/cloudflare-model'
import type { Profile } from '../../src/shared/model'
import type { VaultEntry } from '../../src/shared/pki-model'
import { startApp, type AppUnderTest } from '../harness/app'
import { axeScan, connectCloudflare, dismissToasts } from './support/screens'

const openssl = (args: string[], env: Record<string, string> = {}) =>
  execFileSync('openssl', args, { encoding: 'utf8', stdio: 'pipe', env: { ...process.env, ...env } })

describe('Keys screen', () => {
  let app: AppUnderTest
  let profile: Profile
  let cloudflareKey: VaultEntry
  let sensor: VaultEntry
  let spare: VaultEntry

  beforeAll(async () => {
    app = await startApp()
    profile = await connectCloudflare(app, app.cloudflare.tokens.full)
    const handlers = createHandlers(app.services)
    const call = async <T>(channel: string, request: unknown): Promise<T> => {
      const result = await dispatch(handlers, channel, request, { emit: () => undefined })
      if (!result.ok) throw new Error(result.error.message)
      return result.value as T
    }
    // A Cloudflare-issued key, a local root with a leaf it signed, and a key with no certificate.
    const made = await call<{ key: VaultEntry }>('keys:newCsr', { keyType: 'ec-p256', subject: { cn: 'edge-device-3' } })
    const issue = { profileId: profile.id, zoneId: profile.zones[0]!.id, keyId: made.key.id, validityDays: 365 }
    cloudflareKey = (await call<{ key: VaultEntry }>('clientCerts:issueForKey', issue)).key
    const rootRequest = { cn: 'Plant Root CA', keyType: 'ec-p256', days: 3650 }
    const root = await call<{ key: VaultEntry; certificatePem: string }>('keys:newRoot', rootRequest)
    const leaf = await call<{ key: VaultEntry; csrPem: string }>('keys:newCsr', { keyType: 'ec-p256', subject: { cn: 'Zürich sensor' } })
    const caKey = await app.services.vault.privateKey(root.key.id)
    const signed = await signCsr({ caCertPem: root.certificatePem, caKey, csrPem: leaf.csrPem, profile: 'client', days: 400 })
    sensor = await app.services.vault.linkCertificate(leaf.key.id, signed.certificatePem)
    spare = await app.services.vault.save({ privateKey: (await generateKey('ec-p256')).privateKey, label: 'Spare key' })
    await app.page.keyboard.press('Control+8')
    await app.page.getByRole('heading', { level: 1, name: 'Keys' }).waitFor()
  })

  afterAll(async () => {
    await app?.close()
  })

  test('lists every vault key with its certificate: name, expiry, Cloudflare id or issuer', async () => {
    const { page } = app
    const table = page.getByRole('table', { name: 'Vault keys' })
    await expect.poll(() => table.getByRole('row').count()).toBe(5) // header + 4 keys
    const row = (label: string) => table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: label, exact: true }) })
    expect(await row('edge-device-3').textContent()).toContain(cloudflareKey.certificate!.cloudflareId!)
    expect(await row('Zürich sensor').textContent()).toContain('CN=Plant Root CA')
    expect(await row('Root Plant Root CA').textContent()).toContain('Self-signed root')
    expect(await row('Spare key').textContent()).toContain('None')
    expect(await axeScan(page)).toEqual([])

    await page.setViewportSize({ width: 1024, height: 700 })
    await page.evaluate(`document.documentElement.dataset.theme = 'light'`)
    await app.screenshot('keys-1024-light')
    await page.setViewportSize({ width: 1280, height: 820 })
    await page.evaluate(`document.documentElement.dataset.theme = 'dark'`)
    await app.screenshot('keys-1280-dark')
    await page.evaluate(`delete document.documentElement.dataset.theme`)
  })

  test('export: PKCS#12 with the vault root as its chain; the unencrypted key only after the acknowledgement', async () => {
    const { page } = app
    await page.getByRole('button', { name: 'Export Zürich sensor' }).click()
    const dialog = page.getByRole('dialog', { name: 'Export Zürich sensor' })
    await expect.poll(() => dialog.count()).toBe(1)
    expect(await dialog.textContent()).toContain('issuing CA certificates kept in this vault')
    await dialog.getByLabel('PKCS#12 for mobile and IoT: password').fill('sensor-p12-pass')
    await dialog.getByLabel('PKCS#12 for mobile and IoT: confirm password').fill('sensor-p12-pass')
    await dialog.getByRole('button', { name: 'Save PKCS#12' }).click()
    const p12 = join(app.exportsDir, 'Zürich_sensor.p12')
    await expect.poll(() => existsSync(p12), { timeout: 10_000 }).toBe(true)
    const info = openssl(['pkcs12', '-in', p12, '-info', '-nokeys', '-passin', 'env:P'], { P: 'sensor-p12-pass' })
    expect(info.match(/BEGIN CERTIFICATE/g)).toHaveLength(2)
    expect(info).toMatch(/subject=CN\s*=\s*Plant Root CA/)

    const clear = dialog.getByRole('button', { name: 'Save unencrypted key' })
    expect(await clear.isDisabled()).toBe(true)
    await dialog.getByLabel('I understand the file will hold the key unencrypted').check()
    await app.screenshot('keys-export-unencrypted-light')
    await clear.click()
    const keyFile = join(app.exportsDir, 'Zürich_sensor.key')
    await expect.poll(() => existsSync(keyFile), { timeout: 10_000 }).toBe(true)
    expect(readFileSync(keyFile, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/)
    const certPubkey = execFileSync('openssl', ['x509', '-noout', '-pubkey'], { input: sensor.certificate!.pem, encoding: 'utf8' })
    expect(openssl(['pkey', '-in', keyFile, '-pubout'])).toBe(certPubkey)
    await expect.poll(() => dialog.getByLabel('I understand the file will hold the key unencrypted').isChecked()).toBe(false)
    await dismissToasts(page)
    await dialog.getByRole('button', { name: 'Done' }).click()
    await expect.poll(() => dialog.count()).toBe(0)
  })

  test('delete asks first: Cancel keeps the key, Delete key removes it from the vault and the list', async () => {
    const { page } = app
    await page.getByRole('button', { name: 'Delete Spare key' }).click()
    const confirm = page.getByRole('dialog', { name: 'Delete the key Spare key?' })
    await expect.poll(() => confirm.count()).toBe(1)
    await app.screenshot('keys-delete-confirm-light')
    await confirm.getByRole('button', { name: 'Cancel' }).click()
    await expect.poll(() => confirm.count()).toBe(0)
    expect(app.services.vault.list().map((k) => k.id)).toContain(spare.id)

    await page.getByRole('button', { name: 'Delete Spare key' }).click()
    await confirm.getByRole('button', { name: 'Delete key' }).click()
    await expect.poll(() => page.getByRole('rowheader', { name: 'Spare key', exact: true }).count()).toBe(0)
    expect(app.services.vault.list().map((k) => k.id)).not.toContain(spare.id)
    expect(app.services.vault.list().map((k) => k.id)).toContain(sensor.id)
    // The success toast, raised as the dialog closes, shows (and the window survives it).
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Deleted the key Spare key.' }).count()).toBe(1)
    expect(app.consoleErrors).toEqual([])
  })

  test('the certificate drawer saves any certificate as PEM and DER (.cer), recorded as certificate.save', async () => {
    const { page } = app
    await page
      .getByRole('navigation', { name: 'Screens' })
      .getByRole('button', { name: /Client certificates/ })
      .click()
    const zoneId = profile.zones[0]!.id
    const request = { profileId: profile.id, zoneId, status: 'active' } as const
    const listed: ClientCertificateSummary[] = await app.services.cloudflare.run('clientCerts.list', request)
    const other = listed.find((c) => c.certificate && c.id !== cloudflareKey.certificate!.cloudflareId && /^[\w.-]+$/.test(c.commonName))!
    await page.getByLabel('Search').fill(other.commonName)
    await page.getByRole('button', { name: other.commonName, exact: true }).first().click()
    const drawer = page.getByRole('complementary', { name: other.commonName })
    await expect.poll(() => drawer.count()).toBe(1)
    expect(await drawer.getByText('Its private key is not in this computer’s vault').count()).toBe(1)
    await drawer.getByRole('button', { name: 'Save certificate (DER, .cer)' }).click()
    const der = join(app.exportsDir, `${other.commonName}.cer`)
    await expect.poll(() => existsSync(der), { timeout: 10_000 }).toBe(true)
    const line = openssl(['x509', '-inform', 'DER', '-in', der, '-noout', '-fingerprint', '-sha256'])
    const fingerprint = line.split('=')[1]!.trim().replace(/:/g, '').toLowerCase()
    expect(fingerprint).toBe(other.fingerprintSha256)
    await drawer.getByRole('button', { name: 'Save certificate (PEM)' }).click()
    const pem = join(app.exportsDir, `${other.commonName}.pem`)
    await expect.poll(() => existsSync(pem), { timeout: 10_000 }).toBe(true)
    expect(openssl(['x509', '-in', pem, '-noout', '-subject'])).toContain(other.commonName)
    const saves = app.services.activity.list({ action: 'certificate.save' })
    expect(saves.map((e) => e.target)).toContain(other.commonName)
    await app.screenshot('client-certs-drawer-downloads-light')
    expect(app.consoleErrors).toEqual([])
  })
})
