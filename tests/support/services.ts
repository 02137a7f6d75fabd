/** The app's services and IPC handlers in a test: no Electron, no OS keychain. */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { dispatch, type CallContext, type Handlers } from '../../src/main/dispatch'
import { createHandlers } from '../../src/main/handlers'
import { createServices } from '../../src/main/services'
import type { Profile } from '../../src/shared/model'

/** A secret store in memory, in place of the OS keychain: what services keep there lasts as long as the test file. */
export function memorySecrets() {
  const map = new Map<string, string>()
  return {
    get: async (k: string) => map.get(k) ?? null,
    set: async (k: string, v: string) => void map.set(k, v),
    delete: async (k: string) => map.delete(k),
  }
}

/**
 * `call(channel, request)` through the real dispatch (zod-checked both ways) to `handlers`: the value, or a thrown Error
 * carrying the failure's code, message and hint. `record` collects every raw result, failures too. Handlers made in a
 * hook are given as a function that returns them.
 */
export function ipcCaller(handlers: Handlers | (() => Handlers), options: { context?: CallContext; record?: unknown[] } = {}) {
  const context = options.context ?? { emit: () => undefined }
  return async <T>(channel: string, request?: unknown): Promise<T> => {
    const result = await dispatch(typeof handlers === 'function' ? handlers() : handlers, channel, request, context)
    options.record?.push(result)
    if (!result.ok) throw Object.assign(new Error(result.error.message), result.error)
    return result.value as T
  }
}

/**
 * The app's composition root on a fresh user-data folder (secrets in memory) with its IPC handlers, and the app's own
 * Sandbox profile, added through `profiles:add` before the file's tests; the services are closed after them.
 */
export function sandboxProfileApp(prefix: string, options: Partial<Parameters<typeof createServices>[0]> = {}) {
  const services = createServices({
    userDataDir: mkdtempSync(join(tmpdir(), prefix)),
    appVersion: 'test',
    secrets: memorySecrets(),
    ...options,
  })
  const call = ipcCaller(createHandlers(services))
  let profile: Profile | undefined
  beforeAll(async () => {
    profile = await call<Profile>('profiles:add', { kind: 'sandbox', name: 'Sandbox' })
  })
  afterAll(() => services.close())
  return {
    services,
    call,
    /** The Sandbox profile (from beforeAll on). */
    get profile(): Profile {
      if (!profile) throw new Error('sandboxProfileApp: the profile is added in beforeAll')
      return profile
    },
  }
}
