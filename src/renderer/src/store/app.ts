import type { Result } from '../../../shared/errors'
import type { AppInfo } from '../../../shared/model'
import type { SliceCreator } from '.'
import { attempt } from '../api'

export interface AppSlice {
  info: AppInfo | null
  loadInfo(): Promise<Result<AppInfo>>
}

export const createAppSlice: SliceCreator<AppSlice> = (set, get, api) => ({
  info: null,
  loadInfo: async () => {
    const result = await attempt(() => api.app.info())
    if (result.ok) set({ info: result.value })
    get().report(result)
    return result
  },
})
