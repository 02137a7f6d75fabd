/**
 * Zero Trust Gateway certificates of an account: list with the one in use for inspection, create a
 * Cloudflare-generated one, activate and watch it deploy (job + progress), turn it on for
 * inspection, deactivate, delete.
 */
import type { GatewayCertificateSummary } from '../../../shared/cloudflare-model'
import type { CertificateCheck } from '../../../shared/lint-model'
import type { VaultEntry } from '../../../shared/pki-model'
import type { SliceCreator } from '.'
import { errorText } from '../api'
import type { AccountKey } from './roots'

/** A BYOPKI root, generated or imported, with both lint results; key null when an import was refused. */
export type ImportedRoot = { key: VaultEntry | null; certificatePem: string; strict: CertificateCheck; gateway: CertificateCheck }
export type ImportRootRequest = { certificatePem: string; keyPem: string; passphrase?: string }

export interface GatewaySlice {
  gatewayCerts: GatewayCertificateSummary[]
  /** The certificate the account's Gateway configuration names for inspection, if any. */
  inspectionId: string | null
  gatewayKey: string | null
  gatewayLoading: boolean
  gatewayError: { message: string; hint?: string } | null
  loadGateway(key: AccountKey): Promise<void>
  createGatewayCert(key: AccountKey, validityDays: number): Promise<GatewayCertificateSummary | null>
  /** Activates and waits until `available`, following progress on jobId. */
  activateGatewayCert(key: AccountKey, id: string, jobId: string): Promise<GatewayCertificateSummary | null>
  useForInspection(key: AccountKey, id: string): Promise<boolean>
  deactivateGatewayCert(key: AccountKey, id: string): Promise<boolean>
  deleteGatewayCert(key: AccountKey, id: string): Promise<boolean>
  /** An existing corporate root and its key, matched and linted in main; vaulted when Gateway can use it. */
  importGatewayRoot(request: ImportRootRequest): Promise<ImportedRoot | { error: { message: string; hint?: string } }>
}

const keyOf = (key: AccountKey) => `${key.profileId}/${key.accountId}`
const short = (id: string) => id.slice(0, 8)

export const createGatewaySlice: SliceCreator<GatewaySlice> = (set, get, api) => {
  const refresh = async (key: AccountKey) => {
    if (get().gatewayKey === keyOf(key)) await get().loadGateway(key)
  }
  const act = async (key: AccountKey, work: () => Promise<unknown>, success: string): Promise<boolean> => {
    try {
      await work()
      get().toast('success', success)
      return true
    } catch (error) {
      get().toastError(error)
      return false
    } finally {
      await refresh(key)
    }
  }
  return {
    gatewayCerts: [],
    inspectionId: null,
    gatewayKey: null,
    gatewayLoading: false,
    gatewayError: null,
    loadGateway: async (key) => {
      const k = keyOf(key)
      set({
        gatewayLoading: true,
        gatewayError: null,
        ...(get().gatewayKey === k ? {} : { gatewayCerts: [], inspectionId: null, gatewayKey: k }),
      })
      try {
        const [certs, inspection] = await Promise.all([api.gateway.list({ ...key }), api.gateway.inspectionCertificate({ ...key })])
        if (get().gatewayKey === k) set({ gatewayCerts: certs, inspectionId: inspection.certificateId, gatewayLoading: false })
      } catch (error) {
        if (get().gatewayKey === k) set({ gatewayError: errorText(error), gatewayLoading: false })
      }
    },
    createGatewayCert: async (key, validityDays) => {
      try {
        const cert = await api.gateway.create({ ...key, validityDays })
        get().toast('success', `Created Gateway certificate ${short(cert.id)}. Activate it to deploy it.`)
        await refresh(key)
        return cert
      } catch (error) {
        get().toastError(error)
        return null
      }
    },
    activateGatewayCert: async (key, id, jobId) => {
      try {
        const cert = await api.gateway.activate({ ...key, id, wait: true, jobId })
        get().toast('success', `Gateway certificate ${short(id)} is ${cert.bindingStatus ?? 'activated'}.`)
        return cert
      } catch (error) {
        get().toastError(error)
        return null
      } finally {
        get().endJob(jobId)
        await refresh(key)
      }
    },
    useForInspection: (key, id) =>
      act(key, () => api.gateway.useForInspection({ ...key, id }), `Gateway now signs inspected traffic with certificate ${short(id)}.`),
    deactivateGatewayCert: (key, id) =>
      act(key, () => api.gateway.deactivate({ ...key, id }), `Deactivating Gateway certificate ${short(id)}.`),
    importGatewayRoot: async (request) => {
      try {
        const root = await api.gateway.importRoot(request)
        if (root.key) void get().loadKeys()
        return root
      } catch (error) {
        return { error: errorText(error) }
      }
    },
    deleteGatewayCert: (key, id) => act(key, () => api.gateway.delete({ ...key, id }), `Deleted Gateway certificate ${short(id)}.`),
  }
}
