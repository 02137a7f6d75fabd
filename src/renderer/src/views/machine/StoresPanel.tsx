/**
 * Every trust store found (where it is, the tool that changes it, whether that needs an admin
 * prompt) and all their roots in one searchable list; roots added on this machine stand out.
 */
import type { ColumnDef } from '@tanstack/react-table'
import { useEffect, useId, useMemo, useState } from 'react'
import type { TrustEntry } from '../../../../shared/truststore-model'
import { EmptyState } from '../../components/EmptyState'
import { ErrorBox } from '../../components/ErrorBox'
import { TableStatus } from '../../components/JobProgress'
import { VirtualTable } from '../../components/VirtualTable'
import { dateText, expiryBadge, shownCount } from '../../lib/format'
import { useAppFields } from '../../store'
import { StoresTable } from './StoresTable'

interface RootRow extends TrustEntry {
  rowId: string
  storeLabel: string
}

const COLUMNS: Array<ColumnDef<RootRow, unknown>> = [
  {
    id: 'subject',
    header: 'Subject',
    accessorFn: (r) => r.subject,
    size: 360,
    cell: ({ row }) => (
      <span className="root-subject" title={row.original.subject}>
        {row.original.origin === 'local' ? <span className="badge info">added here</span> : null}{' '}
        {row.original.subject || '(empty subject)'}
      </span>
    ),
  },
  { id: 'store', header: 'Store', accessorFn: (r) => r.storeLabel, size: 200 },
  {
    id: 'trust',
    header: 'Trust',
    accessorFn: (r) => r.trust,
    size: 120,
    cell: ({ row }) => (
      <span className={`badge ${row.original.trust === 'trusted' ? 'ok' : 'warn'}`}>
        {row.original.trust === 'trusted' ? 'trusted' : 'not trusted'}
      </span>
    ),
  },
  {
    id: 'expires',
    header: 'Expires',
    accessorFn: (r) => r.notAfter,
    size: 160,
    cell: ({ row }) => {
      const badge = expiryBadge(row.original.notAfter, 30)
      return (
        <span className="expires">
          {dateText(row.original.notAfter)}
          {badge ? <span className={`badge ${badge.kind}`}>{badge.text}</span> : null}
        </span>
      )
    },
  },
  {
    id: 'sha256',
    header: 'SHA-256',
    accessorFn: (r) => r.sha256 ?? r.sha1,
    size: 180,
    cell: ({ getValue }) => <code title={String(getValue())}>{String(getValue()).slice(0, 16)}…</code>,
  },
]

export function StoresPanel() {
  const {
    trustStores: stores,
    trustStoresLoaded: storesLoaded,
    trustListings: listings,
    trustScanned: scanned,
    trustScanJobId: jobId,
    trustError: error,
    loadTrustStores: loadStores,
    scanTrustStores: scan,
  } = useAppFields(
    'trustStores',
    'trustStoresLoaded',
    'trustListings',
    'trustScanned',
    'trustScanJobId',
    'trustError',
    'loadTrustStores',
    'scanTrustStores',
  )
  const [query, setQuery] = useState('')
  const [localOnly, setLocalOnly] = useState(false)
  const searchId = useId()
  const localId = useId()

  useEffect(() => {
    if (!storesLoaded) void loadStores()
    if (!scanned) void scan()
    // Once per visit: a later visit shows what was read, and Refresh reads again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  const all = useMemo<RootRow[]>(
    () =>
      listings.flatMap((l) =>
        l.entries.map((e, i) => ({ ...e, storeLabel: l.store.label, rowId: `${l.store.id}|${e.sha1}|${e.location ?? i}` })),
      ),
    [listings],
  )
  const rows = useMemo(() => {
    const q = query.trim().toLowerCase().replace(/[:\s]/g, '')
    return all.filter(
      (r) =>
        (!localOnly || r.origin === 'local') &&
        (!q ||
          r.subject.toLowerCase().replace(/[:\s]/g, '').includes(q) ||
          r.issuer.toLowerCase().includes(q) ||
          (r.sha256 ?? '').toLowerCase().includes(q) ||
          r.sha1.toLowerCase().includes(q)),
    )
  }, [all, query, localOnly])
  const localCount = all.filter((r) => r.origin === 'local').length

  return (
    <>
      <section className="panel" aria-labelledby="machine-stores-title">
        <div className="panel-header">
          <h2 id="machine-stores-title">Trust stores found</h2>
          <button type="button" onClick={() => void scan()} disabled={jobId !== null}>
            Read the stores again
          </button>
        </div>
        {error ? <ErrorBox error={error} onRetry={() => void scan()} /> : null}
        {storesLoaded && stores.length === 0 && !error ? (
          <EmptyState title="No trust store found">
            Certdesk found no system store, NSS database or Java keystore on this machine. On Linux, install the ca-certificates package;
            for Firefox and Chrome, start the browser once so it creates its database.
          </EmptyState>
        ) : (
          <StoresTable stores={stores} listings={listings} />
        )}
      </section>
      <section className="panel" aria-labelledby="machine-roots-title">
        <div className="panel-header">
          <h2 id="machine-roots-title">Roots</h2>
        </div>
        <div className="toolbar wrap">
          <div className="field inline">
            <label htmlFor={searchId}>Search roots</label>
            <input id={searchId} type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="name or fingerprint" />
          </div>
          <label className="field inline" htmlFor={localId}>
            <input id={localId} type="checkbox" checked={localOnly} onChange={(e) => setLocalOnly(e.target.checked)} />
            Only roots added on this machine ({localCount})
          </label>
        </div>
        <TableStatus jobId={jobId} running={jobId !== null}>
          {scanned
            ? rows.length === all.length
              ? `${all.length} roots in ${listings.length} stores`
              : shownCount(rows.length, all.length, 'roots')
            : ''}
        </TableStatus>
        {scanned && all.length > 0 && rows.length === 0 ? (
          <EmptyState title="No root matches">
            Clear the search{localOnly ? ' or show every root, not only those added here' : ''}.
          </EmptyState>
        ) : scanned && all.length === 0 ? (
          <EmptyState title="The stores hold no roots">Install a root from the “Install or remove” tab.</EmptyState>
        ) : (
          <div className="machine-roots">
            <VirtualTable
              label="Roots on this machine"
              rows={rows}
              columns={COLUMNS}
              getRowId={(r) => r.rowId}
              initialSorting={[{ id: 'subject', desc: false }]}
            />
          </div>
        )}
      </section>
    </>
  )
}
