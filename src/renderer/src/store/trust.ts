/**
 * This machine's trust stores (the helpdesk screen): which stores there are, their roots (read as
 * a job with progress), and verify / install / remove / probe. Main does the work; this slice keeps
 * what the screen shows; each action resolves to a Result, so the view can show a failure in place.
 */
import type { AccessCertificateSummary, GatewayCertificateSummary } from '../../../shared/cloudflare-model'
import type { ChangeReport, ProbeReport, StoreDescription, StoreListing, VerifyReport } from '../../../shared/truststore-model'
import type { Failure, Result } from '../../../shared/errors'
import type { SliceCreator } from '.'
import { attempt, toFailure } from '../api'
import type { AccountScope } from './scope'

/** The account's roots to verify: the Gateway certificate in use for inspection, the others, and the Access roots. */
export type AccountRoots = {
  inUse: GatewayCertificateSummary | null
  gateway: GatewayCertificateSummary[]
  access: AccessCertificateSummary[]
}

export interface TrustSlice {
  trustStores: StoreDescription[]
  trustStoresLoaded: boolean
  trustListings: StoreListing[]
  /** The job reading the stores, while it runs. */
  trustScanJobId: string | null
  trustScanned: boolean
  trustError: Failure | null
  loadTrustStores(): Promise<void>
  /** Reads every store's roots as a job (progress bar + cancel). */
  scanTrustStores(): Promise<void>
  verifyRoot(input: string, host?: string): Promise<Result<VerifyReport>>
  installRoot(certificatePem: string): Promise<Result<ChangeReport>>
  removeRoot(input: string): Promise<Result<ChangeReport>>
  probeHost(host: string, port: number): Promise<Result<ProbeReport>>
  accountRootsForVerify(account: AccountScope): Promise<Result<AccountRoots>>
}

/** A toast that sums up per-store outcomes: success only when no store failed. */
function summarise(report: ChangeReport, verb: 'Installed' | 'Removed'): { kind: 'success' | 'error'; text: string } {
  const failed = report.outcomes.filter((o) => o.status === 'failed')
  const changed = report.outcomes.filter((o) => o.status === 'installed' || o.status === 'removed')
  const name = report.root?.subject ?? report.fingerprint.slice(0, 16)
  if (failed.length)
    return {
      kind: 'error',
      text: `${failed.length} of ${report.outcomes.length} stores failed for ${name}: ${failed.map((f) => f.label).join(', ')}.`,
    }
  if (changed.length === 0)
    return { kind: 'success', text: `Nothing to change for ${name}: every store already ${verb === 'Installed' ? 'has it' : 'lacks it'}.` }
  return { kind: 'success', text: `${verb} ${name} in ${changed.length} store${changed.length === 1 ? '' : 's'}.` }
}

export const createTrustSlice: SliceCreator<TrustSlice> = (set, get, api) => {
  const change = async (verb: 'Installed' | 'Removed', work: () => Promise<ChangeReport>): Promise<Result<ChangeReport>> => {
    const result = await attempt(work)
    if (!result.ok) {
      get().report(result)
      return result
    }
    const { kind, text } = summarise(result.value, verb)
    get().toast(kind, text)
    // The lists on screen must show the change: re-read the stores (quietly, as a job).
    if (get().trustScanned) void get().scanTrustStores()
    return result
  }
  return {
    trustStores: [],
    trustStoresLoaded: false,
    trustListings: [],
    trustScanJobId: null,
    trustScanned: false,
    trustError: null,
    loadTrustStores: async () => {
      try {
        set({ trustStores: await api.trust.stores(), trustStoresLoaded: true })
      } catch (error) {
        set({ trustError: toFailure(error), trustStoresLoaded: true })
      }
    },
    scanTrustStores: async () => {
      if (get().trustScanJobId) return
      const jobId = get().startJob('Reading trust stores')
      set({ trustScanJobId: jobId, trustError: null })
      try {
        const listings = await api.trust.list({ jobId })
        set({ trustListings: listings, trustScanned: true, trustStores: listings.map((l) => l.store) })
      } catch (error) {
        const failure = toFailure(error)
        // Cancelling is the user's choice, not a failure to show.
        if (!/cancel/i.test(failure.message)) set({ trustError: failure })
      } finally {
        get().endJob(jobId)
        set({ trustScanJobId: null })
      }
    },
    verifyRoot: (input, host) => attempt(() => api.trust.verify({ input, ...(host ? { host } : {}) })),
    installRoot: (certificatePem) => change('Installed', () => api.trust.install({ certificatePem })),
    removeRoot: (input) => change('Removed', () => api.trust.remove({ input })),
    probeHost: (host, port) => attempt(() => api.trust.probeHost({ host, port })),
    accountRootsForVerify: (account) =>
      attempt(async () => {
        const [inspection, gateway, access] = await Promise.all([
          api.gateway.inspectionCertificate({ ...account }),
          api.gateway.list({ ...account }),
          api.access.list({ profileId: account.profileId, scope: { kind: 'account', accountId: account.accountId } }),
        ])
        return { inUse: gateway.find((g) => g.id === inspection.certificateId) ?? null, gateway, access }
      }),
  }
}
