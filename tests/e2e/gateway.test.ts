/**
 * Gateway inspection against the harness's Sandbox: create a Cloudflare-generated root, activate it
 * and watch it deploy, turn it on for inspection, deactivate and delete the old one. Each outcome is
 * checked in the Sandbox's state (binding status, the account's Gateway configuration).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Profile } from '../../src/shared/model'
import { startApp, type AppUnderTest } from '../harness/app'
import { axeScan, connectCloudflare, dismissToasts, shootBoth, useProfile } from './support/screens'

describe('gateway inspection screen', () => {
  let app: AppUnderTest
  let full: Profile
  const certs = () => app.cloudflare.snapshot().gatewayCertificates
  const inspection = () => (app.cloudflare.snapshot().gatewayConfigs[0]?.settings as { certificate?: { id?: string } }).certificate?.id
  const label = (id: string, custom = false) => `${custom ? 'Custom root' : 'Cloudflare root'} ${id.slice(0, 8)}`
  let created = ''

  beforeAll(async () => {
    app = await startApp()
    full = await connectCloudflare(app, app.cloudflare.tokens.full)
    await app.page.keyboard.press('Control+3')
  })

  afterAll(async () => {
    await app?.close()
  })

  test('lists the certificates with binding status, the one in use and fingerprints', async () => {
    const { page } = app
    const table = page.getByRole('table', { name: 'Gateway certificates on Sandbox Demo Account' })
    await expect.poll(() => table.getByRole('row').count()).toBe(certs().length + 1)
    const inUse = inspection()!
    const row = table.getByRole('row').filter({ hasText: label(inUse) })
    expect(await row.textContent()).toContain('in use')
    expect(await row.textContent()).toContain('available')
    // Only inactive certificates can be deleted.
    expect(await page.getByRole('button', { name: `Delete ${label(inUse)}` }).isDisabled()).toBe(true)
    await shootBoth(app, 'gateway-list')
    expect(await axeScan(page)).toEqual([])
  })

  test('creates a Cloudflare-generated certificate', async () => {
    const { page } = app
    const before = new Set(certs().map((c) => c.id))
    await page.getByRole('button', { name: 'Create certificate' }).click()
    const dialog = page.getByRole('dialog', { name: 'Create a Gateway certificate on Sandbox Demo Account' })
    await dialog.getByLabel('Validity').selectOption('365')
    await shootBoth(app, 'gateway-create')
    await dialog.getByRole('button', { name: 'Create certificate' }).click()
    await expect.poll(() => certs().length).toBe(before.size + 1)
    created = certs().find((c) => !before.has(c.id))!.id
    expect(certs().find((c) => c.id === created)?.binding).toBe('inactive')
    await expect.poll(() => page.getByRole('button', { name: `Activate ${label(created)}` }).count()).toBe(1)
    await dismissToasts(page)
  })

  test('activates it with a live stepper until available, then turns it on for inspection', async () => {
    const { page } = app
    await page.getByRole('button', { name: `Activate ${label(created)}` }).click()
    const dialog = page.getByRole('dialog', { name: `Activate ${label(created)}` })
    await dialog.getByRole('button', { name: 'Activate' }).click()
    await expect.poll(() => dialog.getByRole('status').textContent(), { timeout: 20_000 }).toContain('Available')
    expect(await dialog.getByRole('list', { name: 'Activation steps' }).textContent()).toContain('Available for inspection (done)')
    await shootBoth(app, 'gateway-activated')
    expect(await axeScan(page)).toEqual([])
    expect(certs().find((c) => c.id === created)?.binding).toBe('available')
    await dialog.getByRole('button', { name: 'Close' }).click()

    const old = inspection()!
    await page.getByRole('button', { name: `Use ${label(created)} for inspection` }).click()
    const confirm = page.getByRole('dialog', { name: `Use ${label(created)} for inspection?` })
    // The confirmation names the risk, as the BYOPKI wizard does.
    await expect
      .poll(() => confirm.textContent())
      .toContain('Every device that does not trust this root will see certificate errors on every inspected HTTPS site.')
    await shootBoth(app, 'gateway-use-confirm')
    await confirm.getByRole('button', { name: 'Use for inspection' }).click()
    await expect.poll(() => inspection()).toBe(created)
    const row = page
      .getByRole('table', { name: /^Gateway certificates/ })
      .getByRole('row')
      .filter({ hasText: label(created) })
    await expect.poll(() => row.textContent()).toContain('in use')
    // The old root is no longer in use, so it may be deactivated now.
    expect(await page.getByRole('button', { name: `Deactivate ${label(old)}` }).isDisabled()).toBe(false)
    await dismissToasts(page)
  })

  test('deactivates the old root and deletes it once inactive', async () => {
    const { page } = app
    const old = certs().find((c) => c.id !== created && c.binding === 'available')!
    await page.getByRole('button', { name: `Deactivate ${label(old.id)}` }).click()
    await page
      .getByRole('dialog', { name: `Deactivate ${label(old.id)}?` })
      .getByRole('button', { name: 'Deactivate' })
      .click()
    await expect.poll(() => certs().find((c) => c.id === old.id)?.binding).toMatch(/pending_deletion|inactive/)
    // The harness settles pending states after 500 ms; Refresh shows it inactive and deletable.
    const del = page.getByRole('button', { name: `Delete ${label(old.id)}` })
    await expect
      .poll(async () => {
        await page.getByRole('button', { name: 'Refresh' }).click()
        return del.isDisabled()
      })
      .toBe(false)
    await del.click()
    const confirm = page.getByRole('dialog', { name: `Delete ${label(old.id)}?` })
    await shootBoth(app, 'gateway-delete-confirm')
    await confirm.getByRole('button', { name: 'Delete certificate' }).click()
    await expect.poll(() => certs().some((c) => c.id === old.id)).toBe(false)
    await expect
      .poll(() =>
        page
          .getByRole('table', { name: /^Gateway certificates/ })
          .getByText(label(old.id))
          .count(),
      )
      .toBe(0)
    await dismissToasts(page)
    await shootBoth(app, 'gateway-after')
  })

  test('a read-only token: creating names the missing permission and creates nothing', async () => {
    const { page } = app
    const readOnly = await app.services.profiles.add({ kind: 'cloudflare', name: 'Read only', token: app.cloudflare.tokens.readOnly })
    await useProfile(app, readOnly.id)
    await page.keyboard.press('Control+3')
    const before = certs().length
    // Bring your own root uploads an account mTLS certificate: disabled, naming what is missing, before any key is generated.
    const byo = page.getByRole('button', { name: 'Bring your own root…' })
    await expect.poll(() => byo.isDisabled()).toBe(true)
    expect(await byo.getAttribute('title')).toMatch(/^Needs Account: SSL and Certificates Write on /)
    expect(await page.getByText(/^Needs Account: SSL and Certificates Write on /).count()).toBe(1)
    await page.getByRole('button', { name: 'Create certificate' }).click()
    await page
      .getByRole('dialog', { name: /^Create a Gateway certificate/ })
      .getByRole('button', { name: 'Create certificate' })
      .click()
    const alert = page.getByRole('alert').filter({ hasText: 'lacks' })
    await expect.poll(() => alert.count()).toBe(1)
    expect(await alert.textContent()).toMatch(/Write/)
    await shootBoth(app, 'gateway-readonly-refused')
    expect(certs().length).toBe(before)
    await page.keyboard.press('Escape')
    await useProfile(app, full.id)
  })

  test('logged no console errors', () => {
    expect(app.consoleErrors).toEqual([])
  })
})
