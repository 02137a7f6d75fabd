/** The packaged app's menu: no Reload, no DevTools, no View menu; Edit (copy/paste) kept, and the macOS app menu. */
import { describe, expect, test } from 'vitest'
import { applicationMenu, type MenuTemplateItem } from '../../../src/main/menu'

const flatten = (items: MenuTemplateItem[]): MenuTemplateItem[] => items.flatMap((i) => [i, ...flatten(i.submenu ?? [])])
const roles = (items: MenuTemplateItem[]) =>
  flatten(items)
    .map((i) => i.role)
    .filter(Boolean)
const labels = (items: MenuTemplateItem[]) =>
  flatten(items)
    .map((i) => i.label?.toLowerCase())
    .filter(Boolean)

describe('application menu', () => {
  test('development keeps Electron’s default menu (null: nothing is replaced)', () => {
    expect(applicationMenu('linux', false)).toBeNull()
    expect(applicationMenu('darwin', false)).toBeNull()
  })

  for (const platform of ['linux', 'win32', 'darwin'] as const) {
    test(`packaged on ${platform}: no reload, devtools or view menu; copy and paste kept`, () => {
      const menu = applicationMenu(platform, true)!
      expect(menu).not.toBeNull()
      const all = roles(menu) as string[]
      for (const banned of ['reload', 'forceReload', 'toggleDevTools', 'viewMenu', 'editMenu', 'fileMenu', 'windowMenu', 'help'])
        expect(all).not.toContain(banned)
      expect(labels(menu)).not.toContain('view')
      expect(all).toEqual(expect.arrayContaining(['copy', 'paste', 'cut', 'selectAll', 'undo']))
      // Every item is either a role, a separator or a labelled submenu: nothing with its own click handler.
      for (const item of flatten(menu)) expect(Boolean(item.role) || item.type === 'separator' || Boolean(item.submenu)).toBe(true)
    })
  }

  test('macOS keeps the app menu (About, Hide, Quit) first; elsewhere File has Quit', () => {
    expect(applicationMenu('darwin', true)![0]).toEqual({ role: 'appMenu' })
    expect(roles(applicationMenu('linux', true)!)).toContain('quit')
  })
})
