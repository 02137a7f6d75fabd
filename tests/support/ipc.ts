/**
 * Calling the app's channels the way IPC does (dispatch over the real handlers), and a keychain kept in memory, for
 * integration tests that build the services themselves.
 */
import { dispatch, type Handlers } from '../../src/main/dispatch'

/** A SecretStore in memory: what the keychain would hold, for this test only. */
export function memorySecrets() {
  const map = new Map<string, string>()
  return {
    get: async (k: string) => map.get(k) ?? null,
    set: async (k: string, v: string) => void map.set(k, v),
    delete: async (k: string) => map.delete(k),
  }
}

/** `call(channel, request)`: the value, or the failure thrown as an Error carrying its code, message and hint. */
export function ipcCaller(handlers: Handlers) {
  return async <T>(channel: string, request?: unknown): Promise<T> => {
    const result = await dispatch(handlers, channel, request, { emit: () => undefined })
    if (!result.ok) throw Object.assign(new Error(result.error.message), result.error)
    return result.value as T
  }
}
