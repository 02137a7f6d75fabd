/**
 * The cf command modules are loaded for every `certdesk cf …` (and `--help`): building or even loading the
 * app's composition root (storage, vault, trust stores, Sandbox) is left to the commands that need it.
 */
import { expect, test, vi } from 'vitest'

vi.mock('../../src/main/services', () => {
  throw new Error('the composition root was loaded with the cf command modules')
})

test('loading the cf command modules does not load the composition root', async () => {
  for (const load of [
    () => import('../../src/cli/commands/cf'),
    () => import('../../src/cli/commands/mtls'),
    () => import('../../src/cli/commands/hostnames'),
    () => import('../../src/cli/commands/mtls-probe'),
  ]) {
    await expect(load()).resolves.toBeDefined()
  }
})
