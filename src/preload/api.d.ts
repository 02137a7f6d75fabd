import type { BridgeApi } from '../shared/api'

declare global {
  interface Window {
    /** Exposed by src/preload/index.ts (or the browser test bridge); typed from the contract. */
    readonly certdesk: BridgeApi
  }
}

export {}
