/** The app's services and IPC handlers in a test: no Electron, no OS keychain. */
import { dispatch, type CallContext, type Handlers } from '../../src/main/dispatch'

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
