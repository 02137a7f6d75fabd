/**
 * Deploying a root to a fleet, and watching it arrive. "Export for fleet…" asks main for the kit (main asks where,
 * and confirms before writing into a folder that holds files); a cancelled folder dialog is quiet.
 * The Fleet screen: coverage from a folder of machine trust reports (chosen in main's dialog), and the Gateway
 * root rollover runbook of the chosen account. Main keeps the folder and the runbook; this slice keeps what the
 * screen shows. Each action resolves to a Result; failures are toasted unless the caller shows them.
 */
import type { FleetKitResult } from '../../../shared/contract/fleet'
import type { RolloverState } from '../../../shared/contract/rollover'
import type { Failure, Result } from '../../../shared/errors'
import type { Coverage } from '../../../shared/report-model'
import type { SliceCreator } from '.'
import { attempt } from '../api'
import type { AccountScope } from './scope'

export interface FleetSlice {
  fleetCoverage: Coverage | null
  fleetBusy: boolean
  fleetError: Failure | null
  /** The runbook of the account last loaded (null: none started), and which account that is. */
  rollover: { scope: AccountScope; state: RolloverState | null } | null
  /** Write the fleet kit of a root into a folder the user chooses in main. */
  exportFleetKit(certificatePem: string): Promise<Result<FleetKitResult>>
  importReports(): Promise<void>
  refreshReports(): Promise<void>
  /** Save this machine's report on a root (verified again in main) where the user chooses. */
  saveTrustReport(input: string, host?: string): Promise<Result<{ json: string; html: string } | null>>
  loadRollover(scope: AccountScope): Promise<void>
  /** One runbook action; the new state replaces the shown one. */
  rolloverAction(
    scope: AccountScope,
    action: 'start' | 'exportKit' | 'kitExported' | 'recordCoverage' | 'switch' | 'retire' | 'abandon' | 'setThreshold',
    extra?: { certificateId?: string; create?: boolean; thresholdPercent?: number },
  ): Promise<Result<unknown>>
}

const DONE: Record<Parameters<FleetSlice['rolloverAction']>[1], string> = {
  start: 'Rollover started.',
  exportKit: 'Wrote the new root’s fleet kit.',
  kitExported: 'Marked the fleet kit as exported.',
  recordCoverage: 'Coverage recorded from the imported reports.',
  switch: 'Gateway now inspects with the new root.',
  retire: 'The old root was retired.',
  abandon: 'Rollover abandoned.',
  setThreshold: 'Threshold saved.',
}

export const createFleetSlice: SliceCreator<FleetSlice> = (set, get, api) => {
  const coverageCall = async (work: () => Promise<Coverage | null>) => {
    set({ fleetBusy: true, fleetError: null })
    const result = await attempt(work)
    if (result.ok) {
      if (result.value) set({ fleetCoverage: result.value })
    } else set({ fleetError: result.error })
    set({ fleetBusy: false })
  }
  return {
    fleetCoverage: null,
    fleetBusy: false,
    fleetError: null,
    rollover: null,
    exportFleetKit: async (certificatePem) => {
      const result = await attempt(() => api.fleet.exportKit({ certificatePem }))
      if (result.ok && result.value.folder === null) return result
      const written = result.ok ? `Wrote the fleet kit (${result.value.files.length} files) to ${result.value.folder}.` : undefined
      get().report(result, written)
      return result
    },
    importReports: () => coverageCall(() => api.reports.import()),
    refreshReports: () => coverageCall(() => api.reports.refresh()),
    saveTrustReport: async (input, host) => {
      const result = await attempt(() => api.reports.save({ input, ...(host ? { host } : {}) }))
      get().report(result, result.ok && result.value ? `Saved ${result.value.json} and its HTML page.` : undefined)
      return result
    },
    loadRollover: async (scope) => {
      const result = await attempt(() => api.rollover.status(scope))
      if (result.ok) set({ rollover: { scope, state: result.value } })
      else get().report(result)
    },
    rolloverAction: async (scope, action, extra = {}) => {
      let quiet = false
      const result = await attempt(async (): Promise<RolloverState | null> => {
        switch (action) {
          case 'start':
            return api.rollover.start({ ...scope, ...extra })
          case 'setThreshold':
            return api.rollover.setThreshold({ ...scope, thresholdPercent: extra.thresholdPercent ?? 95 })
          case 'abandon':
            await api.rollover.abandon(scope)
            return null
          case 'exportKit': {
            const { state, kit } = await api.rollover.exportKit(scope)
            // A cancelled folder dialog: nothing written, nothing to say.
            if (kit.folder === null) quiet = true
            return state
          }
          case 'recordCoverage':
            return (await api.rollover.recordCoverage(scope)) ?? get().rollover?.state ?? null
          default:
            return api.rollover[action](scope)
        }
      })
      if (result.ok) set({ rollover: { scope, state: result.value } })
      if (!(result.ok && quiet)) get().report(result, DONE[action])
      return result
    },
  }
}
