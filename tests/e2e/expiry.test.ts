/**
 * Issue #16 in the browser: the Expiry radar screen over the harness's Sandbox (the demo account), its clock and the
 * radar's set to a fixed instant 200 days after the Sandbox seeded it, so some demo client certificates have expired, some are within the
 * 30-day window and the rest are later. The chart's bars match the list (each bar's count is the rows its click lists,
 * and the client certificates per week match the Sandbox's own dates, binned here as a referee); a bar filters by click
 * and by keyboard; Renew on a client certificate reissues it from a CSR and, once the new one is confirmed in use,
 * revokes the old one at the Sandbox; Renew on a local CA re-issues it with the same key (openssl verifies what it
 * issued against the new certificate) or makes a new root with the plan; the sidebar shows the count. Screenshots in
 * both themes at 1024×700 and 1280.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Locator } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Profile } from '../../src/shared/model'
import { startApp, type AppUnderTest } from '../harness/app'
import { makeCsr } from '../support/csr'
import { axeScan, connectCloudflare, dismissToasts, shootBoth, toDocs } from './support/screens'

const DAY = 86_400_000
const WEEK = 7 * DAY

/** Main's rule, restated as the referee: expired at or before now, week i holds (now + i weeks, now + i + 1 weeks]. */
const bucketOf = (t: number, now: number): 'expired' | 'later' | number => {
  if (t <= now) return 'expired'
  const week = Math.ceil((t - now) / WEEK) - 1
  return week >= 52 ? 'later' : week
}

/** An attribute of every element a locator finds. */
async function attributes(locator: Locator, name: string): Promise<string[]> {
  return Promise.all((await locator.all()).map(async (l) => (await l.getAttribute(name)) ?? ''))
}

/** "Week of 7 Dec: 3 items (Client certificate: 2, AOP certificate: 1)" → 3 and the client certificates (2). */
function parseBar(label: string): { total: number; clients: number } {
  const total = Number(/: ([\d,]+) items?/.exec(label)?.[1]?.replace(/,/g, '') ?? NaN)
  const clients = Number(/Client certificate: ([\d,]+)/.exec(label)?.[1]?.replace(/,/g, '') ?? 0)
  return { total, clients }
}

