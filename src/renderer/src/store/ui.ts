import type { Result } from '../../../shared/errors'
import type { SliceCreator } from '.'

export const SCREENS = [
  { id: 'client-certs', label: 'Client certificates', shortcut: '1' },
  { id: 'roots', label: 'Roots & CAs', shortcut: '2' },
  { id: 'gateway', label: 'Gateway inspection', shortcut: '3' },
  { id: 'origin', label: 'Origin', shortcut: '4' },
  { id: 'machine', label: 'This machine', shortcut: '5' },
  { id: 'activity', label: 'Activity', shortcut: '6' },
  { id: 'settings', label: 'Settings', shortcut: '7' },
  { id: 'keys', label: 'Keys', shortcut: '8' },
  { id: 'expiry', label: 'Expiry radar', shortcut: '9' },
  { id: 'fleet', label: 'Fleet', shortcut: '0' },
] as const

export type ScreenId = (typeof SCREENS)[number]['id']

export interface Toast {
  id: number
  kind: 'success' | 'error' | 'info'
  message: string
  hint?: string
}

export interface UiSlice {
  screen: ScreenId
  toasts: Toast[]
  /** The zone each profile's zone-scoped screens show (client certificates, hostnames), by profile id. */
  zoneChoice: Record<string, string>
  /** The account each profile's account-scoped screens show (roots, Gateway), by profile id. */
  accountChoice: Record<string, string>
  go(screen: ScreenId): void
  chooseZone(profileId: string, zoneId: string): void
  chooseAccount(profileId: string, accountId: string): void
  toast(kind: Toast['kind'], message: string, hint?: string): void
  /**
   * The one way an action reports its Result: `success` (when given) as a toast; the failure as a toast too
   * (calmly when cancelled), unless `inPlace` says the screen that asked shows it in place.
   */
  report(result: Result<unknown>, success?: string, inPlace?: boolean): void
  dismissToast(id: number): void
}

let nextToastId = 1
/** How long a toast stays: an error longer, to be read and acted on; each has a Dismiss button too. */
export const TOAST_MS: Record<Toast['kind'], number> = { success: 5000, info: 5000, error: 12_000 }

export const createUiSlice: SliceCreator<UiSlice> = (set, get) => ({
  screen: 'client-certs',
  toasts: [],
  zoneChoice: {},
  accountChoice: {},
  go: (screen) => set({ screen }),
  chooseZone: (profileId, zoneId) => set({ zoneChoice: { ...get().zoneChoice, [profileId]: zoneId } }),
  chooseAccount: (profileId, accountId) => set({ accountChoice: { ...get().accountChoice, [profileId]: accountId } }),
  toast: (kind, message, hint) => {
    const toast: Toast = { id: nextToastId++, kind, message, ...(hint ? { hint } : {}) }
    set({ toasts: [...get().toasts, toast].slice(-4) })
    setTimeout(() => get().dismissToast(toast.id), TOAST_MS[kind])
  },
  report: (result, success, inPlace = false) => {
    if (result.ok) {
      if (success) get().toast('success', success)
      return
    }
    if (inPlace) return
    const { code, message, hint } = result.error
    get().toast(code === 'cancelled' ? 'info' : 'error', message, hint)
  },
  dismissToast: (id) => set({ toasts: get().toasts.filter((t) => t.id !== id) }),
})
