/**
 * The renderer's typed client: wraps the bridge (the preload's `window.certdesk`, or the test
 * bridge) so each call resolves to its value or throws an AppError carrying code and hint. It wraps
 * what the bridge exposes; the bridge was built from the contract's channel names.
 */
import type { BridgeApi, ClientApi } from '../../shared/api'
import { AppError, type Failure, type IpcResult, type Result } from '../../shared/errors'

export function createClient(bridge: BridgeApi): ClientApi {
  const raw = bridge as unknown as Record<string, Record<string, (request?: unknown) => Promise<IpcResult<unknown>>>>
  const client: Record<string, Record<string, (request?: unknown) => Promise<unknown>>> = {}
  for (const [namespace, verbs] of Object.entries(raw)) {
    if (typeof verbs !== 'object' || verbs === null) continue
    for (const [verb, call] of Object.entries(verbs)) {
      ;(client[namespace] ??= {})[verb] = async (request?: unknown) => {
        const result = await call(request)
        if (result.ok) return result.value
        throw new AppError(result.error.code, result.error.message, {
          ...(result.error.hint === undefined ? {} : { hint: result.error.hint }),
          ...(result.error.details === undefined ? {} : { details: result.error.details }),
        })
      }
    }
  }
  return { ...client, on: bridge.on.bind(bridge) } as unknown as ClientApi
}

/** Any thrown value as the one failure shape the store and views keep (`code: 'cancelled'` is shown calmly). */
export function toFailure(error: unknown): Failure {
  if (error instanceof AppError) return { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) }
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) }
}

/** Runs one call and resolves to its Result: the value, or the failure it threw. */
export async function attempt<T>(work: () => Promise<T>): Promise<Result<T>> {
  try {
    return { ok: true, value: await work() }
  } catch (error) {
    return { ok: false, error: toFailure(error) }
  }
}
