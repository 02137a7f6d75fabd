/** Settings → Start with the Sandbox, change something in it, then Reset data… puts the demo state back. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startApp, type AppUnderTest } from '../harness/app'

describe('Sandbox profile in the browser', () => {
  let app: AppUnderTest

  beforeAll(async () => {
    app = await startApp()
  })
  afterAll(async () => {
    await app?.close()
  })

  test('start with the Sandbox, revoke a certificate, reset: the zone is back to its demo state', async () => {
    const { page, services } = app
    await page.keyboard.press('Control+7')
    await page.getByRole('button', { name: 'Start with the Sandbox' }).click()
    const row = page.getByRole('list', { name: 'Profiles' }).getByRole('listitem').filter({ hasText: 'Sandbox' })
    // Starting the Sandbox (seeding its CA and demo certificates) takes seconds on a busy machine.
    await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(1)
    const [profile] = services.profiles.list()
    expect(profile?.kind).toBe('sandbox')
    expect(profile?.zones.length).toBeGreaterThan(0)

    const zone = { profileId: profile!.id, zoneId: profile!.zones[0]!.id }
    const activeCount = async () => (await services.cloudflare.run('clientCerts.list', { ...zone, status: 'active' })).length
    const seeded = await activeCount()
    const active = (await services.cloudflare.run('clientCerts.list', { ...zone, status: 'active' }))[0]!
    await services.cloudflare.run('clientCerts.revoke', { ...zone, id: active.id })
    expect(await activeCount()).toBe(seeded - 1)
    // The screen has read the changed list before the reset.
    const activeOption = page.getByLabel('Status').locator('option[value=active]')
    await page.keyboard.press('Control+1')
    await expect.poll(() => activeOption.textContent(), { timeout: 15_000 }).toBe(`active (${seeded - 1})`)
    await page.keyboard.press('Control+7')

    await row.getByRole('button', { name: 'Reset data…' }).click()
    await app.screenshot('settings-sandbox-reset-confirm-light')
    await row.getByRole('button', { name: 'Reset', exact: true }).click()
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'back to its demo data' }).count(), { timeout: 20_000 }).toBe(1)
    // The demo seed is issued afresh: as many active certificates as at first, and the revoked one gone.
    expect(await activeCount()).toBe(seeded)
    await expect(services.cloudflare.run('clientCerts.get', { ...zone, id: active.id })).rejects.toMatchObject({
      code: expect.stringMatching(/not_found/),
    })
    expect(services.activity.list({ action: 'sandbox.reset' })).toHaveLength(1)
    // Back on the list, without a Refresh: the demo state, not the list read before the reset.
    await page.keyboard.press('Control+1')
    await expect.poll(() => activeOption.textContent(), { timeout: 15_000 }).toBe(`active (${seeded})`)
  })
})
