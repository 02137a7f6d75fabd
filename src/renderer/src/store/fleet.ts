/**
 * Deploying a root to a fleet: "Export for fleet…" asks main for the kit (main asks where, and confirms before
 * writing into a folder that holds files). A cancelled folder dialog is quiet; a written kit says where it went.
 */
import type { FleetKitResult } from '../../../shared/contract/fleet'
import type { Result } from '../../../shared/errors'
import type { SliceCreator } from '.'
import { attempt } from '../api'

export interface FleetSlice {
  exportFleetKit(certificatePem: string): Promise<Result<FleetKitResult>>
}

export const createFleetSlice: SliceCreator<FleetSlice> = (_set, get, api) => ({
  exportFleetKit: async (certificatePem) => {
    const result = await attempt(() => api.fleet.exportKit({ certificatePem }))
    if (result.ok && result.value.folder === null) return result
    const written = result.ok ? `Wrote the fleet kit (${result.value.files.length} files) to ${result.value.folder}.` : undefined
    get().report(result, written)
    return result
  },
})
