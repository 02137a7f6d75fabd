import type { StoreDescription, StoreListing } from '../../../../shared/truststore-model'

/** One row per store: where it is, the tool, whether changes need an admin prompt, and whether it can be changed at all. */
export function StoresTable({ stores, listings }: { stores: StoreDescription[]; listings: StoreListing[] }) {
  const listingOf = (id: string) => listings.find((l) => l.store.id === id)
  return (
    <table className="data-table compact machine-stores" aria-label="Trust stores on this machine">
      <thead>
        <tr>
          <th scope="col">Store</th>
          <th scope="col">Location</th>
          <th scope="col">Tool</th>
          <th scope="col">Changes</th>
          <th scope="col">Roots</th>
        </tr>
      </thead>
      <tbody>
        {stores.map((s) => {
          const listing = listingOf(s.id)
          const local = listing?.entries.filter((e) => e.origin === 'local').length ?? 0
          return (
            <tr key={s.id}>
              <td>
                <strong>{s.label}</strong>
                <div className="muted small">
                  {s.kind === 'system' ? 'Operating system' : s.kind === 'nss' ? 'NSS (Firefox, Chrome on Linux)' : 'Java'}
                </div>
              </td>
              <td className="wrap">
                <code>{s.location}</code>
              </td>
              <td>{s.tool}</td>
              <td className="wrap">
                {!s.available ? (
                  <span className="badge bad">read-only: tool missing</span>
                ) : s.needsElevation ? (
                  <span className="badge warn">admin prompt</span>
                ) : (
                  <span className="badge ok">no prompt</span>
                )}
                {s.note ? <div className="muted small">{s.note}</div> : null}
              </td>
              <td className="wrap">
                {listing?.error ? (
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
                )}
              </td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}
