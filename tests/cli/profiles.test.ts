/**
 * The CLI's two ways to a token: a profile of the app (`--profile NAME`, here the Sandbox profile) and
 * CLOUDFLARE_API_TOKEN, an in-memory profile that is never written to the app's storage.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { Profile } from '../../src/shared/model'
import { appServices } from '../../src/cli/app-services'
import { runCli } from '../../src/cli/run'
import type { CliIo } from '../../src/cli/command'

let dir: string
let io: CliIo
let out = ''
let err = ''

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'certdesk-cli-profiles-'))
  io = { stdout: (t) => (out += t), stderr: (t) => (err += t), env: { CERTDESK_USER_DATA: dir }, cwd: dir }
})
afterAll(async () => {
  await appServices(io).close()
  rmSync(dir, { recursive: true, force: true })
})

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  out = ''
  err = ''
  const code = await runCli(argv, io, 'test')
  return { code, out, err }
}

describe('a transient profile (CLOUDFLARE_API_TOKEN)', () => {
  test('has a stable contract-valid id, learns names, and is never stored', async () => {
    const { profiles } = appServices(io)
    const token = 'transient-token-0123456789abcdefghijklmnop'
    const a = profiles.transient({ token, baseUrl: 'http://127.0.0.1:9/client/v4' })
    const b = profiles.transient({ token, baseUrl: 'http://127.0.0.1:9/client/v4', zones: [{ id: 'z1', name: 'example.com' }] })
    expect(Profile.parse(a)).toMatchObject({ kind: 'cloudflare', tokenHint: 'mnop' })
    expect(b.id).toBe(a.id)
    expect(profiles.transient({ token, baseUrl: 'http://127.0.0.1:10/client/v4' }).id).not.toBe(a.id)
    expect(profiles.get(a.id).zones).toEqual([{ id: 'z1', name: 'example.com' }])
    expect(await profiles.token(a.id)).toBe(token)
    expect(profiles.list().map((p) => p.id)).not.toContain(a.id)
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const text = readFileSync(join(dir, file), 'utf8')
      expect(text, file).not.toContain(token)
      expect(text, file).not.toContain(a.id)
    }
  })
})

describe('--profile NAME', () => {
  beforeAll(async () => {
    await appServices(io).profiles.add({ kind: 'sandbox', name: 'Sandbox' })
  })

  test('a profile of the app, by name in any case: its calls, recorded as made by the CLI', async () => {
    const listed = await cli('cf', 'gateway', 'list', '--profile', 'sandbox', '--json')
    expect(listed.code, listed.err).toBe(0)
    expect((JSON.parse(listed.out) as unknown[]).length).toBeGreaterThan(0)
    const created = await cli('cf', 'gateway', 'create', '--profile', 'Sandbox', '--json')
    expect(created.code, created.err).toBe(0)
    const id = (JSON.parse(created.out) as { id: string }).id
    const entries = readFileSync(join(dir, 'activity.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { objectId?: string; profile?: string; detail?: { via?: string } })
    expect(entries.find((e) => e.objectId === id)).toMatchObject({ profile: 'Sandbox', detail: { via: 'cli' } })
  })

  test('an unknown profile exits 2 naming it; no token at all exits 2 naming both ways', async () => {
    const unknown = await cli('cf', 'gateway', 'list', '--profile', 'nope')
    expect(unknown.code).toBe(2)
    expect(unknown.err.split('\n')[0]).toBe('certdesk cf gateway list: No profile named "nope".')
    const none = await cli('cf', 'gateway', 'list')
    expect(none.code).toBe(2)
    expect(none.err.split('\n')[0]).toBe('certdesk cf gateway list: No API token: set CLOUDFLARE_API_TOKEN or pass --profile NAME.')
  })
})
