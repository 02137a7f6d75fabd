/**
 * ProfileService.transient: a Cloudflare profile for this process only (the CLI's
 * CLOUDFLARE_API_TOKEN). It is usable wherever a profile id is — the runner, verification — and
 * nothing of it reaches the profiles file or the keychain; another process does not know it.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createServices } from '../../../src/main/services'
import { startSandbox, type SandboxHandle } from '../../../src/main/sandbox'

/** A keychain that remembers every write. */
function recordingSecrets() {
  const map = new Map<string, string>()
  const writes: string[] = []
  return {
    writes,
    get: async (k: string) => map.get(k) ?? null,
    set: async (k: string, v: string) => void (writes.push(k), map.set(k, v)),
    delete: async (k: string) => map.delete(k),
  }
}

let sb: SandboxHandle
beforeAll(async () => {
  sb = await startSandbox({ seed: 'demo' })
})
afterAll(() => sb?.close())

describe('ProfileService.transient', () => {
  test('runs operations and verifies in memory; nothing is written to the profiles file or the keychain', async () => {
    const userDataDir = mkdtempSync(join(tmpdir(), 'certdesk-transient-'))
    const secrets = recordingSecrets()
    const services = createServices({ userDataDir, appVersion: 'test', secrets })
    const profile = services.profiles.transient({ token: sb.tokens.full, baseUrl: sb.url, name: 'CLOUDFLARE_API_TOKEN' })
    expect(profile).toMatchObject({ kind: 'cloudflare', name: 'CLOUDFLARE_API_TOKEN', baseUrl: sb.url, accounts: [], zones: [] })
    expect(profile.id).toMatch(/^[0-9a-f-]{36}$/)

    const zone = sb.zones[0]!
    const listed = await services.cloudflare.run('clientCerts.list', { profileId: profile.id, zoneId: zone.id, status: 'active' })
    expect(listed.length).toBeGreaterThan(0)
    // Verifying keeps what the token reaches on the profile, in memory: messages and the log name the zone.
    await services.profiles.refreshIdentity(profile.id)
    expect(services.profiles.get(profile.id).zones).toContainEqual({ id: zone.id, name: zone.name })
    await services.cloudflare.run('clientCerts.revoke', { profileId: profile.id, zoneId: zone.id, id: listed[0]!.id })
    const [entry] = services.activity.list({ action: 'cf.clientCerts.revoke' })
    expect(entry).toMatchObject({ profileId: profile.id, objectId: listed[0]!.id, detail: { zone: zone.name } })

    expect(services.profiles.list()).toEqual([])
    const file = join(userDataDir, 'profiles.json')
    if (existsSync(file)) expect(readFileSync(file, 'utf8')).not.toContain(profile.id)
    expect(secrets.writes).toEqual([])
    // Another process (another composition root on the same folder) does not know it.
    const other = createServices({ userDataDir, appVersion: 'test', secrets })
    expect(() => other.profiles.get(profile.id)).toThrow(/no longer exists/)
    await Promise.all([services.close(), other.close()])
  })

  test('an empty token or one with spaces is refused in words', async () => {
    const userDataDir = mkdtempSync(join(tmpdir(), 'certdesk-transient-'))
    const services = createServices({ userDataDir, appVersion: 'test', secrets: recordingSecrets() })
    expect(() => services.profiles.transient({ token: '  ' })).toThrow(/empty or contains spaces/)
    expect(() => services.profiles.transient({ token: 'abc def' })).toThrow(/empty or contains spaces/)
    await services.close()
  })
})
