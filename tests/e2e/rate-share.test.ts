/** Settings → Cloudflare API: the share of the rate limit is saved, and survives a change of another setting. */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startApp, type AppUnderTest } from '../harness/app'

let app: AppUnderTest
beforeAll(async () => {
  app = await startApp({ colorScheme: 'light' })
})
afterAll(async () => {
  await app?.close()
})

test("the share of Cloudflare's rate limit is chosen in Settings and kept when the theme changes", async () => {
  const { page, services } = app
  await page.keyboard.press('Control+7')
  const share = page.getByLabel("Share of Cloudflare's rate limit to use")
  expect(await share.inputValue()).toBe('0.8')
  await share.selectOption({ label: '50 %' })
  await expect.poll(() => services.settings.get().cloudflareRateShare).toBe(0.5)
  // click, not check(): the radios are controlled and turn on when main has answered.
  await page.getByRole('radio', { name: 'Dark' }).click()
  await expect.poll(() => services.settings.get().theme).toBe('dark')
  expect(services.settings.get().cloudflareRateShare).toBe(0.5)
  expect(await share.inputValue()).toBe('0.5')
  await app.screenshot('settings-rate-share-dark')
})
