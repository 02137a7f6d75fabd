/**
 * The Keys screen's backups: a CA key in no backup is named with the date it has waited since, and the app reminds
 * once (an OS notification through main, not again within the week); Back up… takes the passphrase twice with main's
 * strength meter and writes a .p12 openssl opens; Restore… reads the file chosen in main's open dialog, asks in main,
 * and a "no" changes nothing.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createServices } from '../../src/main/services'
import { generateKey } from '../../src/main/pki/keys'
import { startApp, type AppUnderTest } from '../harness/app'
import { axeScan, dismissToasts, shootBoth, toDocs } from './support/screens'

const PASSPHRASE = 'velvet harbour tractor quince'

describe('Keys screen: backups', () => {
  let app: AppUnderTest

  beforeAll(async () => {
    app = await startApp()
    await app.services.keys.newRoot({ cn: 'Plant Root CA', keyType: 'ec-p256', days: 3650, permittedDns: [] })
    await app.services.vault.save({ privateKey: (await generateKey('ec-p256')).privateKey, label: 'Spare key' })
  })

  afterAll(async () => {
    await app?.close()
  })

  test('a CA key in no backup: named with its date on the screen; one reminder, not again within the week', async () => {
    const { page } = app
    // The start-up check of a second window on the same data: a reminder now, and none at the next start.
    const notices: { key: string; body: string }[] = []
    const options = { userDataDir: app.userDataDir, appVersion: 'e2e', secrets: app.services.secrets }
    const dialogs = { saveFile: async () => null, notify: (n: { key: string; body: string }) => notices.push(n) }
    await createServices({ ...options, dialogs }).close()
    await createServices({ ...options, dialogs }).close()
    expect(notices).toHaveLength(1)
    expect(notices[0]).toMatchObject({
      key: 'vault.backup-reminder',
      body: expect.stringContaining('"Root Plant Root CA" is in no backup'),
    })

    await page.keyboard.press('Control+8')
    await page.getByRole('heading', { level: 1, name: 'Keys' }).waitFor()
    const panel = page.getByRole('region', { name: 'Backups' })
    await expect.poll(() => panel.textContent()).toContain('No backup of this vault yet')
    expect(await panel.getByRole('status').textContent()).toMatch(/Root Plant Root CA — not backed up since/)
    expect(await axeScan(page)).toEqual([])
    await page.setViewportSize({ width: 1024, height: 700 })
    await shootBoth(app, 'keys-backup-status-1024')
    toDocs('keys-backup-status-1024-light.png', 'keys-backups.png')
    await page.setViewportSize({ width: 1280, height: 820 })
  })

  test('Back up…: a weak passphrase is held back by the meter; two equal strong ones write a .p12 openssl opens', async () => {
    const { page } = app
    await page.getByRole('button', { name: 'Back up…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Back up the vault' })
    await dialog.getByLabel('Passphrase', { exact: true }).fill('password1')
    await dialog.getByLabel('The same passphrase again').fill('password1')
    await expect.poll(() => dialog.textContent()).toContain('too easy to guess')
    expect(await dialog.getByRole('button', { name: 'Back up…' }).isDisabled()).toBe(true)
    await dialog.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE)
    await dialog.getByLabel('The same passphrase again').fill(`${PASSPHRASE}x`)
    await expect.poll(() => dialog.textContent()).toContain('The passphrases differ.')
    await dialog.getByLabel('The same passphrase again').fill(PASSPHRASE)
    await expect.poll(() => dialog.textContent()).toMatch(/Strong|Very strong/)
    await shootBoth(app, 'keys-backup-dialog')
    await dialog.getByRole('button', { name: 'Back up…' }).click()
    await dialog.waitFor({ state: 'detached' })
    const file = readdirSync(app.exportsDir).find((f) => /^certdesk-vault-\d{4}-\d\d-\d\d\.p12$/.test(f))
    expect(file).toBeDefined()
    const info = execFileSync('openssl', ['pkcs12', '-in', join(app.exportsDir, file!), '-info', '-nodes', '-passin', 'env:X'], {
      encoding: 'utf8',
      stdio: 'pipe',
      env: { ...process.env, X: PASSPHRASE },
    })
    expect(info.match(/BEGIN PRIVATE KEY/g)).toHaveLength(2)
    const panel = page.getByRole('region', { name: 'Backups' })
    await expect.poll(() => panel.textContent()).toMatch(/Last backup .* \(2 keys\) to/)
    expect(await panel.getByRole('status').count()).toBe(0)
    await dismissToasts(page)
    await shootBoth(app, 'keys-backup-done')
  })

  test('Restore…: the file comes from main’s open dialog; declining the confirmation in main changes nothing', async () => {
    const { page } = app
    const file = join(
      app.exportsDir,
      readdirSync(app.exportsDir).find((f) => f.endsWith('.p12'))!,
    )
    expect(existsSync(file)).toBe(true)
    app.answerOpen(file)
    app.answerConfirmations(false)
    const asked = app.confirmations.length
    const before = app.services.vault.list()
    await page.getByRole('button', { name: 'Restore…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Restore keys from a backup' })
    await dialog.getByLabel('Backup passphrase').fill(PASSPHRASE)
    await dialog.getByRole('button', { name: 'Choose the backup…' }).click()
    await expect.poll(() => app.confirmations.length).toBe(asked + 1)
    expect(app.confirmations.at(-1)).toMatchObject({ title: 'Restore keys from a backup', message: expect.stringContaining('2 key(s)') })
    expect(app.services.vault.list()).toEqual(before)
    app.answerConfirmations(true)
    await dialog.getByRole('button', { name: 'Choose the backup…' }).click()
    await expect.poll(() => dialog.textContent()).toContain('Restored 0 key(s); 2 were here already.')
    expect(app.services.vault.list()).toEqual(before)
    await page.keyboard.press('Escape')
  })
})
