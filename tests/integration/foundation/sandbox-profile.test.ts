/** The Sandbox profile: the app starts the emulator itself, and its state lives in user data. */
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { createServices } from '../../../src/main/services'
import { memorySecrets } from '../../support/services'

describe('Sandbox profile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-sandbox-profile-'))
  let services = createServices({ userDataDir: dir, appVersion: 'test', secrets: memorySecrets() })

  afterAll(() => services.close())

  test('resolves to a local emulator that answers with the Cloudflare envelope', async () => {
    const profile = await services.profiles.add({ kind: 'sandbox', name: 'Sandbox' })
    const { baseUrl, token } = await services.profiles.connection(profile.id)
    expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/client\/v4$/)
    const response = await fetch(`${baseUrl}/user/tokens/verify`, { headers: { authorization: `Bearer ${token}` } })
    const body = (await response.json()) as { success: boolean; result: { status: string } }
    expect(body.success).toBe(true)
    expect(body.result.status).toBe('active')
    expect(existsSync(join(dir, 'sandbox-state.json'))).toBe(true)
  })

  test('keeps its state across an app restart', async () => {
    const [profile] = services.profiles.list()
    const first = await services.profiles.connection(profile!.id)
    const zones = (await (await fetch(`${first.baseUrl}/zones`, { headers: { authorization: `Bearer ${first.token}` } })).json()) as {
      result: Array<{ id: string }>
    }
    const zoneId = zones.result[0]!.id
    const list = async (c: { baseUrl: string; token: string }) =>
      (
        (await (
          await fetch(`${c.baseUrl}/zones/${zoneId}/client_certificates?per_page=50&status=all`, {
            headers: { authorization: `Bearer ${c.token}` },
          })
        ).json()) as { result_info: { total_count: number } }
      ).result_info.total_count
    const before = await list(first)
    await services.close()
    services = createServices({ userDataDir: dir, appVersion: 'test', secrets: memorySecrets() })
    const second = await services.profiles.connection(profile!.id)
    expect(await list(second)).toBe(before)
  })

  test('a second Sandbox profile is refused', async () => {
    await expect(services.profiles.add({ kind: 'sandbox', name: 'Another' })).rejects.toMatchObject({ code: 'conflict' })
  })
})
