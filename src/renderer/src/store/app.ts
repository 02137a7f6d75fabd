import type { Result } from '../../../shared/errors'
import type { AppInfo } from '../../../shared/model'
import type { SliceCreator } from '.'
import { loadInto } from './load'

export interface AppSlice {
  info: AppInfo | null
  loadInfo(): Promise<Result<AppInfo>>
}

export const createAppSlice: SliceCreator<AppSlice> = (set, get, api) => ({
  info: null,
  loadInfo: () => loadInto(set, get, 'info', () => api.app.info()),
})
