/**
 * Against a real Secret Service (scripts/with-keyring.sh provides a throwaway one): a token stored
 * through keytar can be read back, never lands in the profile file, and goes with its profile.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startSandbox, type SandboxHandle } from '../../../src/main/sandbox'
import { tokenAccount } from '../../../src/main/profiles/profile-service'
import { Keychain } from '../../../src/main/secrets/keychain'
import { createServices } from '../../../src/main/services'

const service = `certdesk-test-${randomBytes(6).toString('hex')}`

describe('keychain (real Secret Service)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-keychain-'))
  // Profiles are verified live; a Sandbox stands in for Cloudflare.
  let sandbox: SandboxHandle
  let services: ReturnType<typeof createServices>
  let TOKEN: string

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 'demo', stateFile: null })
    TOKEN = sandbox.tokens.full
    services = createServices({ userDataDir: dir, keychainService: service, appVersion: 'test', cloudflareApiUrl: sandbox.url })
  })

  afterAll(async () => {
    for (const p of services.profiles.list()) await services.profiles.remove(p.id)
    await services.close()
    await sandbox.close()
  })

  test('set, get and delete a secret', async () => {
    const keychain = new Keychain(service)
    await keychain.set('probe', 'value-1')
    expect(await keychain.get('probe')).toBe('value-1')
    expect(await keychain.delete('probe')).toBe(true)
    expect(await keychain.get('probe')).toBeNull()
    expect(await keychain.delete('probe')).toBe(false)
  })

  test('a profile token is readable from the keychain, absent from the profile file, and deleted with the profile', async () => {
    const profile = await services.profiles.add({ kind: 'cloudflare', name: 'Keychain test', token: TOKEN })
    expect(await services.profiles.token(profile.id)).toBe(TOKEN)
    expect(await new Keychain(service).get(tokenAccount(profile.id))).toBe(TOKEN)
    const file = readFileSync(join(dir, 'profiles.json'), 'utf8')
    expect(file).toContain('Keychain test')
    expect(file).not.toContain(TOKEN)
    expect(readFileSync(join(dir, 'activity.jsonl'), 'utf8')).not.toContain(TOKEN)

    expect(await services.profiles.remove(profile.id)).toBe(true)
    expect(await new Keychain(service).get(tokenAccount(profile.id))).toBeNull()
    await expect(services.profiles.token(profile.id)).rejects.toThrow(/no longer exists/)
  })

  test('a token missing from the keychain is reported, not guessed', async () => {
    const profile = await services.profiles.add({ kind: 'cloudflare', name: 'Lost token', token: TOKEN })
    await new Keychain(service).delete(tokenAccount(profile.id))
    await expect(services.profiles.token(profile.id)).rejects.toMatchObject({ code: 'keychain_entry_missing' })
  })
})
