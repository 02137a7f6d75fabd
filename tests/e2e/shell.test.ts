import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { tokenAccount } from '../../src/main/profiles/profile-service'
import { SCREENS } from '../../src/renderer/src/store/ui'
import { startApp, type AppUnderTest } from '../harness/app'
import { useProfile } from './support/screens'

describe.each(['light', 'dark'] as const)('app shell in Chromium (%s)', (colorScheme) => {
  let app: AppUnderTest

  beforeAll(async () => {
    app = await startApp({ colorScheme })
  })

  afterAll(async () => {
    await app?.close()
  })

  test('serves the page with the strict Content-Security-Policy', async () => {
    const response = await app.page.request.get(app.bridge.url)
    const csp = response.headers()['content-security-policy'] ?? ''
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain('unsafe-eval')
    expect(csp).not.toContain('unsafe-inline')
  })

  test('opens every screen from the sidebar and saves a screenshot of each', async () => {
    const { page } = app
    for (const screen of SCREENS) {
      await page
        .getByRole('navigation', { name: 'Screens' })
        .getByRole('button', { name: new RegExp(`^${screen.label}`) })
        .click()
      await expect.poll(() => page.locator('#screen-title').textContent()).toBe(screen.label)
      const current = page.locator('.nav-item[aria-current="page"]')
      expect(await current.textContent()).toContain(screen.label)
      await app.screenshot(`${screen.id}-${colorScheme}`)
    }
  })

  test('switches screens with the keyboard', async () => {
    const { page } = app
    await page.keyboard.press('Control+6')
    await expect.poll(() => page.locator('#screen-title').textContent()).toBe('Activity')
    await page.keyboard.press('Control+1')
    await expect.poll(() => page.locator('#screen-title').textContent()).toBe('Client certificates')
  })

  test('follows the chosen colour scheme', async () => {
    const background = await app.page.evaluate('getComputedStyle(document.body).backgroundColor')
    // light: #f6f7f9, dark: #0f1115
    expect(background).toBe(colorScheme === 'light' ? 'rgb(246, 247, 249)' : 'rgb(15, 17, 21)')
  })

  test('round-trips a profile through the real handlers, storage and keychain', async () => {
    const { page, services } = app
    const TOKEN = app.cloudflare.tokens.full
    await page.keyboard.press('Control+7')
    await page.getByLabel('Profile name').fill('Production')
    await page.getByLabel('API token').fill(TOKEN)
    await page.getByRole('button', { name: 'Add profile' }).click()

    const list = page.getByRole('list', { name: 'Profiles' })
    // Verifying the token live takes a few seconds on a busy machine.
    await expect.poll(() => list.getByText('Production').count(), { timeout: 15_000 }).toBe(1)
    // The token field is cleared and the token is never echoed back into the page.
    await expect.poll(() => page.getByLabel('API token').inputValue()).toBe('')
    expect(await page.content()).not.toContain(TOKEN)
    await app.screenshot(`settings-profile-added-${colorScheme}`)

    const [profile] = services.profiles.list()
    expect(profile?.name).toBe('Production')
    expect(profile?.tokenHint).toBe(TOKEN.slice(-4))
    expect(await services.secrets.get(tokenAccount(profile!.id))).toBe(TOKEN)
    const onDisk = readFileSync(`${app.userDataDir}/profiles.json`, 'utf8')
    expect(onDisk).toContain('Production')
    expect(onDisk).not.toContain(TOKEN)

    // Verified live: the account and zones were discovered.
    expect(profile?.accounts.map((a) => a.id)).toEqual([app.cloudflare.account.id])
    expect(profile?.zones.map((z) => z.name).sort()).toEqual(app.cloudflare.zones.map((z) => z.name).sort())
    // It became the active profile, so the sidebar names it.
    expect(await page.locator('.sidebar-footer').textContent()).toContain('Production')

    await page.getByRole('button', { name: 'Remove profile Production' }).click()
    await app.screenshot(`settings-confirm-remove-${colorScheme}`)
    await page.getByRole('button', { name: 'Remove', exact: true }).click()
    await expect.poll(() => list.getByText('Production').count()).toBe(0)
    expect(services.profiles.list()).toEqual([])
    expect(await services.secrets.get(tokenAccount(profile!.id))).toBeNull()

    // The activity screen shows both changes.
    await page.keyboard.press('Control+6')
    await expect.poll(() => page.getByRole('table', { name: 'Activity log' }).getByText('Removed profile').count()).toBe(1)
    expect(await page.getByRole('table', { name: 'Activity log' }).getByText('Added profile').count()).toBe(1)
    await app.screenshot(`activity-after-profiles-${colorScheme}`)
  })

  test('shows a specific error when the token is malformed, and stores nothing', async () => {
    const { page, services } = app
    await page.keyboard.press('Control+7')
    await page.getByLabel('Profile name').fill('Broken')
    await page.getByLabel('API token').fill('short token!')
    await page.getByRole('button', { name: 'Add profile' }).click()
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('token')
    expect(services.profiles.list()).toEqual([])
  })

  test('a revoked token is refused with the reason, and nothing is kept', async () => {
    const { page, services } = app
    await page.keyboard.press('Control+7')
    await page.getByLabel('Profile name').fill('Revoked')
    await page.getByLabel('API token').fill(app.cloudflare.tokens.revoked)
    await page.getByRole('button', { name: 'Add profile' }).click()
    const alert = page.getByRole('alert').filter({ hasText: 'Cloudflare rejected the API token' })
    await expect.poll(() => alert.count(), { timeout: 10_000 }).toBe(1)
    expect(await alert.textContent()).toContain('Create a new API token')
    expect(services.profiles.list()).toEqual([])
    // The refused token stays in its (masked) field, to be corrected rather than pasted again.
    expect(await page.getByLabel('API token').inputValue()).toBe(app.cloudflare.tokens.revoked)
    expect(await page.getByLabel('API token').getAttribute('type')).toBe('password')
    await app.screenshot(`settings-token-refused-${colorScheme}`)
    // The error toast goes away by itself after a while (it also has a Dismiss button).
    await expect.poll(() => alert.count(), { timeout: 16_000, interval: 500 }).toBe(0)
    await page.getByLabel('API token').fill('')
  })

  test('an expired token is refused with its date and the fix, and nothing is kept', async () => {
    const { page, services } = app
    await page.keyboard.press('Control+7')
    await page.getByLabel('Profile name').fill('Expired')
    await page.getByLabel('API token').fill(app.cloudflare.tokens.expired)
    await page.getByRole('button', { name: 'Add profile' }).click()
    const alert = page.getByRole('alert').filter({ hasText: 'This API token expired on 2026-06-30' })
    await expect.poll(() => alert.count(), { timeout: 10_000 }).toBe(1)
    expect(await alert.textContent()).toContain('roll this token or create a new one')
    expect(services.profiles.list()).toEqual([])
    // The token field is never echoed back: it is cleared or still only in the password field.
    expect(await page.getByLabel('API token').getAttribute('type')).toBe('password')
    await app.screenshot(`settings-token-expired-${colorScheme}`)
  })

  test('a read-only token is kept, with the missing permissions named', async () => {
    const { page, services } = app
    await page.keyboard.press('Control+7')
    await page.getByLabel('Profile name').fill('Read only')
    await page.getByLabel('API token').fill(app.cloudflare.tokens.readOnly)
    await page.getByRole('button', { name: 'Add profile' }).click()
    const row = page.getByRole('list', { name: 'Profiles' }).getByRole('listitem').filter({ hasText: 'Read only' })
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1)
    const [profile] = services.profiles.list()
    expect(profile?.missingPermissions).toContain('SSL and Certificates Write')
    expect(await row.textContent()).toContain('SSL and Certificates Write')
    await app.screenshot(`settings-missing-permissions-${colorScheme}`)
    await services.profiles.remove(profile!.id)
  })

  test('changing one setting keeps the others: the theme keeps the profile, the profile keeps the theme', async () => {
    const { page, services } = app
    const first = await services.profiles.add({ kind: 'cloudflare', name: 'First', token: app.cloudflare.tokens.full })
    const second = await services.profiles.add({ kind: 'cloudflare', name: 'Second', token: app.cloudflare.tokens.full })
    services.settings.set({ theme: 'system' })
    await useProfile(app, first.id)
    await page.keyboard.press('Control+7')
    // click, not check(): the radios are controlled and turn on when main has answered.
    await page.getByRole('radio', { name: 'Dark' }).click()
    await expect.poll(() => services.settings.get().theme).toBe('dark')
    await page.keyboard.press('Control+1')
    expect(await page.locator('.sidebar-footer').textContent()).toContain('First')
    expect(services.settings.get().activeProfileId).toBe(first.id)

    await page.keyboard.press('Control+7')
    await page
      .getByRole('list', { name: 'Profiles' })
      .getByRole('radio', { name: /Second/ })
      .click()
    await expect.poll(() => services.settings.get().activeProfileId).toBe(second.id)
    expect(services.settings.get().theme).toBe('dark')
    expect(await page.getByRole('radio', { name: 'Dark' }).isChecked()).toBe(true)
    services.settings.set({ theme: 'system' })
    await services.profiles.remove(first.id)
    await services.profiles.remove(second.id)
  })

  test('logged no console errors', () => {
    expect(app.consoleErrors).toEqual([])
  })
})
