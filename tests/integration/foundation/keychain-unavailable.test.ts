/**
 * With no reachable Secret Service the keychain refuses with the fix, and nothing is stored
 * anywhere else. Its own file so this process never connects to the throwaway keyring first
 * (libsecret keeps its first connection).
 */
import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { createServices } from '../../../src/main/services'

describe.runIf(process.platform === 'linux')('keychain without a Secret Service', () => {
  test('adding a profile fails with keychain_unavailable and leaves no profile behind', async () => {
    process.env['DBUS_SESSION_BUS_ADDRESS'] = 'unix:path=/nonexistent/certdesk-test-bus'
    const dir = mkdtempSync(join(tmpdir(), 'certdesk-nokeyring-'))
    const services = createServices({ userDataDir: dir, keychainService: 'certdesk-test-unavailable', appVersion: 'test' })
    const error = await services.profiles.add({ kind: 'cloudflare', name: 'Nowhere', token: 'A'.repeat(40) }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'keychain_unavailable' })
    expect((error as { hint: string }).hint).toMatch(/gnome-keyring|KWallet/)
    expect(services.profiles.list()).toEqual([])
    expect(readdirSync(dir).filter((f) => f.startsWith('profiles'))).toEqual([])
  })
})
