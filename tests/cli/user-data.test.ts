/** A user-data folder in a state the app never writes: the CLI says what is wrong in one line, exit 2, no stack. */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { runCli } from '../../src/cli/run'
import { ProfileStore } from '../../src/main/storage/profiles'
import { AppError } from '../../src/shared/errors'

const userData = mkdtempSync(join(tmpdir(), 'certdesk-cli-userdata-'))
afterAll(() => rmSync(userData, { recursive: true, force: true }))

describe('profiles.json that is a folder', () => {
  test('profiles list exits 2 with one clear line naming the file', async () => {
    mkdirSync(join(userData, 'profiles.json'))
    let out = ''
    let err = ''
    const io = {
      stdout: (t: string) => void (out += t),
      stderr: (t: string) => void (err += t),
      env: { CERTDESK_USER_DATA: userData },
      cwd: userData,
    }
    expect(await runCli(['profiles', 'list'], io, '1')).toBe(2)
    expect(err).not.toMatch(/unexpected error|EISDIR:|\n\s+at /)
    expect(err.split('\n')[0]).toBe(
      `certdesk profiles list: ${join(userData, 'profiles.json')} is a folder, not a file, so certdesk cannot read it.`,
    )
    expect(out).toBe('')
  })

  test('the store throws a bad_input AppError, not a raw EISDIR', () => {
    const dir = mkdtempSync(join(tmpdir(), 'certdesk-profiles-dir-'))
    try {
      mkdirSync(join(dir, 'profiles.json'))
      const store = new ProfileStore(dir, () => {})
      expect(() => store.list()).toThrow(AppError)
      expect(() => store.list()).toThrow(/is a folder, not a file/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
