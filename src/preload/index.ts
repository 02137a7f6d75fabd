/**
 * The sandboxed preload: exposes `window.certdesk` with one function per contract channel and a
 * typed event subscription. It imports only channel names (bundled into one CommonJS file that
 * requires nothing but `electron`); validation happens in main, where it counts.
 */
import { contextBridge, ipcRenderer } from 'electron'
import { buildBridgeApi } from '../shared/api'
import { CHANNELS, EVENTS } from '../shared/channels'

const api = buildBridgeApi(
  CHANNELS,
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
