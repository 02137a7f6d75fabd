/**
 * The create-certificate wizard (seed 000, done locally) against the harness's Sandbox: main's own
 * messages for bad input, a key + CSR made in main, issued at "Cloudflare", linked in the vault, and
 * exported as a PKCS#12 that openssl opens with the password given in the UI.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Profile } from '../../src/shared/model'
import { startApp, type AppUnderTest } from '../harness/app'
import { axeScan, connectCloudflare, shootBoth } from './support/screens'

const CN = 'wizard-device-01'

describe('create client certificate wizard', () => {
  let app: AppUnderTest
  let profile: Profile

  beforeAll(async () => {
    app = await startApp()
    profile = await connectCloudflare(app, app.cloudflare.tokens.full)
    await app.page.keyboard.press('Control+1')
  })

  afterAll(async () => {
    await app?.close()
  })

  test('bad input gets main’s specific message: an empty common name, then a three-letter country', async () => {
    const { page } = app
    await page.getByRole('button', { name: 'Create with a new key' }).click()
    const dialog = page.getByRole('dialog', { name: /^Create a client certificate on / })
    await expect.poll(() => dialog.count()).toBe(1)
    // The validity defaults to the setting (10 years unless changed).
    expect(await dialog.getByLabel('Certificate validity').inputValue()).toBe('10')
    await shootBoth(app, 'create-wizard-details')
    expect(await axeScan(page)).toEqual([])

    await dialog.getByRole('button', { name: 'Generate key and CSR' }).click()
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('A common name is required')
    await shootBoth(app, 'create-wizard-error-cn')

    await dialog.getByLabel('Common name (CN)').fill(CN)
    await dialog.getByLabel('Country (C, two letters)').fill('USA')
    await dialog.getByRole('button', { name: 'Generate key and CSR' }).click()
    await expect
      .poll(() => dialog.getByRole('alert').textContent())
      .toContain('Country (C) must be a two-letter ISO 3166 code such as US or DE, not "USA"')
    expect(await dialog.getByRole('alert').textContent()).toContain('Use the two-letter country code.')
    expect(await app.services.vault.list()).toHaveLength(0)
    await shootBoth(app, 'create-wizard-error-country')
  })

  test('generates the key (vault first) and CSR, issues it at the Sandbox, and links it to the key', async () => {
    const { page } = app
    const dialog = page.getByRole('dialog', { name: /^Create a client certificate on / })
    await dialog.getByLabel('Private key type').selectOption({ label: 'ECC P-256' })
    await dialog.getByLabel('Country (C, two letters)').fill('US')
    await dialog.getByLabel('Organization (O)').fill('Example Corp')
    await dialog.getByLabel('Subject alternative names (one per line, optional)').fill(`DNS:${CN}.example.com`)
    await dialog.getByLabel('Certificate validity').selectOption('2')
    await dialog.getByRole('button', { name: 'Generate key and CSR' }).click()
    const csr = dialog.getByLabel('Certificate signing request (PEM)')
    await expect.poll(() => csr.count(), { timeout: 20_000 }).toBe(1)
    expect(await csr.inputValue()).toContain('-----BEGIN CERTIFICATE REQUEST-----')
    // The review shows what the CSR says, decoded in main, not only its PEM.
    const says = dialog.getByRole('definition')
    const facts = (await dialog.locator('dl[aria-label="What the CSR says"]').textContent()) ?? ''
    expect(await says.count()).toBeGreaterThanOrEqual(3)
    expect(facts).toContain(`CN=${CN}`)
    expect(facts).toContain('O=Example Corp')
    expect(facts).toContain(`DNS:${CN}.example.com`)
    expect(facts).toContain('ECC P-256')
    const [key] = await app.services.vault.list()
    expect(key).toMatchObject({ keyType: 'ec-p256', label: CN })
    expect(key!.certificate).toBeUndefined()
    await shootBoth(app, 'create-wizard-csr')

    await dialog.getByRole('button', { name: 'Issue certificate' }).click()
    const issued = page.getByRole('dialog', { name: `Issued ${CN}` })
    await expect.poll(() => issued.count(), { timeout: 20_000 }).toBe(1)
    await shootBoth(app, 'create-wizard-issued')
    expect(await axeScan(page)).toEqual([])

    // Cloudflare (the Sandbox) has it, on this zone, about two years long; the vault links it to the key.
    const zoneId = profile.zones[0]!.id
    const record = app.cloudflare.snapshot().clientCertificates.find((c) => c.commonName === CN)
    expect(record).toBeDefined()
    expect(record!.zoneId).toBe(zoneId)
    const linked = (await app.services.vault.list()).find((k) => k.id === key!.id)
    expect(linked?.certificate?.cloudflareId).toBe(record!.id)
    expect(linked?.certificate?.zoneId).toBe(zoneId)
    expect(await issued.textContent()).toContain(record!.id)
  })

  test('exports a PKCS#12 with the password typed twice; openssl opens it with that password', async () => {
    const { page } = app
    const issued = page.getByRole('dialog', { name: `Issued ${CN}` })
    const save = issued.getByRole('button', { name: 'Save PKCS#12' })
    await issued.getByLabel('PKCS#12 for mobile and IoT: password').fill('p12-wizard-pass')
    await issued.getByLabel('PKCS#12 for mobile and IoT: confirm password').fill('p12-wizard-pasS')
    expect(await issued.getByText('The passwords differ.').count()).toBe(1)
    expect(await save.isDisabled()).toBe(true)
    await issued.getByLabel('PKCS#12 for mobile and IoT: confirm password').fill('p12-wizard-pass')
    await save.click()
    const file = join(app.exportsDir, `${CN}.p12`)
    await expect
      .poll(() =>
        page
          .getByRole('status')
          .filter({ hasText: `Saved the PKCS#12 bundle to ${file}` })
          .count(),
      )
      .toBe(1)
    // The toast is above the modal and, rendered inside it, not inert: it can be dismissed while the dialog stays open.
    const savedToast = issued.getByRole('status').filter({ hasText: 'Saved the PKCS#12 bundle' })
    expect(await savedToast.count()).toBe(1)
    await savedToast.getByRole('button', { name: 'Dismiss notification' }).click({ timeout: 3_000 })
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Saved the PKCS#12 bundle' }).count()).toBe(0)
    expect(await issued.count()).toBe(1)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const opened = spawnSync('openssl', ['pkcs12', '-info', '-nokeys', '-passin', 'env:P', '-in', file], {
      encoding: 'utf8',
      env: { ...process.env, P: 'p12-wizard-pass' },
    })
    expect(opened.status).toBe(0)
    expect(opened.stdout).toMatch(new RegExp(`subject=.*CN\\s*=\\s*${CN}`))
    // The modern format: AES-256 under PBES2 (openssl reports the algorithms on stderr).
    expect(opened.stderr).toMatch(/PBES2.*AES-256/)
    expect(() =>
      execFileSync('openssl', ['pkcs12', '-info', '-nokeys', '-passin', 'pass:wrong-password', '-in', file], { stdio: 'pipe' }),
    ).toThrow()

    await issued.getByRole('button', { name: 'Save certificate (PEM)' }).click()
    await expect
      .poll(() => readFileSync(join(app.exportsDir, `${CN}.pem`), 'utf8').includes('BEGIN CERTIFICATE'), { timeout: 5_000 })
      .toBe(true)
    await shootBoth(app, 'create-wizard-exported')
    await issued.getByRole('button', { name: 'Done' }).click()
    await expect.poll(() => issued.count()).toBe(0)
    expect(app.consoleErrors).toEqual([])
  })

  test('the new certificate’s detail drawer shows its vault key (with exports) and this computer’s history', async () => {
    const { page } = app
    await page.getByRole('button', { name: 'Refresh', exact: true }).first().click()
    await page.getByLabel('Search').fill(CN)
    await page.getByRole('button', { name: CN, exact: true }).click()
    const drawer = page.getByRole('complementary', { name: CN })
    await expect.poll(() => drawer.getByText('Issued for the key').count()).toBe(1)
    expect(await drawer.textContent()).toContain('ec-p256')
    expect(await drawer.getByRole('button', { name: 'Save certificate (PEM)' }).count()).toBe(1)
    const history = drawer.getByRole('list', { name: 'Status history' })
    await expect.poll(() => history.count()).toBe(1)
    expect(await history.textContent()).toContain('Issued client certificate')
    await shootBoth(app, 'client-certs-detail-linked-key')
  })
})
