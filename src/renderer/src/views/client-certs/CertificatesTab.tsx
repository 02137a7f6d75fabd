import type { RowSelectionState } from '@tanstack/react-table'
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react'
import type { ClientCertificateSummary, ClientCertStatusFilter } from '../../../../shared/cloudflare-model'
import { fingerprintMatches } from '../../../../shared/fingerprint'
import { EmptyState } from '../../components/EmptyState'
import { ErrorBox } from '../../components/ErrorBox'
import { TableStatus } from '../../components/JobProgress'
import { VirtualTable } from '../../components/VirtualTable'
import { STATUS_LABEL, shownCount } from '../../lib/format'
import { useAppStore } from '../../store'
import { PENDING } from '../../store/clientCerts'
import { scopeId, type ZoneScope } from '../../store/scope'
import { usePollWhilePending } from '../../store/poll'
import { CertificateDrawer } from './CertificateDrawer'
import { clientCertColumns } from './columns'
import { CreateCertificateDialog } from './CreateCertificateDialog'
import { BulkRevokeDialog, ConfirmStatusChange } from './RevokeDialogs'
import { WriteButton } from '../../components/WriteButton'
import { useMissingPermission } from '../../components/usePermission'

const FILTERS: ClientCertStatusFilter[] = ['all', 'active', 'pending_revocation', 'pending_reactivation', 'revoked']
const revocable = (c: ClientCertificateSummary) => c.status === 'active' || c.status === 'pending_reactivation'

/** True when a key press belongs to a text field (so single-key shortcuts stay out of its way). */
/** Whether keys go into text: a checkbox or a button with focus does not take "/" or Delete. */
function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  if (!el) return false
  if (el.tagName === 'INPUT') return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes((el as HTMLInputElement).type)
  return el.isContentEditable || ['TEXTAREA', 'SELECT'].includes(el.tagName)
}

