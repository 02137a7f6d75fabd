/**
 * Roots & CAs against the harness's Sandbox: Access mTLS roots (add from a file, edit hostnames,
 * hostname settings, detach-then-delete with steps) and account mTLS CAs (upload behind the lint gate,
 * warnings asked, quota, associations, a refused delete). Outcomes are checked in the Sandbox state.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Locator } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { Time } from '@peculiar/asn1-x509'
import { startApp, type AppUnderTest } from '../harness/app'
import { CA_EXT, Forge } from '../support/forge'
import { opensslRoot, ROOT_EXT } from '../support/cert-factory'
import { axeScan, connectCloudflare, dismissToasts, shootBoth } from './support/screens'

describe('roots & CAs screen', () => {
  let app: AppUnderTest
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-e2e-roots-'))
  const selfSigned = (name: string, cn: string, ...ext: string[]) =>
    opensslRoot(join(dir, `${name}.pem`), join(dir, `${name}.key`), { subject: `/CN=${cn}/O=Certdesk E2E`, days: 3650, ext })
  const state = () => app.cloudflare.snapshot()
  const accountRoots = () => state().accessCertificates.filter((c) => c.scope === 'accounts')

  /** Drops a file on a drop zone the way a file manager does (a drop event carrying a DataTransfer). */
  async function drop(zone: Locator, path: string, fileName: string) {
    const dataTransfer = await app.page.evaluateHandle(
      `(() => { const dt = new DataTransfer(); dt.items.add(new File([${JSON.stringify(readFileSync(path, 'utf8'))}], ${JSON.stringify(fileName)}, { type: 'application/x-pem-file' })); return dt })()`,
    )
    await zone.dispatchEvent('drop', { dataTransfer })
  }

  beforeAll(async () => {
    selfSigned('root', 'E2E Access Root', ...ROOT_EXT)
    selfSigned('leaf', 'leaf.example.com', 'basicConstraints=critical,CA:FALSE')
    selfSigned('warn', 'E2E Lenient CA', 'basicConstraints=critical,CA:TRUE', 'keyUsage=keyCertSign,cRLSign')
    selfSigned('good', 'E2E Good CA', ...ROOT_EXT)
    // The demo account holds 2 CAs; with 3 allowed, one upload fits and the next hits the quota.
    app = await startApp({ cloudflare: { limits: { accountCas: 3 } } })
    await connectCloudflare(app, app.cloudflare.tokens.full)
    await app.page.keyboard.press('Control+2')
  })

  afterAll(async () => {
    await app?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  test('lists the Access roots and the account CAs', async () => {
    const { page } = app
    const access = page.getByRole('table', { name: 'Access mTLS roots on Sandbox Demo Account' })
    await expect.poll(() => access.getByRole('row').count()).toBe(3)
    expect(await access.textContent()).toContain('dev.example.com')
    const cas = page.getByRole('table', { name: 'Account mTLS CAs on Sandbox Demo Account' })
    await expect.poll(() => cas.getByText('Corporate root (BYO-CA)').count()).toBe(1)
    await shootBoth(app, 'roots-list')
    expect(await axeScan(page)).toEqual([])
    // Zone scope lists that zone's roots.
    await page.getByLabel('Scope').selectOption({ label: 'Zone example.net' })
    await expect.poll(() => page.getByRole('table', { name: 'Access mTLS roots on example.net' }).getByText('Partners').count()).toBe(1)
    await page.getByLabel('Scope').selectOption({ label: 'Account Sandbox Demo Account' })
  })

  test('adds an Access root from a chosen file, with a hostname', async () => {
    const { page } = app
    await page.getByRole('region', { name: 'Access mTLS roots' }).getByRole('button', { name: 'Add root', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'Add an Access root to Sandbox Demo Account' })
    await dialog.getByLabel('Name', { exact: true }).fill('E2E root')
    await dialog.locator('input[type=file]').setInputFiles(join(dir, 'root.pem'))
    await expect.poll(() => dialog.getByText('root.pem').count()).toBe(1)
    await dialog.getByLabel('Associated hostnames (optional, one per line)').fill('app.example.com')
    await shootBoth(app, 'roots-access-add')
    expect(await axeScan(page)).toEqual([])
    await dialog.getByRole('button', { name: 'Check and add root' }).click()
    await expect.poll(() => dialog.count()).toBe(0)
    const added = accountRoots().find((c) => c.name === 'E2E root')
    expect(added?.associatedHostnames).toEqual(['app.example.com'])
    await expect
      .poll(() =>
        page
          .getByRole('table', { name: /^Access mTLS roots/ })
          .getByText('E2E root')
          .count(),
      )
      .toBe(1)
    await dismissToasts(page)
  })

  test('adds an Access root generated here: key in the vault, name-constrained, linted, and at Cloudflare', async () => {
    const { page } = app
    await page.getByRole('region', { name: 'Access mTLS roots' }).getByRole('button', { name: 'Add root', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'Add an Access root to Sandbox Demo Account' })
    await dialog.getByLabel('Generate a new root here').check()
    await dialog.getByLabel('Common name (CN)').fill('E2E Generated Root')
    await dialog.getByLabel('Organization (O, optional)').fill('Certdesk E2E')
    await dialog.getByLabel('Only for these domains (optional name constraints, one per line)').fill('example.com')
    expect(await dialog.getByRole('button', { name: 'Check and add root' }).isDisabled()).toBe(true)
    await shootBoth(app, 'roots-access-generate')
    await dialog.getByRole('button', { name: 'Generate root' }).click()
    const generated = dialog.getByRole('region', { name: 'Root generated here' })
    await expect.poll(() => generated.count(), { timeout: 15_000 }).toBe(1)
    expect(await generated.textContent()).toContain('Root E2E Generated Root')
    expect(await generated.getByText('passes', { exact: false }).count()).toBeGreaterThan(0)
    // The name defaults to the root's common name.
    expect(await dialog.getByLabel('Name', { exact: true }).inputValue()).toBe('E2E Generated Root')
    await shootBoth(app, 'roots-access-generated')
    expect(await axeScan(page)).toEqual([])
    await dialog.getByRole('button', { name: 'Check and add root' }).click()
    await expect.poll(() => dialog.count()).toBe(0)

    // Cloudflare has exactly the certificate whose key is in the vault, and it is constrained to example.com.
    const added = accountRoots().find((c) => c.name === 'E2E Generated Root')
    const key = (await app.services.vault.list()).find((k) => k.label === 'Root E2E Generated Root')
    expect(key?.certificate?.pem.replace(/\s/g, '')).toBe(added?.certificate.replace(/\s/g, ''))
    const text = execFileSync('openssl', ['x509', '-noout', '-subject', '-ext', 'basicConstraints,keyUsage,nameConstraints'], {
      input: added!.certificate,
      encoding: 'utf8',
    })
    expect(text).toMatch(/CN\s*=\s*E2E Generated Root/)
    expect(text).toMatch(/Basic Constraints: critical\s+CA:TRUE/)
    expect(text).toMatch(/Permitted:\s+DNS:example\.com/)
    await dismissToasts(page)
  })

  test('a leaf or an expired root is refused by the root-ca checks before any request, findings shown (1024×700)', async () => {
    const { page } = app
    await page.setViewportSize({ width: 1024, height: 700 })
    const before = accountRoots().length
    const forge = new Forge()
    const ca = forge.issue({ name: 'E2E Old Root', ext: CA_EXT })
    const expired = forge.edit(ca, 'expired', ca.key, (cert) => {
      cert.tbsCertificate.validity.notBefore = new Time(new Date('2020-01-01T00:00:00Z'))
      cert.tbsCertificate.validity.notAfter = new Time(new Date('2021-01-01T00:00:00Z'))
    })
    await page.getByRole('region', { name: 'Access mTLS roots' }).getByRole('button', { name: 'Add root', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'Add an Access root to Sandbox Demo Account' })
    await dialog.getByLabel('Name', { exact: true }).fill('Not a CA')
    await drop(dialog.getByRole('group', { name: 'Root CA certificate' }), join(dir, 'leaf.pem'), 'leaf.pem')
    await expect.poll(() => dialog.getByText('leaf.pem').count()).toBe(1)
    await dialog.getByRole('button', { name: 'Check and add root' }).click()
    const refusal = dialog.getByRole('alert').filter({ hasText: 'Not added: leaf.pem fails' })
    await expect.poll(() => refusal.count()).toBe(1)
    expect(await dialog.getByRole('region', { name: /^Root CA checks of / }).count()).toBe(1)
    expect(await dialog.getByRole('button', { name: 'Check and add root' }).isDisabled()).toBe(true)
    // No raw account id, no Cloudflare error: the refusal is local.
    expect(await dialog.textContent()).not.toContain(app.cloudflare.account.id)
    await shootBoth(app, 'roots-access-add-refused')

    await drop(dialog.getByRole('group', { name: 'Root CA certificate' }), expired.pem, 'expired.pem')
    await expect.poll(() => dialog.getByText('expired.pem').count()).toBe(1)
    await dialog.getByRole('button', { name: 'Check and add root' }).click()
    const stale = dialog.getByRole('alert').filter({ hasText: 'Not added: expired.pem fails' })
    await expect.poll(() => stale.count()).toBe(1)
    expect(await stale.textContent()).toContain('certificate has expired')
    // The findings' fixes carry commands in backticks: shown as code, never as raw markdown.
    const report = dialog.getByRole('region', { name: /^Root CA checks of / })
    expect(await report.textContent()).not.toContain('`')
    expect(await report.locator('code', { hasText: 'certdesk ca new --days N' }).count()).toBe(1)
    await shootBoth(app, 'roots-access-add-expired-1024')
    expect(accountRoots().length).toBe(before)
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await page.setViewportSize({ width: 1280, height: 820 })
    forge.cleanup()
  })

  test('edits the hostnames of a root and its hostname settings', async () => {
    const { page } = app
    await page.getByRole('button', { name: 'Edit hostnames of IoT fleet' }).click()
    const dialog = page.getByRole('dialog', { name: 'Hostnames of IoT fleet' })
    await dialog.getByLabel('Hostnames, one per line').fill('iot.example.com\nfleet.example.net')
    await shootBoth(app, 'roots-access-hostnames')
    await dialog.getByRole('button', { name: 'Save hostnames' }).click()
    await expect
      .poll(() =>
        accountRoots()
          .find((c) => c.name === 'IoT fleet')
          ?.associatedHostnames.slice()
          .sort(),
      )
      .toEqual(['fleet.example.net', 'iot.example.com'])

    await page.getByRole('button', { name: 'Hostname settings' }).click()
    const settings = page.getByRole('dialog', { name: 'Access hostname settings on Sandbox Demo Account' })
    await settings.getByRole('checkbox', { name: 'Use the China network for dev.example.com' }).check()
    await settings.getByLabel('Hostname', { exact: true }).fill('iot.example.com')
    await settings.getByRole('button', { name: 'Add hostname' }).click()
    await settings.getByRole('checkbox', { name: 'Forward the client certificate to the origin of iot.example.com' }).check()
    await shootBoth(app, 'roots-access-settings')
    expect(await axeScan(page)).toEqual([])
    await settings.getByRole('button', { name: 'Save settings' }).click()
    await expect.poll(() => settings.count()).toBe(0)
    const saved = state().accessSettings.find((s) => s.scope === 'accounts')?.settings ?? []
    expect(saved.find((s) => s.hostname === 'dev.example.com')).toMatchObject({ china_network: true, client_certificate_forwarding: true })
    expect(saved.find((s) => s.hostname === 'iot.example.com')).toMatchObject({ china_network: false, client_certificate_forwarding: true })
    await dismissToasts(page)
  })

  test('deletes a root with hostnames as two steps: detach, then delete', async () => {
    const { page } = app
    const root = accountRoots().find((c) => c.name === 'Allow devs')!
    await page.getByRole('button', { name: 'Delete Allow devs' }).click()
    const confirm = page.getByRole('dialog', { name: 'Delete Allow devs?' })
    expect(await confirm.textContent()).toContain('dev.example.com')
    await shootBoth(app, 'roots-access-delete-confirm')
    await confirm.getByRole('button', { name: 'Detach and delete' }).click()
    await expect.poll(() => accountRoots().some((c) => c.id === root.id)).toBe(false)
    await expect
      .poll(() =>
        page
          .getByRole('table', { name: /^Access mTLS roots/ })
          .getByText('Allow devs')
          .count(),
      )
      .toBe(0)
    expect(
      await page.getByRole('status').filter({ hasText: 'Deleted the Access root "Allow devs" after detaching dev.example.com' }).count(),
    ).toBe(1)
    await dismissToasts(page)
  })

  test('a non-CA dropped on the CA upload is stopped by the lint gate with the findings; nothing is uploaded', async () => {
    const { page } = app
    const before = state().mtlsCertificates.length
    await page.getByRole('button', { name: 'Upload CA' }).click()
    const dialog = page.getByRole('dialog', { name: 'Upload a CA to Sandbox Demo Account' })
    await drop(dialog.getByRole('group', { name: 'CA certificate or chain (root first)' }), join(dir, 'leaf.pem'), 'leaf.pem')
    await expect.poll(() => dialog.getByText('leaf.pem').count()).toBe(1)
    await dialog.getByRole('button', { name: 'Check and upload' }).click()
    const alert = dialog.getByRole('alert').filter({ hasText: 'Not uploaded' })
    await expect.poll(() => alert.count()).toBe(1)
    expect(await dialog.textContent()).toContain('ca.basic_constraints.not_ca')
    expect(await dialog.getByRole('button', { name: 'Check and upload' }).isDisabled()).toBe(true)
    await shootBoth(app, 'roots-ca-upload-blocked')
    expect(await axeScan(page)).toEqual([])
    expect(state().mtlsCertificates.length).toBe(before)
    await dialog.getByRole('button', { name: 'Cancel' }).click()
  })

  test('warnings ask first; uploading anyway adds the CA', async () => {
    const { page } = app
    await page.getByRole('button', { name: 'Upload CA' }).click()
    const dialog = page.getByRole('dialog', { name: 'Upload a CA to Sandbox Demo Account' })
    await dialog.getByLabel('Name (optional)').fill('Lenient CA')
    await dialog.getByLabel('…or paste PEM text').fill(readFileSync(join(dir, 'warn.pem'), 'utf8'))
    await dialog.getByRole('button', { name: 'Check and upload' }).click()
    const proceed = dialog.getByRole('button', { name: /^Upload despite 1 warning/ })
    await expect.poll(() => proceed.count()).toBe(1)
    expect(await dialog.textContent()).toContain('ca.key_usage.not_critical')
    expect(state().mtlsCertificates.some((c) => c.name === 'Lenient CA')).toBe(false)
    await shootBoth(app, 'roots-ca-upload-warnings')
    await proceed.click()
    await expect.poll(() => dialog.count()).toBe(0)
    expect(state().mtlsCertificates.some((c) => c.name === 'Lenient CA')).toBe(true)
    await expect
      .poll(() =>
        page
          .getByRole('table', { name: /^Account mTLS CAs/ })
          .getByText('Lenient CA', { exact: true })
          .count(),
      )
      .toBe(1)
    await dismissToasts(page)
  })

  test('the account at its CA quota: a clean CA is refused with the quota message, nothing changes', async () => {
    const { page } = app
    const before = state().mtlsCertificates.length
    await page.getByRole('button', { name: 'Upload CA' }).click()
    const dialog = page.getByRole('dialog', { name: 'Upload a CA to Sandbox Demo Account' })
    await dialog.locator('input[type=file]').setInputFiles(join(dir, 'good.pem'))
    await expect.poll(() => dialog.getByText('good.pem').count()).toBe(1)
    await dialog.getByRole('button', { name: 'Check and upload' }).click()
    const alert = dialog.getByRole('alert')
    await expect.poll(() => alert.textContent()).toContain('CA certificate slots')
    expect(await alert.textContent()).toContain('Delete an unused CA')
    await shootBoth(app, 'roots-ca-quota')
    expect(state().mtlsCertificates.length).toBe(before)
    await dialog.getByRole('button', { name: 'Cancel' }).click()
  })

  test('a CA in use: associations listed, delete refused with the reason; an unused one is deleted', async () => {
    const { page } = app
    await page.getByRole('button', { name: 'Associations of Corporate root (BYO-CA)' }).click()
    const assoc = page.getByRole('dialog', { name: 'Where Corporate root (BYO-CA) is used' })
    await expect.poll(() => assoc.getByRole('list', { name: 'Associations' }).count()).toBe(1)
    await shootBoth(app, 'roots-ca-associations')
    await assoc.getByRole('button', { name: 'Close' }).click()

    const corp = state().mtlsCertificates.find((c) => c.name === 'Corporate root (BYO-CA)')!
    await page.getByRole('button', { name: 'Delete Corporate root (BYO-CA)' }).click()
    const confirm = page.getByRole('dialog', { name: 'Delete Corporate root (BYO-CA)?' })
    await confirm.getByRole('button', { name: 'Delete CA' }).click()
    await expect.poll(() => confirm.getByRole('alert').textContent()).toContain('cannot be deleted')
    await shootBoth(app, 'roots-ca-delete-refused')
    expect(state().mtlsCertificates.some((c) => c.id === corp.id)).toBe(true)
    await confirm.getByRole('button', { name: 'Cancel' }).click()

    await page.getByRole('button', { name: 'Delete Lenient CA' }).click()
    await page.getByRole('dialog', { name: 'Delete Lenient CA?' }).getByRole('button', { name: 'Delete CA' }).click()
    await expect.poll(() => state().mtlsCertificates.some((c) => c.name === 'Lenient CA')).toBe(false)
  })

  test('logged no console errors', () => {
    expect(app.consoleErrors).toEqual([])
  })
})
