/**
 * API Shield client certificates of one zone: the list (all statuses, fetched with progress),
 * revoke/reactivate one, bulk revoke with progress and cancel, create from a CSR.
 * Filtering, search and sorting happen in the view, over the loaded list.
 */
import type { BulkRevokeResult, ClientCertificateCreateResult, ClientCertificateSummary } from '../../../shared/cloudflare-model'
import type { Result } from '../../../shared/errors'
import type { CertificateCheck } from '../../../shared/lint-model'
import type { VaultEntry } from '../../../shared/pki-model'
import type { SliceCreator } from '.'
import { attempt } from '../api'
import { emptyList, scopedList, scopeId, type ScopedList, type ZoneScope } from './scope'

export interface ClientCertsSlice {
  certs: ScopedList<ClientCertificateSummary>
  /** The progress job of the load in flight, if any. */
  certsJobId: string | null
  loadCerts(zone: ZoneScope): Promise<void>
  /** Reads the certificates pending a change again, without a progress job (for polling while any is pending). */
  refreshPendingCerts(zone: ZoneScope): Promise<void>
  revokeCert(zone: ZoneScope, cert: ClientCertificateSummary): Promise<Result<ClientCertificateSummary>>
  reactivateCert(zone: ZoneScope, cert: ClientCertificateSummary): Promise<Result<ClientCertificateSummary>>
  /** Revokes with progress (jobId from startJob); the failure is of the bulk revoke as a whole. */
  bulkRevoke(zone: ZoneScope, ids: string[], jobId: string): Promise<Result<BulkRevokeResult>>
  createCertFromCsr(zone: ZoneScope, csrPem: string, validityDays: number): Promise<Result<ClientCertificateCreateResult>>
  /** Issues for a vault key (the create wizard's last step); main links the certificate to the key. */
  issueForKey(
    request: ZoneScope & { keyId: string; validityDays: number; replace?: boolean },
  ): Promise<Result<ClientCertificateCreateResult & { key: VaultEntry }>>
  /** Decodes and lints an issued certificate as a client certificate (for the detail drawer). */
  lintClientCert(pem: string): Promise<Result<CertificateCheck>>
}

/** Statuses Cloudflare moves on by itself: while any is shown, the list is polled. */
export const PENDING = new Set<string>(['pending_revocation', 'pending_reactivation'])

export const createClientCertsSlice: SliceCreator<ClientCertsSlice> = (set, get, api) => {
  const list = scopedList(set, get, 'certs')
  /** Put one changed certificate back in place, if the list still shows its zone. */
  const replace = (zone: ZoneScope, cert: ClientCertificateSummary) =>
    list.update(scopeId.zone(zone), (certs) => certs.map((c) => (c.id === cert.id ? cert : c)))
  return {
    certs: emptyList(),
    certsJobId: null,
    loadCerts: async (zone) => {
      const previous = get().certsJobId
      if (previous) void get().cancelJob(previous)
      const jobId = get().startJob('Loading client certificates')
      set({ certsJobId: jobId })
      try {
        await list.load(scopeId.zone(zone), () => api.clientCerts.list({ ...zone, status: 'all', jobId }))
      } finally {
        if (get().certsJobId === jobId) set({ certsJobId: null })
        get().endJob(jobId)
      }
    },
    refreshPendingCerts: async (zone) => {
      const scope = scopeId.zone(zone)
      if (get().certs.scope !== scope || get().certsJobId) return
      const pending = get().certs.items.filter((c) => PENDING.has(c.status))
      if (pending.length === 0) return
      // A few: one read each. Many: one quiet listing (cheaper than hundreds of reads).
      const fresh =
        pending.length <= 25
          ? await Promise.all(pending.map((c) => api.clientCerts.get({ ...zone, id: c.id })))
          : await api.clientCerts.list({ ...zone, status: 'all' })
      if (get().certs.scope !== scope || get().certsJobId) return
      const byId = new Map(fresh.map((c) => [c.id, c]))
      if (fresh.every((c) => get().certs.items.find((o) => o.id === c.id)?.status === c.status)) return
      list.update(scope, (certs) => (pending.length <= 25 ? certs.map((c) => byId.get(c.id) ?? c) : fresh))
    },
    revokeCert: async (zone, cert) => {
      const result = await attempt(() => api.clientCerts.revoke({ ...zone, id: cert.id }))
      if (result.ok) replace(zone, result.value)
      get().report(result, `Revoked ${cert.commonName}: pending revocation until Cloudflare's network has it.`)
      return result
    },
    reactivateCert: async (zone, cert) => {
      const result = await attempt(() => api.clientCerts.reactivate({ ...zone, id: cert.id }))
      if (result.ok) replace(zone, result.value)
      get().report(result, `Reactivated ${cert.commonName}.`)
      return result
    },
    bulkRevoke: async (zone, ids, jobId) => {
      const result = await attempt(() => api.clientCerts.bulkRevoke({ ...zone, ids, jobId }))
      get().endJob(jobId)
      get().report(result)
      return result
    },
    createCertFromCsr: async (zone, csrPem, validityDays) => {
      const result = await attempt(() => api.clientCerts.createFromCsr({ ...zone, csrPem, validityDays }))
      if (result.ok) list.update(scopeId.zone(zone), (certs) => [...certs, result.value.certificate])
      const issued = result.ok ? result.value : null
      get().report(
        result,
        `Issued ${issued?.certificate.commonName || 'the certificate'}` +
          `${issued?.recovered ? ' (found after a lost answer; not issued twice)' : ''}.`,
        true,
      )
      return result
    },
    issueForKey: async (request) => {
      const result = await attempt(() => api.clientCerts.issueForKey(request))
      const issued = result.ok ? result.value : null
      get().report(
        result,
        `Cloudflare issued ${issued?.certificate.commonName}${issued?.recovered ? ' (found after a lost answer, not issued twice)' : ''}.`,
        true,
      )
      if (result.ok) void get().loadKeys()
      return result
    },
    lintClientCert: (pem) => attempt(() => api.lint.check({ input: { text: pem, name: 'The issued certificate' }, profile: 'client' })),
  }
}
