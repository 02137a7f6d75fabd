/**
 * A fake `window.certdesk` for the renderer store's unit tests: the real bridge builder and typed
 * client over a table of channel handlers, so a handler's AppError crosses as an IpcResult exactly as
 * it does from main. Channels without a handler fail loudly, naming the channel.
 */
import { buildBridgeApi } from '../../../src/shared/api'
import { EVENTS } from '../../../src/shared/channels'
import { CHANNELS } from '../../../src/shared/contract'
import { AppError } from '../../../src/shared/errors'
import { createClient } from '../../../src/renderer/src/api'
import { createAppStore } from '../../../src/renderer/src/store'

export type Handler = (request: never) => unknown

export function fakeStore(handlers: Record<string, Handler>) {
  const calls: { channel: string; request: unknown }[] = []
  const listeners = new Map<string, ((payload: unknown) => void)[]>()
  const invoke = async (channel: string, request: unknown) => {
    calls.push({ channel, request })
    const handler = handlers[channel]
    try {
      if (!handler) throw new AppError('unknown_channel', `The fake bridge has no handler for ${channel}`)
      return { ok: true, value: await handler(request as never) }
    } catch (error) {
      const shape = error instanceof AppError ? error.toShape() : { code: 'internal', message: String(error) }
      return { ok: false, error: shape }
    }
  }
  const subscribe = (event: string, listener: (payload: unknown) => void) => {
    listeners.set(event, [...(listeners.get(event) ?? []), listener])
    return () =>
      listeners.set(
        event,
        (listeners.get(event) ?? []).filter((l) => l !== listener),
      )
  }
  const store = createAppStore(createClient(buildBridgeApi(CHANNELS, EVENTS, invoke, subscribe)))
  return { store, calls, emit: (event: string, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload)) }
}

/** A promise settled from outside: lets a test answer requests in the order it chooses. */
export function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/** Lets pending promise callbacks run. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 0))
