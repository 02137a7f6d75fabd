/**
 * Shared steps for the screen tests: connect a Cloudflare profile (the harness's Sandbox standing in
 * for api.cloudflare.com), screenshot in light and dark, and scan with axe-core.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import type { Profile } from '../../../src/shared/model'
import { SCREENS_DIR, type AppUnderTest } from '../../harness/app'

/** Adds a Cloudflare profile through the real service, makes it active, and reloads the page onto it. */
export async function connectCloudflare(app: AppUnderTest, token: string, name = 'Cloudflare'): Promise<Profile> {
  const profile = await app.services.profiles.add({ kind: 'cloudflare', name, token })
  app.services.settings.set({ activeProfileId: profile.id })
  await reload(app)
  return profile
}

export async function useProfile(app: AppUnderTest, profileId: string): Promise<void> {
  app.services.settings.set({ activeProfileId: profileId })
  await reload(app)
}

export async function reload(app: AppUnderTest): Promise<void> {
  await app.page.reload()
  await app.page.waitForSelector('#screen-title')
  await app.page.locator('.sidebar-footer').filter({ hasNotText: 'No profile selected' }).waitFor()
}

/**
 * Screenshots the page as it is now in light and then dark. The theme is applied the way the app
 * applies a chosen theme (data-theme on <html>), so open dialogs and drawers stay open.
 */
export async function shootBoth(app: AppUnderTest, name: string): Promise<void> {
  const before = await getTheme(app.page)
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(app.page, theme)
    await app.screenshot(`${name}-${theme}`)
  }
  await setTheme(app.page, before)
}

/** The README's screenshots are refreshed on request only (CERTDESK_DOCS_SCREENSHOTS=1), not by every run. */
export function toDocs(shot: string, name: string): void {
  if (process.env['CERTDESK_DOCS_SCREENSHOTS'] !== '1') return
  const docs = join('docs', 'screenshots')
  mkdirSync(docs, { recursive: true })
  copyFileSync(join(SCREENS_DIR, shot), join(docs, name))
}

// The test files compile without the DOM library, so page-side code is passed as source text.
const getTheme = (page: Page) => page.evaluate<string | null>(`document.documentElement.dataset.theme ?? null`)
const setTheme = (page: Page, theme: string | null) =>
  page.evaluate(
    theme === null ? `delete document.documentElement.dataset.theme` : `document.documentElement.dataset.theme = ${JSON.stringify(theme)}`,
  )

const require = createRequire(import.meta.url)
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: string[]
}

/**
 * axe-core over the whole page, in light and in dark, returning serious and critical violations.
 * Injected with page.evaluate (a DevTools evaluation, which the page's CSP does not govern).
 */
export async function axeScan(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate<boolean>(`'axe' in window`))) await page.evaluate(AXE_SOURCE)
  const found: AxeViolation[] = []
  const before = await getTheme(page)
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(page, theme)
    const violations = await page.evaluate<AxeViolation[]>(`
      axe.run(document, { resultTypes: ['violations'] }).then((result) =>
        result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)) })))
    `)
    for (const v of violations) if (v.impact === 'serious' || v.impact === 'critical') found.push({ ...v, id: `${v.id} (${theme})` })
  }
  await setTheme(page, before)
  return found
}

/** Waits until no toast is on screen (they go after 5 s) or dismisses them, so screenshots are clean. */
export async function dismissToasts(page: Page): Promise<void> {
  const buttons = page.getByRole('button', { name: 'Dismiss notification' })
  while ((await buttons.count()) > 0) await buttons.first().click()
}
