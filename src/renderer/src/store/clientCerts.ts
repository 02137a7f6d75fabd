/**
 * API Shield client certificates of one zone: the list (all statuses, fetched with progress),
 * revoke/reactivate one, bulk revoke with progress and cancel, create from a CSR.
 * Filtering, search and sorting happen in the view, over the loaded list.
 */
import type { BulkRevokeResult, ClientCertificateCreateResult, ClientCertificateSummary } from '../../../shared/cloudflare-model'
import type { CertificateCheck } from '../../../shared/lint-model'
import type { SliceCreator } from '.'
import { errorText } from '../api'

export interface ZoneKey {
  profileId: string
  zoneId: string
}

export interface ClientCertsSlice {
  certs: ClientCertificateSummary[]
  /** `profileId/zoneId` the list belongs to; null before the first load. */
  certsKey: string | null
  certsLoading: boolean
  certsJobId: string | null
  certsError: { message: string; hint?: string } | null
  loadCerts(key: ZoneKey): Promise<void>
  /** Reads the certificates pending a change again, without a progress job (for polling while any is pending). */
  refreshPendingCerts(key: ZoneKey): Promise<void>
  revokeCert(key: ZoneKey, cert: ClientCertificateSummary): Promise<boolean>
  reactivateCert(key: ZoneKey, cert: ClientCertificateSummary): Promise<boolean>
  /** Revokes with progress (jobId from startJob); resolves to the result, or null when it failed as a whole. */
  bulkRevoke(key: ZoneKey, ids: string[], jobId: string): Promise<BulkRevokeResult | null>
  createCertFromCsr(
    key: ZoneKey,
    csrPem: string,
    validityDays: number,
  ): Promise<ClientCertificateCreateResult | { error: { message: string; hint?: string } }>
  /** Decodes and lints an issued certificate as a client certificate (for the detail drawer). */
  lintClientCert(pem: string): Promise<CertificateCheck>
}

const keyOf = (key: ZoneKey) => `${key.profileId}/${key.zoneId}`

/** Statuses Cloudflare moves on by itself: while any is shown, the list is polled. */
export const PENDING = new Set<string>(['pending_revocation', 'pending_reactivation'])

export const createClientCertsSlice: SliceCreator<ClientCertsSlice> = (set, get, api) => {
  /** Put one changed certificate back in place, if the list still shows its zone. */
  const replace = (key: ZoneKey, cert: ClientCertificateSummary) => {
    if (get().certsKey !== keyOf(key)) return
    set({ certs: get().certs.map((c) => (c.id === cert.id ? cert : c)) })
  }
  return {
    certs: [],
    certsKey: null,
    certsLoading: false,
    certsJobId: null,
    certsError: null,
    loadCerts: async (key) => {
      const wanted = keyOf(key)
      const previous = get().certsJobId
      if (previous) void get().cancelJob(previous)
      const jobId = get().startJob('Loading client certificates')
      // Keep the rows of the same zone while refreshing, so the table does not flash empty.
      set({
        certsLoading: true,
        certsError: null,
        certsJobId: jobId,
        ...(get().certsKey === wanted ? {} : { certs: [], certsKey: wanted }),
      })
      try {
        const certs = await api.clientCerts.list({ ...key, status: 'all', jobId })
        if (get().certsJobId === jobId) set({ certs, certsKey: wanted, certsLoading: false, certsJobId: null })
      } catch (error) {
        if (get().certsJobId === jobId) set({ certsError: errorText(error), certsLoading: false, certsJobId: null })
      } finally {
        get().endJob(jobId)
      }
    },
    refreshPendingCerts: async (key) => {
      if (get().certsKey !== keyOf(key) || get().certsJobId) return
      const pending = get().certs.filter((c) => PENDING.has(c.status))
      if (pending.length === 0) return
      // A few: one read each. Many: one quiet listing (cheaper than hundreds of reads).
      const fresh =
        pending.length <= 25
          ? await Promise.all(pending.map((c) => api.clientCerts.get({ ...key, id: c.id })))
          : await api.clientCerts.list({ ...key, status: 'all' })
      if (get().certsKey !== keyOf(key) || get().certsJobId) return
      const byId = new Map(fresh.map((c) => [c.id, c]))
      if (fresh.every((c) => get().certs.find((o) => o.id === c.id)?.status === c.status)) return
      set({ certs: pending.length <= 25 ? get().certs.map((c) => byId.get(c.id) ?? c) : fresh })
    },
    revokeCert: async (key, cert) => {
      try {
        replace(key, await api.clientCerts.revoke({ ...key, id: cert.id }))
        get().toast('success', `Revoked ${cert.commonName}: pending revocation until Cloudflare's network has it.`)
        return true
      } catch (error) {
        get().toastError(error)
        return false
      }
    },
    reactivateCert: async (key, cert) => {
      try {
        replace(key, await api.clientCerts.reactivate({ ...key, id: cert.id }))
        get().toast('success', `Reactivated ${cert.commonName}.`)
        return true
      } catch (error) {
        get().toastError(error)
        return false
      }
    },
    bulkRevoke: async (key, ids, jobId) => {
      try {
        return await api.clientCerts.bulkRevoke({ ...key, ids, jobId })
      } catch (error) {
        get().toastError(error)
        return null
      } finally {
        get().endJob(jobId)
      }
    },
    createCertFromCsr: async (key, csrPem, validityDays) => {
      try {
        const result = await api.clientCerts.createFromCsr({ ...key, csrPem, validityDays })
        if (get().certsKey === keyOf(key)) set({ certs: [...get().certs, result.certificate] })
        get().toast(
          'success',
          `Issued ${result.certificate.commonName || 'the certificate'}${result.recovered ? ' (found after a lost answer; not issued twice)' : ''}.`,
        )
        return result
      } catch (error) {
        return { error: errorText(error) }
      }
    },
    lintClientCert: (pem) => api.lint.check({ input: { text: pem, name: 'The issued certificate' }, profile: 'client' }),
  }
}
