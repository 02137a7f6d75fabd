/**
 * The sandboxed preload: exposes `window.certdesk` with one function per contract channel and a
 * typed event subscription. It is one CommonJS file that requires nothing but `electron`: the channel
 * names are written into it at build time from the contract (electron.vite.config.ts), so zod never
 * reaches it; validation happens in main, where it counts.
 */
import { contextBridge, ipcRenderer } from 'electron'
import { buildBridgeApi } from '../shared/api'
import { EVENTS } from '../shared/channels'

/** The contract's channel names, written in by the build. */
declare const __CERTDESK_CHANNELS__: readonly string[]

const api = buildBridgeApi(
  __CERTDESK_CHANNELS__,
  EVENTS,
  (channel, request) => ipcRenderer.invoke(channel, request),
  (event, listener) => {
    const channel = `event:${event}`
    const wrapped = (_event: unknown, payload: unknown) => listener(payload)
    ipcRenderer.on(channel, wrapped)
    return () => {
      ipcRenderer.removeListener(channel, wrapped)
    }
  },
)

contextBridge.exposeInMainWorld('certdesk', api)
