/**
 * Zero Trust Gateway certificates of an account, and the one owner of every Gateway action: the
 * list (with the one in use for inspection), create a Cloudflare-generated root, the BYOPKI roots
 * (generate or import, upload), activate and watch it deploy (job + progress), turn it on for
 * inspection, deactivate, delete. Each action resolves to a Result and reports it (ui's `report`);
 * the BYOPKI wizard shows the failures of the steps it shares with the list in place.
 */
import type { GatewayCertificateSummary, GatewayUploadResult } from '../../../shared/cloudflare-model'
import type { Result } from '../../../shared/errors'
import type { CertificateCheck } from '../../../shared/lint-model'
import type { VaultEntry } from '../../../shared/pki-model'
import type { SliceCreator } from '.'
import { attempt } from '../api'
import { emptyList, scopedList, scopeId, type AccountScope, type ScopedList } from './scope'

/** A BYOPKI root with both lint results; for an import, the vault entry is null when the import was refused. */
export type GatewayRoot<K = VaultEntry> = { key: K; certificatePem: string; strict: CertificateCheck; gateway: CertificateCheck }
export type ImportedRoot = GatewayRoot<VaultEntry | null>
export type ImportRootRequest = { certificatePem: string; keyPem: string; passphrase?: string }
export type GatewayRootRequest = { cn: string; o?: string; keyType: 'rsa-2048' | 'rsa-4096'; days: number }

export interface GatewaySlice {
  /** The account's certificates; `inUse` also marks the one its Gateway configuration names for inspection. */
  gatewayCerts: ScopedList<GatewayCertificateSummary>
  loadGateway(account: AccountScope): Promise<void>
  createGatewayCert(account: AccountScope, validityDays: number): Promise<Result<GatewayCertificateSummary>>
  /** Activates and waits until `available`, following progress on jobId. */
  activateGatewayCert(account: AccountScope, id: string, jobId: string, inPlace?: boolean): Promise<Result<GatewayCertificateSummary>>
  useForInspection(account: AccountScope, id: string, inPlace?: boolean): Promise<Result<unknown>>
  deactivateGatewayCert(account: AccountScope, id: string): Promise<Result<unknown>>
  deleteGatewayCert(account: AccountScope, id: string): Promise<Result<unknown>>
  /** A new BYOPKI root: key vaulted, both lints run in main. */
  generateGatewayRoot(request: GatewayRootRequest, jobId: string): Promise<Result<GatewayRoot>>
  /** An existing corporate root and its key, matched and linted in main; vaulted when Gateway can use it. */
  importGatewayRoot(request: ImportRootRequest): Promise<Result<ImportedRoot>>
  uploadGatewayRoot(account: AccountScope, keyId: string, name: string | undefined, jobId: string): Promise<Result<GatewayUploadResult>>
}

const short = (id: string) => id.slice(0, 8)

export const createGatewaySlice: SliceCreator<GatewaySlice> = (set, get, api) => {
  const list = scopedList(set, get, 'gatewayCerts')
  const refresh = async (account: AccountScope) => {
    if (get().gatewayCerts.scope === scopeId.account(account)) await get().loadGateway(account)
  }
  /** One change to the account's Gateway: reported, its job ended, the list read again; the Result returned. */
  const act = async <T>(
    account: AccountScope | null,
    work: () => Promise<T>,
    success: (value: T) => string,
    options: { jobId?: string; inPlace?: boolean } = {},
  ): Promise<Result<T>> => {
    const result = await attempt(work)
    get().report(result, result.ok ? success(result.value) : undefined, options.inPlace)
    if (options.jobId) get().endJob(options.jobId)
    if (account) await refresh(account)
    return result
  }
  return {
    gatewayCerts: emptyList(),
    loadGateway: (account) =>
      list.load(scopeId.account(account), async () => {
        const [certs, inspection] = await Promise.all([api.gateway.list({ ...account }), api.gateway.inspectionCertificate({ ...account })])
        return certs.map((c) => (c.id === inspection.certificateId && !c.inUse ? { ...c, inUse: true } : c))
      }),
    createGatewayCert: (account, validityDays) =>
      act(
        account,
        () => api.gateway.create({ ...account, validityDays }),
        (cert) => `Created Gateway certificate ${short(cert.id)}. Activate it to deploy it.`,
      ),
    activateGatewayCert: (account, id, jobId, inPlace) =>
      act(
        account,
        () => api.gateway.activate({ ...account, id, wait: true, jobId }),
        (cert) => `Gateway certificate ${short(id)} is ${cert.bindingStatus ?? 'activated'}.`,
        { jobId, inPlace },
      ),
    useForInspection: (account, id, inPlace) =>
      act(
        account,
        () => api.gateway.useForInspection({ ...account, id }),
        () => `Gateway now signs inspected traffic with certificate ${short(id)}.`,
        { inPlace },
      ),
    deactivateGatewayCert: (account, id) =>
      act(
        account,
        () => api.gateway.deactivate({ ...account, id }),
        () => `Deactivating Gateway certificate ${short(id)}.`,
      ),
    deleteGatewayCert: (account, id) =>
      act(
        account,
        () => api.gateway.delete({ ...account, id }),
        () => `Deleted Gateway certificate ${short(id)}.`,
      ),
    generateGatewayRoot: (request, jobId) => get().vaulting(() => api.gateway.generateRoot({ ...request, jobId }), jobId),
    importGatewayRoot: async (request) => {
      const result = await attempt(() => api.gateway.importRoot(request))
      get().report(result, undefined, true)
      if (result.ok && result.value.key) void get().loadKeys()
      return result
    },
    uploadGatewayRoot: (account, keyId, name, jobId) =>
      act(
        null,
        () => api.gateway.uploadRoot({ ...account, keyId, ...(name ? { name } : {}), jobId }),
        (uploaded) => `Uploaded the root; Gateway certificate ${short(uploaded.gateway.id)} is ready to activate.`,
        { jobId, inPlace: true },
      ),
  }
}
