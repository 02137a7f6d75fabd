/**
 * Validates and runs one contract call. Shared by the Electron IPC binding (ipc.ts) and the browser
 * test bridge, so both enforce exactly the same rules. No Electron here.
 */
import type { Channel, EventName } from '../shared/channels'
import { CHANNELS, contract, type EventPayloadOf, type ParsedRequestOf, type ResponseOf } from '../shared/contract'
import { AppError, type ErrorShape, type IpcResult } from '../shared/errors'
import { describeIssues, issueSentence } from './validation-messages'

export interface CallContext {
  /** Push a typed event (e.g. progress) to the window that made the call. */
  emit<E extends EventName>(event: E, payload: EventPayloadOf<E>): void
}

export type Handlers = {
  [C in Channel]: (request: ParsedRequestOf<C>, context: CallContext) => Promise<ResponseOf<C>> | ResponseOf<C>
}

const knownChannels: ReadonlySet<string> = new Set(CHANNELS)

export function isChannel(name: string): name is Channel {
  return knownChannels.has(name)
}

/** Map anything thrown to the IPC error shape; unknown errors are logged by the caller, not shown. */
export function toErrorShape(error: unknown): ErrorShape {
  if (error instanceof AppError) return error.toShape()
  return { code: 'internal', message: 'Something went wrong inside Certdesk. The details are in the log.' }
}

export async function dispatch(
  handlers: Handlers,
  channel: string,
  payload: unknown,
  context: CallContext,
  onInternalError: (channel: string, error: unknown) => void = () => {},
): Promise<IpcResult<unknown>> {
  if (!isChannel(channel)) {
    return { ok: false, error: { code: 'unknown_channel', message: `There is no IPC channel named "${channel}".` } }
  }
  const spec = contract[channel]
  const parsed = spec.request.safeParse(payload, { error: issueSentence })
  if (!parsed.success) {
    return { ok: false, error: { code: 'validation', message: describeIssues(parsed.error), details: { channel } } }
  }
  try {
    const handler = handlers[channel] as (request: unknown, context: CallContext) => unknown
    const value = await handler(parsed.data, context)
    // Parsing the response strips any field the contract does not name, so nothing extra
    // (a token, a key) can leak to the renderer by accident.
    return { ok: true, value: spec.response.parse(value) }
  } catch (error) {
    if (!(error instanceof AppError)) onInternalError(channel, error)
    return { ok: false, error: toErrorShape(error) }
  }
}
