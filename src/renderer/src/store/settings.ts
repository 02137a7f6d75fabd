import type { Result } from '../../../shared/errors'
import type { Settings, SettingsPatch } from '../../../shared/model'
import type { SliceCreator } from '.'
import { attempt } from '../api'

export interface SettingsSlice {
  settings: Settings | null
  loadSettings(): Promise<Result<Settings>>
  updateSettings(patch: SettingsPatch): Promise<Result<Settings>>
}

export const createSettingsSlice: SliceCreator<SettingsSlice> = (set, get, api) => {
  /** Both read the settings main keeps; what they answer replaces the ones shown. */
  const settle = async (work: () => Promise<Settings>) => {
    const result = await attempt(work)
    if (result.ok) set({ settings: result.value })
    get().report(result)
    return result
  }
  return {
    settings: null,
    loadSettings: () => settle(() => api.settings.get()),
    updateSettings: (patch) => settle(() => api.settings.set(patch)),
  }
}
