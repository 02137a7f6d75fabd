import type { StoreDescription, StoreListing } from '../../../../shared/truststore-model'
import { DataTable, type Column } from '../../components/DataTable'

const KIND_WORDS: Record<StoreDescription['kind'], string> = {
  system: 'Operating system',
  nss: 'NSS (Firefox, Chrome on Linux)',
  java: 'Java',
}

/** One row per store: where it is, the tool, whether changes need an admin prompt, and whether it can be changed at all. */
export function StoresTable({ stores, listings }: { stores: StoreDescription[]; listings: StoreListing[] }) {
  const listingOf = (id: string) => listings.find((l) => l.store.id === id)
  const columns: Column<StoreDescription>[] = [
    {
      header: 'Store',
      cell: (s) => (
        <>
          <strong>{s.label}</strong>
          <div className="muted small">{KIND_WORDS[s.kind]}</div>
        </>
      ),
    },
    { header: 'Location', className: 'wrap', cell: (s) => <code>{s.location}</code> },
    { header: 'Tool', cell: (s) => s.tool },
    {
      header: 'Changes',
      className: 'wrap',
      cell: (s) => (
        <>
          {!s.available ? (
            <span className="badge bad">read-only: tool missing</span>
          ) : s.needsElevation ? (
            <span className="badge warn">admin prompt</span>
          ) : (
            <span className="badge ok">no prompt</span>
          )}
          {s.note ? <div className="muted small">{s.note}</div> : null}
        </>
      ),
    },
    { header: 'Roots', className: 'wrap', cell: (s) => <RootCount listing={listingOf(s.id)} /> },
  ]
  return <DataTable label="Trust stores on this machine" className="compact machine-stores" columns={columns} rows={stores} />
}

function RootCount({ listing }: { listing: StoreListing | undefined }) {
  const local = listing?.entries.filter((e) => e.origin === 'local').length ?? 0
  return listing?.error ? (
    <span className="warning" title={listing.error.hint}>
      {listing.error.message}
    </span>
  ) : listing ? (
    <>
      {listing.entries.length}
      {local ? <span className="muted"> ({local} added here)</span> : null}
    </>
  ) : (
    <span className="muted">…</span>
  )
}
