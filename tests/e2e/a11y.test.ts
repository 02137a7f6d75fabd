/** axe-core over every screen with a Cloudflare profile active, light and dark: no serious or critical violations. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { SCREENS } from '../../src/renderer/src/store/ui'
import { startApp, type AppUnderTest } from '../harness/app'
import { axeScan, connectCloudflare } from './support/screens'

describe('accessibility of every screen', () => {
  let app: AppUnderTest

  beforeAll(async () => {
    app = await startApp()
    await connectCloudflare(app, app.cloudflare.tokens.full)
  })

  afterAll(async () => {
    await app?.close()
  })

  test.each(SCREENS.map((s) => [s.label, s.shortcut] as const))('%s', async (label, shortcut) => {
    const { page } = app
    await page.keyboard.press(`Control+${shortcut}`)
    await expect.poll(() => page.locator('#screen-title').textContent()).toBe(label)
    // Let the screen's first load settle (lists, pickers) before scanning.
    await page.waitForLoadState('networkidle')
    await page.waitForTimeout(300)
    expect(await axeScan(page)).toEqual([])
  })
})
