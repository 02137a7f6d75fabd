/** The runtime fixer (This machine → Verify → runtimes): fix and undo, confirmed in main; each resolves to a Result. */
import type { RuntimeFixReport, RuntimeUndoReport, FixRuntimeName } from '../../../shared/contract/runtimes'
import type { Result } from '../../../shared/errors'
import type { SliceCreator } from '.'
import { attempt } from '../api'

export interface RuntimesSlice {
  fixRuntimes(certificatePem: string, runtimes: FixRuntimeName[]): Promise<Result<RuntimeFixReport>>
  undoRuntimes(certificatePem: string): Promise<Result<RuntimeUndoReport>>
}

export const createRuntimesSlice: SliceCreator<RuntimesSlice> = (_set, get, api) => ({
  fixRuntimes: async (certificatePem, runtimes) => {
    const result = await attempt(() => api.runtimes.fix({ certificatePem, runtimes }))
    if (result.ok) {
      const { fixes } = result.value
      const failed = fixes.filter((f) => f.status === 'failed')
      const skipped = fixes.filter((f) => f.status === 'skipped')
      if (failed.length)
        get().toast('error', `Could not fix ${failed.map((f) => f.runtime).join(', ')}.`, failed[0]?.hint ?? failed[0]?.message)
      else if (skipped.length === fixes.length) get().toast('info', 'Nothing to fix here.', skipped.map((f) => f.message).join(' '))
      else get().toast('success', 'Runtimes fixed: new terminals (login shells) get the settings.')
    } else get().report(result)
    return result
  },
  undoRuntimes: async (certificatePem) => {
    const result = await attempt(() => api.runtimes.undo({ certificatePem }))
    get().report(result, result.ok ? (result.value.note ?? `Runtime fix undone: ${result.value.files.length} files put back.`) : undefined)
    return result
  },
})
