/**
 * The shape of `window.certdesk`, derived from the contract, and the one function that builds it.
 * The preload and the browser test bridge both call `buildBridgeApi`, so neither keeps a
 * second hand-written list of channels. It must stay self-contained (no imports at run time):
 * the test harness injects its source text into the page.
 */
import type { Channel, EventName } from './channels'
import type { EventPayloadOf, RequestOf, ResponseOf } from './contract'
import type { IpcResult } from './errors'

type NamespaceOf<C extends string> = C extends `${infer N}:${string}` ? N : never
type VerbOf<C extends string, N extends string> = C extends `${N}:${infer V}` ? V : never
type ArgsOf<C extends Channel> = undefined extends RequestOf<C> ? [request?: RequestOf<C>] : [request: RequestOf<C>]

/** Raw bridge: every call resolves to an IpcResult; nothing throws across the boundary. */
export type BridgeApi = {
  [N in NamespaceOf<Channel>]: {
    [V in VerbOf<Channel, N>]: `${N}:${V}` extends infer C extends Channel
      ? (...args: ArgsOf<C>) => Promise<IpcResult<ResponseOf<C>>>
      : never
  }
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayloadOf<E>) => void): () => void
}

/** The same, unwrapped: resolves to the value or throws an AppError. Used inside the renderer. */
export type ClientApi = {
  [N in NamespaceOf<Channel>]: {
    [V in VerbOf<Channel, N>]: `${N}:${V}` extends infer C extends Channel ? (...args: ArgsOf<C>) => Promise<ResponseOf<C>> : never
  }
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayloadOf<E>) => void): () => void
}

export function buildBridgeApi(
  channels: readonly string[],
  events: readonly string[],
  invoke: (channel: string, request: unknown) => Promise<unknown>,
  subscribe: (event: string, listener: (payload: unknown) => void) => () => void,
): BridgeApi {
  const api: Record<string, Record<string, (request?: unknown) => Promise<unknown>>> = {}
  for (const channel of channels) {
    const [namespace, verb] = channel.split(':') as [string, string]
    const group = (api[namespace] ??= {})
    group[verb] = (request?: unknown) => invoke(channel, request)
  }
  const on = (event: string, listener: (payload: unknown) => void): (() => void) => {
    if (!events.includes(event)) throw new Error(`Unknown event "${event}"`)
    return subscribe(event, listener)
  }
  return Object.freeze({ ...api, on }) as unknown as BridgeApi
}
