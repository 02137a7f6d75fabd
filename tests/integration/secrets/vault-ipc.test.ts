/**
 * `vault:*` through the real dispatch: the passphrase typed twice is checked in main too, a weak one is refused
 * there (not only by the renderer's meter), and a restore needs main's own open dialog (no path from the renderer).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { createHandlers } from '../../../src/main/handlers'
import { generateKey } from '../../../src/main/pki/keys'
import { createServices } from '../../../src/main/services'
import { ipcCaller, memorySecrets } from '../../support/services'

const dir = mkdtempSync(join(tmpdir(), 'certdesk-vault-ipc-'))
const out = join(dir, 'out')
const services = createServices({
  userDataDir: join(dir, 'data'),
  appVersion: 'test',
  secrets: memorySecrets(),
  dialogs: { saveFile: async ({ defaultName }) => join(out, defaultName) },
})
const call = ipcCaller(createHandlers(services))

afterAll(async () => {
  await services.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('vault channels', () => {
  test('backup: two different passphrases or a weak one are refused in main, and nothing is written', async () => {
    await services.vault.save({ privateKey: (await generateKey('ec-p256')).privateKey, label: 'k' })
    await expect(call('vault:backup', { passphrase: 'velvet harbour tractor quince', repeat: 'velvet harbour' })).rejects.toMatchObject({
      message: expect.stringMatching(/The two passphrases differ/),
    })
    await expect(call('vault:backup', { passphrase: 'qwerty123', repeat: 'qwerty123' })).rejects.toMatchObject({
      code: 'bad_input',
      message: expect.stringMatching(/too easy to guess/),
    })
    expect(() => readdirSync(out)).toThrow()
    const strength = await call<{ score: number; acceptable: boolean }>('vault:strength', { passphrase: 'qwerty123' })
    expect(strength).toMatchObject({ acceptable: false })
    const saved = await call<{ savedTo: string; keys: number }>('vault:backup', {
      passphrase: 'velvet harbour tractor quince',
      repeat: 'velvet harbour tractor quince',
    })
    expect(saved).toMatchObject({ keys: 1, savedTo: expect.stringMatching(/certdesk-vault-.*\.p12$/) })
    expect(await call('vault:status')).toMatchObject({ last: { keys: 1 }, unbackedKeys: 0 })
  })

  test('restore takes no path from the renderer and needs main’s open dialog', async () => {
    await expect(call('vault:restore', { passphrase: 'x', path: '/etc/passwd' })).rejects.toMatchObject({ code: 'validation' })
    await expect(call('vault:restore', { passphrase: 'x' })).rejects.toMatchObject({ code: 'unsupported' })
  })
})
