import type { AppInfo } from '../../../shared/model'
import type { SliceCreator } from '.'

export interface AppSlice {
  info: AppInfo | null
  loadInfo(): Promise<void>
}

export const createAppSlice: SliceCreator<AppSlice> = (set, get, api) => ({
  info: null,
  loadInfo: async () => {
    try {
      set({ info: await api.app.info() })
    } catch (error) {
      get().toastError(error)
    }
  },
})
