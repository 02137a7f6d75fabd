/**
 * The vault under a real crash and under concurrency, beside tests/integration/secrets/vault.test.ts
 * (which simulates a failed rename in-process): a writer process killed with SIGKILL mid-write
 * leaves an index that parses and whose every key decrypts. Runs under scripts/with-keyring.sh.
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { Keychain } from '../../../src/main/secrets/keychain'
import { DATA_KEY_ACCOUNT, KeyVault } from '../../../src/main/secrets/vault'
import { generateKey, shutdownKeyPool } from '../../../src/main/pki/keys'
import { tempDir } from '../../support/tools'

const service = `certdesk-test-${randomBytes(6).toString('hex')}`
const keychain = new Keychain(service)
const dir = tempDir('certdesk-vault-crash-')

afterAll(async () => {
  await keychain.delete(DATA_KEY_ACCOUNT)
  dir.remove()
  await shutdownKeyPool()
})

describe('KeyVault durability', () => {
  test('a writer killed with SIGKILL at arbitrary moments leaves every listed key readable', async () => {
    await keychain.delete(DATA_KEY_ACCOUNT)
    const folder = join(dir.path, 'crash')
    const jiti = join(process.cwd(), 'node_modules', '.bin', 'jiti')
    const writer = join(process.cwd(), 'tests', 'integration', 'pki', 'vault-writer.ts')
    const first = await new KeyVault(folder, keychain).save({
      privateKey: (await generateKey('ec-p256')).privateKey,
      label: 'before the crashes',
    })
    let listed = 1
    for (const ms of [120, 210, 290, 370]) {
      const child = spawn(jiti, [writer, folder, service], { stdio: ['ignore', 'pipe', 'inherit'] })
      await once(child.stdout, 'data')
      await new Promise((resolve) => setTimeout(resolve, ms))
      child.kill('SIGKILL')
      await once(child, 'exit')
      const problems: unknown[] = []
      const reopened = new KeyVault(folder, keychain, { onProblem: (p) => problems.push(p) })
      // The index was never half-written (a corrupt one would have been moved aside and reported).
      expect(problems).toEqual([])
      const entries = reopened.list()
      expect(entries.length).toBeGreaterThanOrEqual(listed)
      listed = entries.length
      expect(entries.some((e) => e.id === first.id)).toBe(true)
      // No listed key points at a missing or half-written file.
      for (const e of entries) expect((await reopened.privateKey(e.id)).type).toBe('private')
      const files = readdirSync(join(folder, 'keys'))
      for (const e of entries) expect(files).toContain(`${e.id}.key`)
    }
    // The writer really was interrupted while saving, repeatedly.
    expect(listed).toBeGreaterThan(1)
  }, 60_000)
})
