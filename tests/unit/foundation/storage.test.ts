import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync, appendFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { SettingsPatch, type StorageProblem } from '../../../src/shared/model'
import { ActivityLog } from '../../../src/main/storage/activity'
import { writeFileAtomic } from '../../../src/main/storage/json-file'
import { ProfileStore } from '../../../src/main/storage/profiles'
import { SettingsStore } from '../../../src/main/storage/settings'

const tempDir = () => mkdtempSync(join(tmpdir(), 'certdesk-storage-'))

describe('settings store', () => {
  test('starts from defaults, persists changes with mode 0600, and reloads them', () => {
    const dir = tempDir()
    const problems: StorageProblem[] = []
    const first = new SettingsStore(dir, (p) => problems.push(p))
    expect(first.get()).toMatchObject({ theme: 'system', defaultValidityYears: 10, activeProfileId: null })
    first.set({ theme: 'dark', expiringSoonDays: 14 })
    expect(statSync(join(dir, 'settings.json')).mode & 0o777).toBe(0o600)
    const second = new SettingsStore(dir, (p) => problems.push(p))
    expect(second.get()).toMatchObject({ theme: 'dark', expiringSoonDays: 14 })
    expect(problems).toEqual([])
  })

  // Each setting must survive a change of each other one, with the patch parsed as IPC parses it
  // (zod 4 fills `.default()` values into a `.partial()` schema: a patch once reset every other field).
  const changes: SettingsPatch[] = [
    { theme: 'dark' },
    { activeProfileId: 'sandbox' },
    { expiringSoonDays: 14 },
    { defaultValidityYears: 2 },
    { cloudflareRateShare: 0.5 },
  ]
  test.each(changes.flatMap((first) => changes.filter((second) => second !== first).map((second) => [first, second] as const)))(
    'keeps %o after a change of %o',
    (first, second) => {
      const store = new SettingsStore(tempDir(), () => {})
      store.set(SettingsPatch.parse(first))
      const after = store.set(SettingsPatch.parse(second))
      expect(after).toMatchObject({ ...first, ...second })
    },
  )

  test('a patch parsed as IPC parses it names only what was sent', () => {
    expect(SettingsPatch.parse({ theme: 'dark' })).toEqual({ theme: 'dark' })
    expect(() => SettingsPatch.parse({ windowBounds: null })).toThrow()
  })

  test('a patch (as IPC parses it) changes only what it names: the rate share survives a theme change', () => {
    const store = new SettingsStore(tempDir(), () => {})
    expect(store.get().cloudflareRateShare).toBe(0.8)
    store.set(SettingsPatch.parse({ cloudflareRateShare: 0.5, expiringSoonDays: 14 }))
    expect(SettingsPatch.parse({ theme: 'dark' })).toEqual({ theme: 'dark' })
    store.set(SettingsPatch.parse({ theme: 'dark' }))
    expect(store.get()).toMatchObject({ theme: 'dark', cloudflareRateShare: 0.5, expiringSoonDays: 14 })
    for (const share of [0, 0.01, 1.5]) expect(SettingsPatch.safeParse({ cloudflareRateShare: share }).success).toBe(false)
  })

  test.each([
    ['truncated JSON', '{"theme": "da'],
    ['a hand edit with a bad value', '{"theme": "purple"}'],
    ['the wrong type', '[1,2,3]'],
  ])('moves aside %s, reports it, and keeps the original bytes', (_label, content) => {
    const dir = tempDir()
    writeFileSync(join(dir, 'settings.json'), content)
    const problems: StorageProblem[] = []
    const store = new SettingsStore(dir, (p) => problems.push(p))
    expect(store.get().theme).toBe('system')
    expect(problems).toHaveLength(1)
    expect(problems[0]!.reason.length).toBeGreaterThan(5)
    expect(readFileSync(problems[0]!.movedTo, 'utf8')).toBe(content)
    expect(existsSync(join(dir, 'settings.json'))).toBe(false)
  })
})

describe('atomic writes', () => {
  test('a failed write leaves the previous file intact and no temp files behind', () => {
    const dir = tempDir()
    const path = join(dir, 'doc.json')
    writeFileAtomic(path, 'old')
    // A directory where the temp file would be renamed to makes the final rename fail.
    expect(() => writeFileAtomic(join(dir, 'missing', '..', 'doc.json', 'x'), 'new')).toThrow()
    expect(readFileSync(path, 'utf8')).toBe('old')
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })
})

describe('profile store', () => {
  test('refuses a duplicate name and an unknown id clearly', () => {
    const store = new ProfileStore(tempDir(), () => {})
    const profile = {
      id: crypto.randomUUID(),
      name: 'Prod',
      kind: 'cloudflare' as const,
      createdAt: new Date().toISOString(),
      accounts: [],
      zones: [],
      missingPermissions: [],
    }
    store.add(profile)
    expect(() => store.add({ ...profile, id: crypto.randomUUID(), name: 'prod' })).toThrow(/already exists/)
    expect(() => store.get(crypto.randomUUID())).toThrow(/no longer exists/)
    expect(store.remove(profile.id)).toBe(true)
    expect(store.remove(profile.id)).toBe(false)
  })
})

describe('activity log', () => {
  test('appends entries with actor and time, lists newest first, filters', () => {
    const log = new ActivityLog(tempDir())
    log.record({ action: 'profile.add', target: 'Prod' })
    log.record({ action: 'clientCert.revoke', target: 'device-1', outcome: 'failed' })
    const all = log.list()
    expect(all.map((e) => e.action)).toEqual(['clientCert.revoke', 'profile.add'])
    expect(all[0]!.actor.length).toBeGreaterThan(0)
    expect(log.list({ action: 'profile' }).map((e) => e.target)).toEqual(['Prod'])
    expect(log.list({ text: 'DEVICE' })).toHaveLength(1)
    expect(statSync(log.path).mode & 0o777).toBe(0o600)
  })

  test('skips a torn last line instead of losing the history', () => {
    const dir = tempDir()
    new ActivityLog(dir).record({ action: 'profile.add', target: 'A' })
    appendFileSync(join(dir, 'activity.jsonl'), '{"at":"2026-01-01T00:00')
    // A new process (new instance) after the crash.
    const log = new ActivityLog(dir)
    log.record({ action: 'profile.add', target: 'B' })
    expect(log.list().map((e) => e.target)).toEqual(['B', 'A'])
  })
})
