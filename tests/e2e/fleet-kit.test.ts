/**
 * "Export for fleet…" on the This machine screen: the loaded root's kit is written into the folder main's dialog
 * answers, and the app says where it went.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startApp, type AppUnderTest } from '../harness/app'
import { makeDebianTree, throwawayMachine } from '../support/debian-tree'
import { opensslRoot, ROOT_EXT } from '../support/cert-factory'
import { shootBoth } from './support/screens'

const ROOT_CN = 'Certdesk E2E Fleet Root'

describe('Export for fleet on the This machine screen', () => {
  let app: AppUnderTest
  const tree = makeDebianTree(1)
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-e2e-fleet-'))
  let rootPem: string

  beforeAll(async () => {
    const trust = await throwawayMachine(tree.root, join(tree.root, 'home'))
    opensslRoot(join(dir, 'root.pem'), join(dir, 'root.key'), { subject: `/CN=${ROOT_CN}/O=Certdesk Tests`, ext: ROOT_EXT })
    rootPem = readFileSync(join(dir, 'root.pem'), 'utf8')
    app = await startApp({ trust })
    await app.page.keyboard.press('Control+5')
  })

  afterAll(async () => {
    await app?.close()
    tree.cleanup()
    rmSync(dir, { recursive: true, force: true })
  })

  test('writes the kit of the loaded root into the folder chosen in main', async () => {
    const { page } = app
    await page.getByRole('tab', { name: 'Install or remove' }).click()
    await page.getByLabel('…or paste PEM text').fill(rootPem)
    await page.getByRole('button', { name: 'Check pasted text' }).click()
    const button = page.getByRole('button', { name: `Export for fleet… ${ROOT_CN}` })
    await expect.poll(() => button.count()).toBe(1)
    await shootBoth(app, 'fleet-kit-button')
    const kitDir = join(dir, 'kit')
    app.answerOpen(kitDir)
    await button.click()
    await expect.poll(() => page.getByText(`Wrote the fleet kit (13 files) to ${kitDir}.`).count()).toBe(1)
    expect(readdirSync(kitDir)).toContain('root.mobileconfig')
    const der = execFileSync('openssl', ['x509', '-in', join(dir, 'root.pem'), '-outform', 'DER'])
    expect(readFileSync(join(kitDir, 'root.cer')).equals(der)).toBe(true)
    await shootBoth(app, 'fleet-kit-written')
  })
})
