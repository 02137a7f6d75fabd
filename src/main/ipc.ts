/**
 * Binds the contract to Electron IPC. Every call is checked to come from the app's own main frame
 * at the app's own origin, then validated and run by dispatch.ts. Only types are imported from
 * Electron, so this file is unit-tested with stand-ins for ipcMain and the window.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron'
import { eventChannel } from '../shared/channels'
import { CHANNELS } from '../shared/contract'
import type { IpcResult } from '../shared/errors'
import { dispatch, type CallContext, type Handlers } from './dispatch'

export interface TrustedWindow {
  /** The window's WebContents, or null once it is gone. */
  webContents(): Pick<WebContents, 'id' | 'mainFrame' | 'send' | 'isDestroyed'> | null
  /** Origins the app's page may have: app://certdesk, or the dev server in development. */
  allowedOrigins: readonly string[]
}

function originOf(url: string): string | null {
  try {
    const parsed = new URL(url)
    // Custom schemes report origin "null"; rebuild it from protocol and host.
    return parsed.origin !== 'null' ? parsed.origin : `${parsed.protocol}//${parsed.host}`
  } catch {
    return null
  }
}

/** True only for the top frame of our own window, showing our own page. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, window: TrustedWindow): boolean {
  const contents = window.webContents()
  const frame: WebFrameMain | null = event.senderFrame
  if (!contents || contents.isDestroyed() || !frame) return false
  if (event.sender.id !== contents.id) return false
  if (frame !== contents.mainFrame || frame.parent !== null) return false
  const origin = originOf(frame.url)
  return origin !== null && window.allowedOrigins.includes(origin)
}

export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  window: TrustedWindow,
  handlers: Handlers,
  log: (message: string, error?: unknown) => void,
): () => void {
  const context: CallContext = {
    emit(event, payload) {
      const contents = window.webContents()
      if (contents && !contents.isDestroyed()) contents.send(eventChannel(event), payload)
    },
  }
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, async (event, payload: unknown): Promise<IpcResult<unknown>> => {
      if (!isTrustedSender(event, window)) {
        log(`Refused IPC "${channel}" from an untrusted frame (${event.senderFrame?.url ?? 'no frame'})`)
        return { ok: false, error: { code: 'forbidden_sender', message: 'This call did not come from the Certdesk window.' } }
      }
      return dispatch(handlers, channel, payload, context, (ch, error) => log(`IPC handler "${ch}" failed`, error))
    })
  }
  return () => {
    for (const channel of CHANNELS) ipcMain.removeHandler(channel)
  }
}