export function CertificatesTab({ zone, zoneName }: { zone: ZoneScope; zoneName: string }) {
  const needsWrite = useMissingPermission('zoneCertificates', zoneName)
  const { items: certs, scope, loading, error } = useAppStore((s) => s.certs)
  const jobId = useAppStore((s) => s.certsJobId)
  const load = useAppStore((s) => s.loadCerts)
  const soonDays = useAppStore((s) => s.settings?.expiringSoonDays ?? 30)
  const [status, setStatus] = useState<ClientCertStatusFilter>('all')
  const [query, setQuery] = useState('')
  const deferredQuery = useDeferredValue(query)
  const [selection, setSelection] = useState<RowSelectionState>({})
  const [openId, setOpenId] = useState<string | null>(null)
  const [confirm, setConfirm] = useState<{ cert: ClientCertificateSummary; action: 'revoke' | 'reactivate' } | null>(null)
  const [bulk, setBulk] = useState<ClientCertificateSummary[] | null>(null)
  const [creating, setCreating] = useState(false)
  const searchRef = useRef<HTMLInputElement>(null)
  const wanted = scopeId.zone(zone)

  useEffect(() => {
    if (scope !== wanted) void load(zone)
    // Only when the zone changes; refreshes are explicit, or polled while something is pending.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [wanted])
  // Revocation and reactivation settle on Cloudflare's side: poll while any certificate is pending.
  const refreshPending = useAppStore((s) => s.refreshPendingCerts)
  const anyPending = scope === wanted && certs.some((c) => PENDING.has(c.status))
  usePollWhilePending(anyPending, () => refreshPending(zone))

  const counts = useMemo(() => {
    const by: Record<string, number> = { all: certs.length }
    for (const c of certs) by[c.status] = (by[c.status] ?? 0) + 1
    return by
  }, [certs])

  const rows = useMemo(() => {
    const q = deferredQuery.trim().toLowerCase()
    return certs.filter((c) => {
      if (status !== 'all' && c.status !== status) return false
      if (!q) return true
      return (
        c.commonName.toLowerCase().includes(q) ||
        (c.serialNumber ?? '').toLowerCase().includes(q) ||
        fingerprintMatches(c.fingerprintSha256, q) ||
        c.id.toLowerCase().includes(q) ||
        (c.organizationalUnit ?? '').toLowerCase().includes(q)
      )
    })
  }, [certs, status, deferredQuery])

  const selected = useMemo(() => rows.filter((r) => selection[r.id]), [rows, selection])
  const open = useCallback((cert: ClientCertificateSummary) => setOpenId(cert.id), [])
  const columns = useMemo(() => clientCertColumns(soonDays, open), [soonDays, open])
  const openCert = openId ? certs.find((c) => c.id === openId) : undefined

  const revokeSelection = useCallback(() => {
    if (selected.length === 1 && revocable(selected[0]!)) setConfirm({ cert: selected[0]!, action: 'revoke' })
    else if (selected.length > 0) setBulk(selected)
  }, [selected])

  // "/" focuses the search; Delete revokes the selection (after confirmation).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target) || document.querySelector('dialog[open]')) return
      if (event.key === '/') {
        event.preventDefault()
        searchRef.current?.focus()
      } else if (event.key === 'Delete' && selected.length) {
        event.preventDefault()
        revokeSelection()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [selected, revokeSelection])

  return (
    <>
      <div className="toolbar wrap">
        <div className="field inline">
          <label htmlFor="cert-status">Status</label>
          <select id="cert-status" value={status} onChange={(e) => setStatus(e.target.value as ClientCertStatusFilter)}>
            {FILTERS.map((f) => (
              <option key={f} value={f}>
                {f === 'all' ? 'All' : STATUS_LABEL[f]} ({counts[f] ?? 0})
              </option>
            ))}
          </select>
        </div>
        <div className="field inline">
          <label htmlFor="cert-search">Search</label>
          <input
            id="cert-search"
            ref={searchRef}
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            placeholder="name, serial or fingerprint"
            aria-keyshortcuts="/"
          />
        </div>
        <span className="spacer" />
        <button type="button" onClick={() => void load(zone)} disabled={loading}>
          Refresh
        </button>
        <WriteButton
          missing={needsWrite}
          className="danger"
          disabled={selected.length === 0}
          onClick={revokeSelection}
          keyShortcuts="Delete"
        >
          Revoke selected{selected.length ? ` (${selected.length})` : ''}
        </WriteButton>
        <WriteButton missing={needsWrite} note={false} className="primary" onClick={() => setCreating(true)}>
          Create
        </WriteButton>
      </div>
      <TableStatus jobId={jobId} running={loading}>
        {shownCount(rows.length, certs.length, 'certificates')}
        {selected.length ? `, ${selected.length} selected` : ''}
      </TableStatus>
      {error ? <ErrorBox error={error} onRetry={() => void load(zone)} /> : null}
      {!loading && !error && certs.length === 0 ? (
        <EmptyState
          title={`No client certificates on ${zoneName}`}
          action={
            <button type="button" className="primary" onClick={() => setCreating(true)}>
              Create a certificate
            </button>
          }
        >
          Issue one from a CSR with the zone's Cloudflare-managed CA, then install it on the device or app that connects.
        </EmptyState>
      ) : certs.length > 0 ? (
        rows.length === 0 ? (
          <EmptyState title="No certificate matches">Change the status filter or the search.</EmptyState>
        ) : (
          <VirtualTable
            label={`Client certificates on ${zoneName}`}
            rows={rows}
            columns={columns}
            getRowId={(c) => c.id}
            selection={selection}
            onSelectionChange={setSelection}
            onActivate={open}
          />
        )
      ) : null}
      {openCert ? (
        <CertificateDrawer
          cert={openCert}
          onClose={() => setOpenId(null)}
          onRevoke={(cert) => setConfirm({ cert, action: 'revoke' })}
          onReactivate={(cert) => setConfirm({ cert, action: 'reactivate' })}
        />
      ) : null}
      {confirm ? (
        <ConfirmStatusChange
          zone={zone}
          zoneName={zoneName}
          cert={confirm.cert}
          action={confirm.action}
          onClose={(done) => {
            // After a revoke, its drawer says whether the revocation will actually block it.
            if (done && confirm.action === 'revoke') setOpenId(confirm.cert.id)
            setConfirm(null)
          }}
        />
      ) : null}
      {bulk ? (
        <BulkRevokeDialog
          zone={zone}
          zoneName={zoneName}
          certs={bulk.filter(revocable)}
          skipped={bulk.filter((c) => !revocable(c)).length}
          onClose={(changed) => {
            setBulk(null)
            if (changed) {
              setSelection({})
              void load(zone)
            }
          }}
        />
      ) : null}
      {creating ? <CreateCertificateDialog zone={zone} zoneName={zoneName} onClose={() => setCreating(false)} /> : null}
    </>
  )
}
