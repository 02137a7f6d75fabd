/**
 * Layout at the smallest supported window (1024×700) and a common one (1280×800): on every screen
 * and every tab, nothing scrolls sideways, every action button is on screen, and no card's content
 * (its tables) is wider than the card. Screenshots of each, light and dark.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { SCREENS } from '../../src/renderer/src/store/ui'
import { startApp, type AppUnderTest } from '../harness/app'
import { connectCloudflare, shootBoth } from './support/screens'

interface Overflow {
  page: { scrollWidth: number; clientWidth: number }
  main: { scrollWidth: number; clientWidth: number }
  buttons: string[]
  cards: string[]
}

// Page-side check, as source text (the test files compile without the DOM library).
const MEASURE = `(() => {
  const doc = document.scrollingElement
  const main = document.querySelector('main.content')
  const width = window.innerWidth
  const name = (el) => (el.getAttribute('aria-label') || el.textContent || el.tagName).trim().slice(0, 60)
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && !el.closest('[hidden]') }
  const buttons = [...document.querySelectorAll('main .header-actions button, main .header-actions select, main .panel-header button, main .form-actions button, main .toolbar button, main .toolbar select, main [role=tablist] [role=tab]')]
    .filter(visible)
    .filter((el) => { const r = el.getBoundingClientRect(); return r.left < -0.5 || r.right > width + 0.5 })
    .map((el) => name(el) + ' @' + Math.round(el.getBoundingClientRect().right))
  const cards = [...document.querySelectorAll('main .panel')]
    .filter(visible)
    .flatMap((card) => {
      const out = []
      if (card.scrollWidth > card.clientWidth + 1) out.push((card.getAttribute('aria-label') || card.querySelector('h2')?.textContent || 'card') + ': scrollWidth ' + card.scrollWidth + ' > ' + card.clientWidth)
      const box = card.getBoundingClientRect()
      for (const t of card.querySelectorAll('table, [role=grid]')) {
        const r = t.getBoundingClientRect()
        if (visible(t) && r.right > box.right + 0.5) out.push((t.getAttribute('aria-label') || 'table') + ' ends at ' + Math.round(r.right) + ' past its card at ' + Math.round(box.right))
      }
      return out
    })
  return { page: { scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth }, main: { scrollWidth: main.scrollWidth, clientWidth: main.clientWidth }, buttons, cards }
})()`

describe('layout at 1024×700 and 1280×800', () => {
  let app: AppUnderTest

  beforeAll(async () => {
    app = await startApp()
    await connectCloudflare(app, app.cloudflare.tokens.full)
  })
  afterAll(async () => {
    await app?.close()
  })

  for (const size of [
    { width: 1024, height: 700 },
    { width: 1280, height: 800 },
  ]) {
    test.each(SCREENS.map((s) => [s.label, s.shortcut] as const))(
      `${size.width}×${size.height}: %s and its tabs`,
      async (label, shortcut) => {
        const { page } = app
        await page.setViewportSize(size)
        await page.keyboard.press(`Control+${shortcut}`)
        await expect.poll(() => page.locator('#screen-title').textContent()).toBe(label)
        const tabs = page.locator('main [role=tablist] [role=tab]')
        const count = Math.max(1, await tabs.count())
        for (let i = 0; i < count; i++) {
          let where: string = label
          if ((await tabs.count()) > 0) {
            await tabs.nth(i).click()
            where = `${label} / ${(await tabs.nth(i).textContent())?.trim()}`
          }
          // The Enforcement tab reads the rules and runs the doctor first: measure it with its tables.
          if (where.endsWith('/ Enforcement')) await page.getByRole('table', { name: 'Associated hostnames' }).waitFor()
          // Let the first load settle (lists, pickers, a trust store scan).
          await page.waitForLoadState('networkidle')
          await page.waitForTimeout(400)
          const found = await page.evaluate<Overflow>(MEASURE)
          const slug = where.replace(/[^a-z0-9]+/gi, '-').toLowerCase()
          await shootBoth(app, `layout-${size.width}-${slug}`)
          // Tables further down the screen (Access roots under the checker) get their own shot.
          const tables = page.locator('main .panel table')
          if ((await tables.count()) > 0) {
            await tables.last().scrollIntoViewIfNeeded()
            await shootBoth(app, `layout-${size.width}-${slug}-table`)
            await page.evaluate(`document.querySelector('main.content').scrollTop = 0`)
          }
          expect({ where, ...found }).toEqual({
            where,
            page: { scrollWidth: found.page.clientWidth, clientWidth: found.page.clientWidth },
            main: { scrollWidth: found.main.clientWidth, clientWidth: found.main.clientWidth },
            buttons: [],
            cards: [],
          })
        }
      },
    )
  }
})
