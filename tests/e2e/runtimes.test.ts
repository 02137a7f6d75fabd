/**
 * This machine → Verify a root → the runtimes that ignore the OS store: Fix for a runtime that does not trust the
 * root, confirmed in main (the question names the files it changes), then Undo. Against a throwaway machine (a
 * Debian tree and its home): the files the fix writes and undo puts back are checked on disk, not only on screen.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startApp, type AppUnderTest } from '../harness/app'
import { makeDebianTree, snapshotTree, throwawayMachine } from '../support/debian-tree'
import { opensslRoot, ROOT_EXT } from '../support/cert-factory'
import { axeScan, dismissToasts, shootBoth, toDocs } from './support/screens'

describe('runtime fixer on this machine screen', () => {
  let app: AppUnderTest
  const tree = makeDebianTree(2)
  const home = join(tree.root, 'home')
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-e2e-runtimes-'))
  const rootFile = join(dir, 'root.pem')

  beforeAll(async () => {
    const trust = await throwawayMachine(tree.root, home)
    opensslRoot(rootFile, join(dir, 'root.key'), { subject: '/CN=Certdesk E2E Runtime Root', ext: ROOT_EXT })
    app = await startApp({ trust })
    await app.page.keyboard.press('Control+5')
  })

  afterAll(async () => {
    await app?.close()
    tree.cleanup()
    rmSync(dir, { recursive: true, force: true })
  })

  test('Fix Node.js after a confirmation in main, then Undo puts the home back as it was', async () => {
    const { page } = app
    const before = snapshotTree(home)
    await page.getByRole('tab', { name: 'Verify a root' }).click()
    await page.getByRole('group', { name: 'Root certificate to verify' }).locator('input[type=file]').setInputFiles(rootFile)
    const fixes = page.getByRole('group', { name: 'Fix runtimes' })
    await fixes.getByRole('button', { name: 'Fix Node.js' }).waitFor()
    expect(await fixes.getByRole('button', { name: 'Undo runtime fix' }).count()).toBe(0)
    await shootBoth(app, 'machine-runtimes-before')

    // A "no" changes nothing.
    app.answerConfirmations(false)
    await fixes.getByRole('button', { name: 'Fix Node.js' }).click()
    await expect.poll(() => app.confirmations.length).toBe(1)
    expect(existsSync(join(home, '.profile'))).toBe(false)
    await dismissToasts(page)

    app.answerConfirmations(true)
    await fixes.getByRole('button', { name: 'Fix Node.js' }).click()
    await fixes.getByRole('button', { name: 'Undo runtime fix' }).waitFor()
    const asked = app.confirmations.at(-1)
    expect(asked?.title).toBe('Make runtimes trust this root')
    expect(asked?.detail).toContain(join(home, '.profile'))
    expect(asked?.detail).toContain('Runtimes: Node.js')
    // On disk: the profile sources the env file, which points Node at the bundle holding the root.
    expect(readFileSync(join(home, '.profile'), 'utf8')).toContain('# >>> certdesk runtimes >>>')
    const envFile = readFileSync(join(app.userDataDir, 'runtimes', 'env.sh'), 'utf8')
    expect(envFile).toContain(`export NODE_EXTRA_CA_CERTS='${join(app.userDataDir, 'runtimes', 'ca-bundle.pem')}'`)
    // The report was checked again: Node.js now trusts it; Python and git are still offered.
    const node = page.getByRole('table', { name: 'Runtimes that ignore the OS store' }).getByRole('row', { name: /Node\.js/ })
    await expect.poll(() => node.textContent()).toContain('yes')
    expect(await fixes.getByRole('button', { name: 'Fix Node.js' }).count()).toBe(0)
    expect(await fixes.getByRole('button', { name: 'Fix git' }).count()).toBe(1)
    await dismissToasts(page)
    await shootBoth(app, 'machine-runtimes-fixed')
    toDocs('machine-runtimes-fixed-light.png', 'machine-runtimes.png')
    expect(await axeScan(page)).toEqual([])
    // The smallest supported window: the buttons wrap under the table, none hidden.
    await page.setViewportSize({ width: 1024, height: 700 })
    await fixes.scrollIntoViewIfNeeded()
    await shootBoth(app, 'machine-runtimes-fixed-1024')
    await page.setViewportSize({ width: 1280, height: 820 })

    await fixes.getByRole('button', { name: 'Undo runtime fix' }).click()
    await fixes.getByRole('button', { name: 'Fix Node.js' }).waitFor()
    expect(app.confirmations.at(-1)?.title).toBe('Undo the runtime fix')
    expect(snapshotTree(home)).toEqual(before)
    expect(existsSync(join(app.userDataDir, 'runtimes'))).toBe(false)
  })
})
