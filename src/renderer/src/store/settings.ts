import type { Settings, SettingsPatch } from '../../../shared/model'
import type { SliceCreator } from '.'

export interface SettingsSlice {
  settings: Settings | null
  loadSettings(): Promise<void>
  updateSettings(patch: SettingsPatch): Promise<void>
}

export const createSettingsSlice: SliceCreator<SettingsSlice> = (set, get, api) => ({
  settings: null,
  loadSettings: async () => {
    try {
      set({ settings: await api.settings.get() })
    } catch (error) {
      get().toastError(error)
    }
  },
  updateSettings: async (patch) => {
    try {
      set({ settings: await api.settings.set(patch) })
    } catch (error) {
      get().toastError(error)
    }
  },
})
