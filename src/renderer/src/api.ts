/**
 * The renderer's typed client: wraps the bridge (the preload's `window.certdesk`, or the test
 * bridge) so each call resolves to its value or throws an AppError carrying code and hint.
 */
import type { BridgeApi, ClientApi } from '../../shared/api'
import { CHANNELS } from '../../shared/channels'
import { AppError, type IpcResult } from '../../shared/errors'

export function createClient(bridge: BridgeApi): ClientApi {
  const raw = bridge as unknown as Record<string, Record<string, (request?: unknown) => Promise<IpcResult<unknown>>>>
  const client: Record<string, Record<string, (request?: unknown) => Promise<unknown>>> = {}
  for (const channel of CHANNELS) {
    const [namespace, verb] = channel.split(':') as [string, string]
    const call = raw[namespace]?.[verb]
    if (!call) throw new Error(`The bridge does not expose ${channel}`)
    ;(client[namespace] ??= {})[verb] = async (request?: unknown) => {
      const result = await call(request)
      if (result.ok) return result.value
      throw new AppError(result.error.code, result.error.message, {
        ...(result.error.hint === undefined ? {} : { hint: result.error.hint }),
        ...(result.error.details === undefined ? {} : { details: result.error.details }),
      })
    }
  }
  return { ...client, on: bridge.on.bind(bridge) } as unknown as ClientApi
}

/** A failure as the views show it; `cancelled` (the user said no to main's confirmation) is shown calmly. */
export function errorText(error: unknown): { message: string; hint?: string; cancelled?: true } {
  if (error instanceof AppError) {
    return {
      message: error.message,
      ...(error.hint ? { hint: error.hint } : {}),
      ...(error.code === 'cancelled' ? { cancelled: true as const } : {}),
    }
  }
  return { message: error instanceof Error ? error.message : String(error) }
}