describe('the Expiry radar (Sandbox, judged at a fixed instant)', () => {
  let app: AppUnderTest
  let profile: Profile
  let now = 0

  beforeAll(async () => {
    app = await startApp()
    profile = await connectCloudflare(app, app.cloudflare.tokens.full)
    // The Sandbox's clock, fixed 200 days on from its seed (on a whole minute), and the radar judged by it.
    now = Math.floor((Date.now() + 200 * DAY) / 60_000) * 60_000
    app.cloudflare.clock.set(now)
    Object.assign(app.services.expiry, { now: () => now })
    // A local CA in the vault that expires within the window.
    await app.services.keys.newRoot({ cn: 'Radar Test Root', keyType: 'ec-p256', days: 220, permittedDns: [] })
    await app.page.keyboard.press('Control+9')
    await app.page.getByRole('heading', { name: 'Expiry radar', exact: true }).waitFor()
    await app.page.getByRole('button', { name: 'Refresh all' }).click()
    await app.page.waitForSelector('.screen-header button:text-is("Refresh"):enabled', { timeout: 30_000 })
  })

  afterAll(async () => {
    await app?.close()
  })

  const bars = () => app.page.getByRole('toolbar', { name: 'Weeks (choose one to list its items)' }).getByRole('button')
  const listCount = () => app.page.getByRole('region', { name: 'Items', exact: true }).locator('.panel-header .muted').textContent()

  test('the bars match the list, and the client certificates per week match the Sandbox’s dates', async () => {
    const { page } = app
    expect(await bars().count()).toBe(53)
    const labels = await attributes(bars(), 'aria-label')
    const parsed = labels.map(parseBar)

    // The referee: the Sandbox's active client certificates of this profile, binned here by their expiry.
    const expected = new Map<string, number>()
    for (const c of app.cloudflare.snapshot().clientCertificates) {
      if (c.status !== 'active' || !profile.zones.some((z) => z.id === c.zoneId)) continue
      const b = String(bucketOf(Date.parse(c.expiresOn), now))
      expected.set(b, (expected.get(b) ?? 0) + 1)
    }
    const buckets = ['expired', ...Array.from({ length: 52 }, (_, i) => String(i))]
    expect(parsed.map((p, i) => [buckets[i], p.clients])).toEqual(buckets.map((b) => [b, expected.get(b) ?? 0]))
    // The seed gives this instant expired ones, some within 30 days, and more later.
    expect(expected.get('expired')).toBeGreaterThan(0)
    expect(parsed.slice(1, 6).some((p) => p.clients > 0)).toBe(true)

    // Every bar with items lists exactly its count when clicked, and shows all again when clicked twice.
    const [later, all] = (/([\d,]+) later · ([\d,]+) in all/.exec((await page.locator('.radar-totals .muted').textContent()) ?? '') ?? [])
      .slice(1)
      .map((n) => Number(n.replace(/,/g, '')))
    // Every item is in one bar or later.
    expect(parsed.reduce((n, p) => n + p.total, 0) + later!).toBe(all)
    for (const [i, p] of parsed.entries()) {
      if (p.total === 0) continue
      await bars().nth(i).click()
      await expect.poll(listCount).toBe(p.total === all ? `${all} items` : `Showing ${p.total} of ${all} items`)
      await expect.poll(() => bars().nth(i).getAttribute('aria-pressed')).toBe('true')
      // The rows shown are that bar's: each row's expiry falls in its week.
      const dates = await attributes(page.locator('.radar-row:not(.placeholder)'), 'data-not-after')
      expect(dates.length).toBeLessThanOrEqual(p.total)
      expect(dates.length).toBeGreaterThan(0)
      for (const d of dates) expect(String(bucketOf(Date.parse(d), now))).toBe(buckets[i])
      await bars().nth(i).click()
      await expect.poll(listCount).toBe(`${all} items`)
    }
  })

  test('keyboard: one Tab stop on the bars, arrows move, Enter filters and Enter again shows all', async () => {
    const { page } = app
    await bars().first().focus()
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => page.evaluate(`document.activeElement?.getAttribute('aria-label') ?? ''`)).toMatch(/^This week/)
    const total = parseBar((await bars().nth(1).getAttribute('aria-label')) ?? '').total
    await page.keyboard.press('Enter')
    await expect.poll(() => bars().nth(1).getAttribute('aria-pressed')).toBe('true')
    await expect.poll(listCount).toContain(`Showing ${total} of`)
    expect((await attributes(bars(), 'tabindex')).filter((t) => t === '0')).toHaveLength(1)
    await page.keyboard.press('Enter')
    await expect.poll(() => bars().nth(1).getAttribute('aria-pressed')).toBe('false')
    // The same filter from the Week list.
    await page.getByLabel('Week', { exact: true }).selectOption({ label: 'Expired' })
    const expired = parseBar((await bars().first().getAttribute('aria-label')) ?? '').total
    await expect.poll(listCount).toContain(`Showing ${expired} of`)
    await expect.poll(() => bars().first().getAttribute('aria-pressed')).toBe('true')
    await page.getByRole('button', { name: 'Show all' }).click()
  })

  test('the sidebar counts what expired and what expires within the window', async () => {
    const count = await app.services.expiry.count()
    expect(count.expired).toBeGreaterThan(0)
    const badge = app.page.getByRole('navigation', { name: 'Screens' }).locator('.nav-count')
    await app.page.reload()
    await expect.poll(() => badge.textContent()).toBe(String(count.expired + count.expiring))
    expect(await badge.getAttribute('aria-label')).toBe(`${count.expired} expired, ${count.expiring} expiring soon`)
    await app.page.keyboard.press('Control+9')
    await app.page.getByRole('heading', { name: 'Expiry radar', exact: true }).waitFor()
  })

  test('Renew a client certificate: reissued from a CSR, then the old one revoked once the new one is in use', async () => {
    const { page } = app
    await page.getByLabel('Week', { exact: true }).selectOption({ label: 'Expired' })
    await page.getByLabel('Surface', { exact: true }).selectOption({ label: 'Client certificate' })
    const row = page.locator('.radar-row:not(.placeholder)').first()
    await row.waitFor()
    const key = (await row.getAttribute('data-key')) ?? ''
    const oldId = key.split(':').at(-1)!
    const old = app.cloudflare.snapshot().clientCertificates.find((c) => c.id === oldId)!
    expect(old.status).toBe('active')
    const zone = profile.zones.find((z) => z.id === old.zoneId)!
    const before = app.cloudflare.snapshot().clientCertificates.filter((c) => c.zoneId === zone.id).length

    await row.getByRole('button', { name: `Renew ${old.commonName}` }).click()
    const choose = page.getByRole('dialog', { name: `Reissue ${old.commonName}` })
    expect(await choose.textContent()).toContain('its key is not in this vault')
    await choose.getByRole('button', { name: 'Continue with its CSR' }).click()
    const create = page.getByRole('dialog', { name: `Create a client certificate on ${zone.name}` })
    await create.getByLabel('Certificate signing request (PEM)').fill((await makeCsr(old.commonName)).pem)
    await create.getByRole('button', { name: 'Create certificate' }).click()
    await page
      .getByRole('dialog', { name: `Issued ${old.commonName}` })
      .getByRole('button', { name: 'Done' })
      .click()
    await expect.poll(() => app.cloudflare.snapshot().clientCertificates.filter((c) => c.zoneId === zone.id).length).toBe(before + 1)

    // Revoking waits for the user to say the new one is in use.
    const offer = page.getByRole('dialog', { name: `Reissued ${old.commonName}: revoke the old one?` })
    const revoke = offer.getByRole('button', { name: 'Revoke the old certificate…' })
    expect(await revoke.isDisabled()).toBe(true)
    await offer.getByLabel('The new certificate is installed and in use').check()
    await revoke.click()
    await page
      .getByRole('dialog', { name: `Revoke ${old.commonName}?` })
      .getByRole('button', { name: 'Revoke certificate' })
      .click()
    await expect.poll(() => app.cloudflare.snapshot().clientCertificates.find((c) => c.id === oldId)?.status).not.toBe('active')
    await expect.poll(() => offer.getByRole('status').filter({ hasText: 'The old certificate is being revoked' }).count()).toBe(1)
    await offer.getByRole('button', { name: 'Done' }).click()
    await page.getByRole('button', { name: 'Show all' }).click()
  })

  test('Renew a client certificate whose key is in the vault: same key, linked; revoking the old one leaves the new active', async () => {
    const { page } = app
    const zone = profile.zones[0]!
    const { key } = await app.services.keys.newCsr({ keyType: 'ec-p256', subject: { cn: 'radar-vault-kiosk' }, sans: [] })
    const first = await app.services.keys.issueForKey({ profileId: profile.id, zoneId: zone.id, keyId: key.id, validityDays: 30 })
    const oldId = first.certificate.id
    await page.getByRole('button', { name: 'Refresh all' }).click()
    await page.waitForSelector('.screen-header button:text-is("Refresh"):enabled', { timeout: 30_000 })
    await page.getByLabel('Surface', { exact: true }).selectOption({ label: 'Client certificate' })
    await page.getByLabel('Search', { exact: true }).fill('radar-vault-kiosk')
    const row = page.locator(`.radar-row[data-key$="${oldId}"]`)
    await row.getByRole('button', { name: 'Renew radar-vault-kiosk' }).click()
    const choose = page.getByRole('dialog', { name: 'Reissue radar-vault-kiosk' })
    // The dialog reads the vault's keys as it opens: the same-key choice names the key once they are in.
    await choose.getByText(/its CSR is in the vault: “radar-vault-kiosk”/).waitFor()
    await choose.getByRole('button', { name: 'Reissue with the same key' }).click()
    const offer = page.getByRole('dialog', { name: 'Reissued radar-vault-kiosk: revoke the old one?' })
    await offer.getByRole('status').filter({ hasText: 'Issued the new certificate' }).waitFor()
    const linked = app.services.vault.get(key.id).certificate!
    expect(linked.cloudflareId).not.toBe(oldId)
    await offer.getByLabel('The new certificate is installed and in use').check()
    await offer.getByRole('button', { name: 'Revoke the old certificate…' }).click()
    await page.getByRole('dialog', { name: 'Revoke radar-vault-kiosk?' }).getByRole('button', { name: 'Revoke certificate' }).click()
    const status = (id: string) => app.cloudflare.snapshot().clientCertificates.find((c) => c.id === id)?.status
    await expect.poll(() => status(oldId)).not.toBe('active')
    expect(status(linked.cloudflareId!)).toBe('active')
    expect(app.services.vault.get(key.id).certificate?.cloudflareId).toBe(linked.cloudflareId)
    await offer.getByRole('button', { name: 'Done' }).click()
    await page.getByLabel('Search', { exact: true }).fill('')
  })

  test('Renew with a new key opens the create wizard for the zone', async () => {
    const { page } = app
    await page.getByLabel('Surface', { exact: true }).selectOption({ label: 'Client certificate' })
    const row = page.locator('.radar-row:not(.placeholder)').first()
    await row.waitFor()
    const name = (await row.locator('.radar-name').textContent()) ?? ''
    await row.getByRole('button', { name: `Renew ${name}` }).click()
    const choose = page.getByRole('dialog', { name: `Reissue ${name}` })
    await choose.getByLabel(/A new key/).check()
    await choose.getByRole('button', { name: 'Continue with a new key' }).click()
    const wizard = page.getByRole('dialog', { name: /^Create a client certificate on / })
    await wizard.waitFor()
    expect(await wizard.getByLabel('Private key type').count()).toBe(1)
    await wizard.getByRole('button', { name: 'Cancel' }).click()
    await page
      .getByRole('dialog', { name: /revoke the old one\?$/ })
      .getByRole('button', { name: 'Keep the old one for now' })
      .click()
    await page.getByRole('button', { name: 'Show all' }).click()
  })

  test('Renew a local CA → same key: its certificate re-issued, what it issued still verifies (openssl -x509_strict)', async () => {
    const { page } = app
    const root = app.services.vault.list().find((e) => e.label === 'Root Radar Test Root')!
    const leaf = await app.services.keys.newAopCertificate({ caKeyId: root.id, cn: 'radar-device', keyType: 'ec-p256', days: 30 })
    await page.getByLabel('Surface', { exact: true }).selectOption({ label: 'Local CA' })
    const row = page.locator('.radar-row:not(.placeholder)').filter({ hasText: 'Radar Test Root' })
    await row.getByRole('button', { name: /^Renew / }).click()
    const dialog = page.getByRole('dialog', { name: /^Renew the local CA / })
    expect(await dialog.getByRole('radio', { name: /^Same key \(issued certificates stay valid\)/ }).isChecked()).toBe(true)
    await dialog.getByLabel('Valid for (days)').fill('3650')
    await dismissToasts(page)
    await page.setViewportSize({ width: 1024, height: 700 })
    await shootBoth(app, 'expiry-renew-ca-same-key-1024')
    expect(await axeScan(page)).toEqual([])
    await dialog.getByRole('button', { name: 'Re-issue with the same key' }).click()
    await dialog
      .getByRole('status')
      .filter({ hasText: /Re-issued the CA certificate of “Root Radar Test Root” with the same key/ })
      .waitFor()
    const renewed = app.services.vault.get(root.id).certificate!
    expect(renewed.sha256).not.toBe(root.certificate!.sha256)
    const dir = mkdtempSync(join(tmpdir(), 'certdesk-e2e-reissue-'))
    writeFileSync(join(dir, 'ca.pem'), renewed.pem)
    writeFileSync(join(dir, 'leaf.pem'), leaf.certificatePem)
    const args = ['verify', '-x509_strict', '-CAfile', join(dir, 'ca.pem'), join(dir, 'leaf.pem')]
    expect(execFileSync('openssl', args, { encoding: 'utf8' })).toMatch(/: OK/)
    expect(
      execFileSync('openssl', ['x509', '-in', join(dir, 'ca.pem'), '-noout', '-checkend', String(3000 * 86_400)], { encoding: 'utf8' }),
    ).toMatch(/will not expire/)
    await dialog.getByRole('button', { name: 'Done' }).click()
    await page.getByRole('button', { name: 'Show all' }).click()
  })

  test('Renew a local CA: a new root made here, with the plan to move to it', async () => {
    const { page } = app
    await page.getByLabel('Surface', { exact: true }).selectOption({ label: 'Local CA' })
    const row = page.locator('.radar-row:not(.placeholder)').filter({ hasText: 'Radar Test Root' })
    await row.getByRole('button', { name: /^Renew / }).click()
    const dialog = page.getByRole('dialog', { name: /^Renew the local CA / })
    await dialog.getByRole('radio', { name: /^A new key, with a plan/ }).check()
    expect(await dialog.getByRole('listitem').count()).toBe(4)
    expect(await dialog.getByLabel('Common name (CN)').inputValue()).toContain('Radar Test Root')
    const before = (await app.services.vault.list()).length
    await dialog.getByRole('button', { name: 'Generate root' }).click()
    await expect.poll(async () => (await app.services.vault.list()).length, { timeout: 20_000 }).toBe(before + 1)
    await dialog.getByRole('button', { name: 'Done' }).click()
    await page.getByRole('button', { name: 'Show all' }).click()
  })

  test('screenshots in both themes at 1024×700 and 1280 wide; no serious accessibility finding', async () => {
    const { page } = app
    await dismissToasts(page)
    await page.evaluate(`document.querySelector('.content').scrollTo(0, 0)`)
    await page.setViewportSize({ width: 1024, height: 700 })
    // The window's label stands above the bars, never behind them: its box ends where the plot begins.
    const overlap = await page.evaluate<number>(
      `document.querySelector('.radar-tick.window').getBBox().y + document.querySelector('.radar-tick.window').getBBox().height -
        Number(document.querySelector('.radar-band.window').getAttribute('y'))`,
    )
    expect(overlap).toBeLessThanOrEqual(0)
    await shootBoth(app, 'expiry-radar-1024')
    await page.setViewportSize({ width: 1280, height: 820 })
    await shootBoth(app, 'expiry-radar-1280')
    toDocs('expiry-radar-1280-dark.png', 'expiry-radar.png')
    await page.getByRole('button', { name: /^This week/ }).click()
    await shootBoth(app, 'expiry-radar-week-1280')
    expect(await axeScan(page)).toEqual([])
    expect(app.consoleErrors).toEqual([])
  })
})
