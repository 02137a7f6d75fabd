/**
 * Client certificates screen against the harness's Sandbox (standing in for api.cloudflare.com):
 * list, filter, search, detail with lint report, revoke, reactivate, bulk revoke through a 429 storm,
 * create from a CSR, hostnames with the replace-all diff, and the bad paths (read-only token, quota).
 * Every outcome is checked in the Sandbox's own state, not just on screen.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Profile } from '../../src/shared/model'
import { startApp, type AppUnderTest } from '../harness/app'
import { opensslCsr } from '../support/cert-factory'
import { axeScan, connectCloudflare, dismissToasts, shootBoth, useProfile } from './support/screens'

describe('client certificates screen', () => {
  let app: AppUnderTest
  let full: Profile
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-e2e-cc-'))
  const sandboxCert = (id: string) => app.cloudflare.snapshot().clientCertificates.find((c) => c.id === id)
  const zoneCerts = (zoneName: string) => {
    const zone = app.cloudflare.zones.find((z) => z.name === zoneName)!
    return app.cloudflare.snapshot().clientCertificates.filter((c) => c.zoneId === zone.id)
  }

  beforeAll(async () => {
    // 36 = the non-revoked demo certificates per zone, so example.net is exactly at its quota.
    app = await startApp({ cloudflare: { limits: { clientCertificatesPerZone: 36 } } })
    full = await connectCloudflare(app, app.cloudflare.tokens.full)
    await app.page.keyboard.press('Control+1')
  })

  afterAll(async () => {
    await app?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  test('lists every certificate of the chosen zone, filters by status and searches', async () => {
    const { page } = app
    const table = page.getByRole('grid', { name: 'Client certificates on example.com' })
    await expect.poll(() => page.getByText('48 certificates').count(), { timeout: 15_000 }).toBe(1)
    expect(await table.getByRole('button', { name: /^device-001\.example\.com/ }).count()).toBe(1)
    // Demo certificates issued with 365 days that are near expiry get a badge; every row shows a status.
    expect(await table.locator('.vt-body .badge').count()).toBeGreaterThan(0)
    await shootBoth(app, 'client-certs-list')
    expect(await axeScan(page)).toEqual([])

    await page.getByLabel('Status').selectOption('revoked')
    await expect.poll(() => page.getByText('Showing 12 of 48 certificates').count()).toBe(1)
    await page.getByLabel('Status').selectOption('all')

    // "/" focuses the search.
    await page.locator('body').click({ position: { x: 5, y: 5 } })
    await page.keyboard.press('/')
    expect(await page.evaluate<string | undefined>('document.activeElement?.id')).toBe('cert-search')
    await page.keyboard.type('device-003')
    await expect.poll(() => page.getByText('Showing 1 of 48 certificates').count()).toBe(1)
    // The SHA-256 as the drawer shows it (AB:CD:…), and as plain upper-case hex copied with Windows' U+200E.
    const sha = zoneCerts('example.com')[5]!.fingerprintSha256.toUpperCase()
    await page.getByLabel('Search').fill(sha.match(/../g)!.join(':'))
    await expect.poll(() => page.getByText('Showing 1 of 48 certificates').count()).toBe(1)
    await page.getByLabel('Search').fill(`\u200e${sha}`)
    await expect.poll(() => page.getByText('Showing 1 of 48 certificates').count()).toBe(1)
    await page.getByLabel('Search').fill('')

    // The zone picker switches to the other zone (and is remembered per profile).
    await page.getByLabel('Zone').selectOption({ label: 'example.net' })
    await expect.poll(() => page.getByRole('grid', { name: 'Client certificates on example.net' }).count()).toBe(1)
    await page.keyboard.press('Control+2')
    await page.keyboard.press('Control+1')
    expect(await page.getByLabel('Zone').locator('option:checked').textContent()).toBe('example.net')
    await page.getByLabel('Zone').selectOption({ label: 'example.com' })
    await expect.poll(() => page.getByText('48 certificates').count()).toBe(1)
  })

  test('the table is one Tab stop with an active row: arrows, Home/End, PageDown, Space, Enter, Delete and "/"', async () => {
    const { page } = app
    const grid = page.getByRole('grid', { name: 'Client certificates on example.com' })
    await expect.poll(() => page.getByText('48 certificates').count(), { timeout: 15_000 }).toBe(1)
    // The active row, as assistive technology sees it: the element aria-activedescendant names.
    const activeRow = () =>
      page.evaluate<{ index: string | null; name: string; selected: string | null } | null>(`(() => {
        const grid = document.querySelector('[role=grid][aria-label="Client certificates on example.com"]')
        const row = grid && document.getElementById(grid.getAttribute('aria-activedescendant') ?? '')
        return row ? { index: row.getAttribute('aria-rowindex'), name: row.querySelector('.cell-button')?.textContent ?? '', selected: row.getAttribute('aria-selected') } : null
      })()`)
    const where = () =>
      page.evaluate<string>(`(() => {
      const el = document.activeElement
      return !el?.closest('[role=grid]') ? 'outside' : el.getAttribute('role') === 'grid' ? 'grid' : el.closest('.vt-body') ? 'row' : 'header'
    })()`)

    // Tab from the search reaches the grid; Tabs after it pass the column headers' controls
    // (select all, sort) and leave the grid without ever stopping in a row.
    await page.getByLabel('Search').focus()
    let stops = 0
    while ((await where()) !== 'grid' && stops < 20) {
      await page.keyboard.press('Tab')
      stops++
    }
    expect(stops).toBeLessThan(20)
    const visited: string[] = []
    for (let i = 0; i < 10 && (await where()) !== 'outside'; i++) {
      await page.keyboard.press('Tab')
      visited.push(await where())
    }
    expect(visited.at(-1)).toBe('outside')
    expect(visited).not.toContain('row')
    await grid.focus()

    expect((await activeRow())?.index).toBe('2')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    expect((await activeRow())?.index).toBe('4')
    await page.keyboard.press('ArrowUp')
    expect((await activeRow())?.index).toBe('3')
    await page.keyboard.press('End')
    // The last row scrolled into view and is the active one.
    await expect.poll(async () => (await activeRow())?.index).toBe('49')
    await page.keyboard.press('Home')
    await expect.poll(async () => (await activeRow())?.index).toBe('2')
    await page.keyboard.press('PageDown')
    expect(Number((await activeRow())?.index)).toBeGreaterThan(5)
    await page.keyboard.press('Home')
    await expect.poll(async () => (await activeRow())?.index).toBe('2')

    // Space selects the active row; Enter opens its drawer.
    const first = (await activeRow())!
    await page.keyboard.press('Space')
    await expect.poll(async () => (await activeRow())?.selected).toBe('true')
    expect(await page.getByRole('checkbox', { name: `Select ${first.name}` }).isChecked()).toBe(true)
    await page.keyboard.press('Enter')
    const drawer = page.getByRole('complementary', { name: first.name })
    await expect.poll(() => drawer.count()).toBe(1)
    await page.keyboard.press('Escape')
    await expect.poll(() => drawer.count()).toBe(0)
    await shootBoth(app, 'client-certs-keyboard')
    expect(await axeScan(page)).toEqual([])

    // With a row's checkbox focused (clicked), "/" still goes to the search and Delete still revokes.
    const checkbox = page.getByRole('checkbox', { name: `Select ${first.name}` })
    await checkbox.focus()
    await page.keyboard.press('/')
    expect(await page.evaluate<string | undefined>('document.activeElement?.id')).toBe('cert-search')
    await checkbox.focus()
    await page.keyboard.press('Delete')
    const dialog = page.locator('dialog[open]')
    await expect.poll(() => dialog.count()).toBe(1)
    expect(await dialog.textContent()).toContain(first.name)
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await expect.poll(() => dialog.count()).toBe(0)
    await checkbox.uncheck()
  })

  test('opens the detail drawer with the lint report, and revokes after a confirmation naming the certificate', async () => {
    const { page } = app
    const active = zoneCerts('example.com').find((c) => c.status === 'active')!
    await page.getByLabel('Search').fill(active.commonName)
    await page.getByRole('button', { name: active.commonName, exact: true }).click()
    const drawer = page.getByRole('complementary', { name: active.commonName })
    await expect.poll(() => drawer.getByRole('region', { name: 'Lint report (client profile)' }).count()).toBe(1)
    expect(await drawer.getByRole('table', { name: 'Extensions' }).textContent()).toContain('Key Usage')
    expect(await drawer.textContent()).toContain(active.serialNumber)
    await shootBoth(app, 'client-certs-detail')
    expect(await axeScan(page)).toEqual([])

    await drawer.getByRole('button', { name: 'Revoke' }).click()
    const dialog = page.getByRole('dialog', { name: `Revoke ${active.commonName}?` })
    expect(await dialog.textContent()).toContain(active.serialNumber)
    await shootBoth(app, 'client-certs-revoke-confirm')
    await dialog.getByRole('button', { name: 'Revoke certificate' }).click()
    await expect
      .poll(() =>
        page
          .getByRole('status')
          .filter({ hasText: `Revoked ${active.commonName}` })
          .count(),
      )
      .toBe(1)
    // Cloudflare really has it pending revocation (or already revoked: the harness settles after 500 ms).
    expect(['pending_revocation', 'revoked']).toContain(sandboxCert(active.id)?.status)
    expect(await drawer.getByText('pending revocation').first().count()).toBe(1)
    // Cloudflare settles it (the harness after 500 ms, seen at the next request): the screen follows
    // without a Refresh, as it polls while anything is pending.
    await expect.poll(() => drawer.locator('dd', { hasText: /^revoked$/ }).count(), { timeout: 20_000 }).toBe(1)
    await page.keyboard.press('Escape')
    await expect.poll(() => drawer.count()).toBe(0)
    await dismissToasts(page)
  })

  test('reactivates a certificate pending revocation', async () => {
    const { page } = app
    const pending = zoneCerts('example.com').find((c) => c.status === 'pending_revocation' && c.settlesAt === null)!
    await page.getByLabel('Search').fill(pending.commonName)
    await page.getByRole('button', { name: pending.commonName, exact: true }).click()
    const drawer = page.getByRole('complementary', { name: pending.commonName })
    await drawer.getByRole('button', { name: 'Reactivate' }).click()
    await page
      .getByRole('dialog', { name: `Reactivate ${pending.commonName}?` })
      .getByRole('button', { name: 'Reactivate certificate' })
      .click()
    await expect.poll(() => sandboxCert(pending.id)?.status).toMatch(/pending_reactivation|active/)
    await expect.poll(() => page.locator('dialog[open]').count()).toBe(0)
    await page.keyboard.press('Escape')
    await expect.poll(() => drawer.count()).toBe(0)
    await page.getByLabel('Search').fill('')
    await dismissToasts(page)
  })

  test('a revoked certificate says why it offers no Reactivate, and what to do instead', async () => {
    const { page } = app
    const revoked = zoneCerts('example.com').find((c) => c.status === 'revoked')!
    await page.getByLabel('Search').fill(revoked.commonName)
    await page.getByRole('button', { name: revoked.commonName, exact: true }).click()
    const drawer = page.getByRole('complementary', { name: revoked.commonName })
    await expect.poll(() => drawer.getByRole('note').count()).toBe(1)
    const note = (await drawer.getByRole('note').textContent()) ?? ''
    expect(note).toContain('only while it is still pending revocation')
    expect(note).toContain('issue a new certificate')
    expect(await drawer.getByRole('button', { name: 'Reactivate' }).count()).toBe(0)
    await page.keyboard.press('Escape')
    await expect.poll(() => drawer.count()).toBe(0)
    await page.getByLabel('Search').fill('')
  })

  test('bulk-revokes the selection with Delete through a storm of 429s: completes, with progress and retries reported', async () => {
    const { page } = app
    await page.getByLabel('Status').selectOption('active')
    const ids = zoneCerts('example.com')
      .filter((c) => c.status === 'active')
      .map((c) => c.id)
    expect(ids.length).toBeGreaterThan(5)
    await expect.poll(() => page.getByText(`Showing ${ids.length} of 48 certificates`).count()).toBe(1)
    await page.getByRole('checkbox', { name: 'Select every certificate shown' }).check()
    await expect.poll(() => page.getByRole('button', { name: `Revoke selected (${ids.length})` }).count()).toBe(1)
    await page.getByRole('grid', { name: 'Client certificates on example.com' }).focus()
    await page.keyboard.press('Delete')
    const dialog = page.getByRole('dialog', { name: `Revoke ${ids.length} certificates?` })
    await expect.poll(() => dialog.count()).toBe(1)
    await shootBoth(app, 'client-certs-bulk-confirm')

    app.cloudflare.faults.set('429@after=0,count=20,retry-after=1')
    const started = Date.now()
    await dialog.getByRole('button', { name: `Revoke ${ids.length} certificates` }).click()
    const finished = page.getByRole('dialog', { name: 'Bulk revocation finished' })
    await expect.poll(() => page.getByRole('group', { name: `Revoking ${ids.length} certificates` }).count()).toBe(1)
    await shootBoth(app, 'client-certs-bulk-progress')
    await expect.poll(() => finished.count(), { timeout: 45_000 }).toBe(1)
    const elapsed = Date.now() - started
    const text = (await finished.textContent()) ?? ''
    expect(text).toContain(`Revoked ${ids.length} of ${ids.length}`)
    expect(text).toMatch(/repeated/)
    expect(app.cloudflare.faults.stats().rateLimited).toBe(20)
    for (const id of ids) expect(['pending_revocation', 'revoked']).toContain(sandboxCert(id)?.status)
    await shootBoth(app, 'client-certs-bulk-done')
    console.log(`bulk revoke of ${ids.length} through 20 x 429: ${elapsed} ms`)
    app.cloudflare.faults.clear()
    await finished.getByRole('button', { name: 'Close' }).click()
    await expect.poll(() => page.locator('dialog[open]').count()).toBe(0)
    await page.getByLabel('Status').selectOption('all')
    await dismissToasts(page)
  })

  test('creates a certificate from a CSR with a chosen validity', async () => {
    const { page } = app
    const csr = opensslCsr(join(dir, 'r.csr'), join(dir, 'k.pem'), '/CN=e2e-created.example.com/O=Certdesk')
    await page.getByRole('button', { name: 'Create', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'Create a client certificate on example.com' })
    await dialog.getByLabel('Certificate signing request (PEM)').fill(csr)
    await dialog.getByLabel('Validity').selectOption('2')
    await shootBoth(app, 'client-certs-create')
    expect(await axeScan(page)).toEqual([])
    await dialog.getByRole('button', { name: 'Create certificate' }).click()
    const issued = page.getByRole('dialog', { name: 'Issued e2e-created.example.com' })
    await expect.poll(() => issued.count()).toBe(1)
    expect(await issued.getByLabel('Certificate (PEM)').inputValue()).toContain('BEGIN CERTIFICATE')
    const created = zoneCerts('example.com').find((c) => c.commonName === 'e2e-created.example.com')
    expect(created?.validityDays).toBe(730)
    await issued.getByRole('button', { name: 'Done' }).click()
    await expect.poll(() => page.getByText('49 certificates').count()).toBe(1)
    await dismissToasts(page)
  })

  test('a zone at its quota: the create shows the quota message and the hint, and nothing is issued', async () => {
    const { page } = app
    const before = zoneCerts('example.net').length
    await page.getByLabel('Zone').selectOption({ label: 'example.net' })
    await page.getByRole('button', { name: 'Create', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'Create a client certificate on example.net' })
    await dialog.getByLabel('Certificate signing request (PEM)').fill(readFileSync(join(dir, 'r.csr'), 'utf8'))
    await dialog.getByRole('button', { name: 'Create certificate' }).click()
    const alert = dialog.getByRole('alert')
    await expect.poll(() => alert.textContent()).toContain('quota of client certificates')
    expect(await alert.textContent()).toContain('revoking frees a slot')
    await shootBoth(app, 'client-certs-quota')
    expect(zoneCerts('example.net').length).toBe(before)
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await page.getByLabel('Zone').selectOption({ label: 'example.com' })
  })

  test('cancels a bulk revocation midway: the rest stay as they were, and the outcome says so', async () => {
    const { page } = app
    await page.getByLabel('Zone').selectOption({ label: 'example.net' })
    await page.getByLabel('Status').selectOption('active')
    const ids = zoneCerts('example.net')
      .filter((c) => c.status === 'active')
      .map((c) => c.id)
    await expect.poll(() => page.getByText(`Showing ${ids.length} of 48 certificates`).count()).toBe(1)
    await page.getByRole('checkbox', { name: 'Select every certificate shown' }).check()
    await page.getByRole('button', { name: `Revoke selected (${ids.length})` }).click()
    // Slow answers, so there is time to cancel.
    app.cloudflare.faults.set({ latencyMs: 400 })
    await page
      .getByRole('dialog', { name: `Revoke ${ids.length} certificates?` })
      .getByRole('button', { name: `Revoke ${ids.length} certificates` })
      .click()
    await page.getByRole('button', { name: `Cancel: Revoking ${ids.length} certificates` }).click()
    const finished = page.getByRole('dialog', { name: 'Bulk revocation finished' })
    await expect.poll(() => finished.count(), { timeout: 20_000 }).toBe(1)
    app.cloudflare.faults.clear()
    // The requests in flight when cancelled went through: the dialog counts them, as Cloudflare has them.
    const untouched = ids.filter((id) => sandboxCert(id)?.status === 'active')
    const revoked = ids.filter((id) => !untouched.includes(id))
    expect(untouched.length).toBeGreaterThan(0)
    expect(revoked.length).toBeGreaterThan(0)
    const text = (await finished.textContent()) ?? ''
    expect(text).toContain(`Revoked ${revoked.length} of ${ids.length} — cancelled. ${untouched.length} were not revoked`)
    await shootBoth(app, 'client-certs-bulk-cancelled')
    await finished.getByRole('button', { name: 'Close' }).click()
    await expect.poll(() => page.locator('dialog[open]').count()).toBe(0)
    // The list, refreshed on close, shows exactly what Cloudflare has.
    await expect.poll(() => page.getByText(`Showing ${untouched.length} of 48 certificates`).count()).toBe(1)
    // Each certificate's drawer has its own history entry: revoked, or not sent.
    await page.getByLabel('Status').selectOption('all')
    for (const [id, expected] of [
      [revoked[0]!, /Revoked client certificate by/],
      [untouched[0]!, /not sent \(cancelled\)/],
    ] as const) {
      const cn = sandboxCert(id)!.commonName
      await page.getByLabel('Search').fill(cn)
      await page.getByRole('button', { name: cn, exact: true }).click()
      const history = page.getByRole('complementary', { name: cn }).getByRole('list', { name: 'Status history' })
      await expect.poll(() => history.textContent()).toMatch(expected)
      await page.keyboard.press('Escape')
    }
    await page.getByLabel('Search').fill('')
    await page.getByLabel('Status').selectOption('all')
    await page.getByLabel('Zone').selectOption({ label: 'example.com' })
    await dismissToasts(page)
  })

  test('edits the mTLS hostnames: shows added, removed and kept first, then replaces the list', async () => {
    const { page } = app
    const zone = app.cloudflare.zones.find((z) => z.name === 'example.com')!
    await page.getByRole('tab', { name: 'Hostnames' }).click()
    const list = page.getByLabel('Hostnames, one per line')
    await expect.poll(() => list.inputValue()).toBe('api.example.com\ndevices.example.com')
    // The account lists one "Gateway CA - Cloudflare Managed" per Gateway certificate; the picker shows it once.
    const managed = app.cloudflare.snapshot().gatewayCertificates.filter((g) => g.type === 'gateway_managed')
    expect(managed.length).toBeGreaterThan(1)
    const picker = page.getByLabel('Certificate authority')
    await expect.poll(() => picker.locator('option', { hasText: 'Gateway CA - Cloudflare Managed' }).count()).toBe(1)
    expect(await picker.locator('option', { hasText: 'Gateway CA - Cloudflare Managed' }).textContent()).toContain('(Cloudflare managed)')
    await list.fill('api.example.com\nshop.example.com')
    await page.getByRole('button', { name: 'Review changes' }).click()
    const dialog = page.getByRole('dialog', { name: 'Replace the hostnames on example.com?' })
    expect(await dialog.getByRole('region', { name: 'Added (1)' }).textContent()).toContain('shop.example.com')
    expect(await dialog.getByRole('region', { name: 'Removed (1)' }).textContent()).toContain('devices.example.com')
    expect(await dialog.getByRole('region', { name: 'Kept (1)' }).textContent()).toContain('api.example.com')
    await shootBoth(app, 'client-certs-hostnames-diff')
    expect(await axeScan(page)).toEqual([])
    await dialog.getByRole('button', { name: 'Replace hostnames' }).click()
    await expect
      .poll(() =>
        app.cloudflare
          .snapshot()
          .hostnameAssociations.find((h) => h.zoneId === zone.id && h.mtlsCertificateId === null)
          ?.hostnames.slice()
          .sort(),
      )
      .toEqual(['api.example.com', 'shop.example.com'])
    await dismissToasts(page)
    await shootBoth(app, 'client-certs-hostnames')
    await page.getByRole('tab', { name: 'Certificates' }).click()
  })

  test('a read-only token: Create and Revoke are disabled with the missing permission named, before any key is made', async () => {
    const { page } = app
    const readOnly = await app.services.profiles.add({ kind: 'cloudflare', name: 'Read only', token: app.cloudflare.tokens.readOnly })
    expect(readOnly.missingPermissions).toContain('SSL and Certificates Write')
    await useProfile(app, readOnly.id)
    await page.keyboard.press('Control+1')
    const keysBefore = (await app.services.vault.list()).length
    const active = zoneCerts('example.com').find((c) => c.status === 'active' || c.status === 'pending_reactivation')!
    await expect.poll(() => page.getByText(/^\d+ certificates$/).count(), { timeout: 15_000 }).toBe(1)
    const needs = 'Needs SSL and Certificates Write on example.com'
    for (const name of ['Create with a new key', 'Create', 'Revoke selected']) {
      const button = page.getByRole('button', { name, exact: true })
      expect(await button.isDisabled(), name).toBe(true)
      expect(await button.getAttribute('title'), name).toBe(needs)
    }
    expect(await page.getByText(needs, { exact: true }).count()).toBeGreaterThan(0)
    await page.getByLabel('Search').fill(active.commonName)
    await page.getByRole('button', { name: active.commonName, exact: true }).click()
    const drawer = page.getByRole('complementary', { name: active.commonName })
    expect(await drawer.getByRole('button', { name: 'Revoke' }).isDisabled()).toBe(true)
    expect(await drawer.getByText(needs, { exact: true }).count()).toBe(1)
    await shootBoth(app, 'client-certs-readonly')
    expect(sandboxCert(active.id)?.status).toBe(active.status)
    expect((await app.services.vault.list()).length).toBe(keysBefore)
    await page.keyboard.press('Escape')
    await useProfile(app, full.id)
  })

  test('logged no console errors', () => {
    expect(app.consoleErrors).toEqual([])
  })
})
