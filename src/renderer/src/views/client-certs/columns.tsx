import type { ColumnDef } from '@tanstack/react-table'
import type { ClientCertificateSummary } from '../../../../shared/cloudflare-model'
import { STATUS_BADGE, STATUS_LABEL, dateText, expiryBadge } from '../../lib/format'

type Col = ColumnDef<ClientCertificateSummary, unknown>

/** Table columns; built once per (soonDays, open) so the 10,000-row table does not re-create them. */
export function clientCertColumns(soonDays: number, open: (cert: ClientCertificateSummary) => void): Col[] {
  const now = Date.now()
  return [
    {
      id: 'select',
      size: 44,
      enableSorting: false,
      header: ({ table }) => (
        <input
          type="checkbox"
          aria-label="Select every certificate shown"
          checked={table.getIsAllRowsSelected()}
          ref={(el) => {
            if (el) el.indeterminate = table.getIsSomeRowsSelected()
          }}
          onChange={table.getToggleAllRowsSelectedHandler()}
        />
      ),
      cell: ({ row }) => (
        <input
          type="checkbox"
          tabIndex={-1}
          aria-label={`Select ${row.original.commonName}`}
          checked={row.getIsSelected()}
          onChange={row.getToggleSelectedHandler()}
        />
      ),
    },
    {
      id: 'commonName',
      header: 'Common name',
      size: 260,
      accessorFn: (c) => c.commonName,
      cell: ({ row }) => (
        <button
          type="button"
          className="link-button cell-button"
          tabIndex={-1}
          title={`Show details of ${row.original.commonName}`}
          onClick={() => open(row.original)}
        >
          {row.original.commonName || '(no common name)'}
        </button>
      ),
    },
    {
      id: 'status',
      header: 'Status',
      // Wide enough for "pending reactivation" at the usual window width.
      size: 200,
      accessorFn: (c) => c.status,
      cell: ({ row }) => (
        <span className={`badge ${STATUS_BADGE[row.original.status] ?? 'neutral'}`}>
          {STATUS_LABEL[row.original.status] ?? row.original.status}
        </span>
      ),
    },
    {
      id: 'expires',
      header: 'Expires',
      size: 230,
      accessorFn: (c) => c.expiresOn ?? '',
      cell: ({ row }) => {
        const badge = row.original.status === 'revoked' ? null : expiryBadge(row.original.expiresOn, soonDays, now)
        return (
          <span className="expires">
            <time dateTime={row.original.expiresOn}>{dateText(row.original.expiresOn)}</time>
            {badge ? <span className={`badge ${badge.kind}`}>{badge.text}</span> : null}
          </span>
        )
      },
    },
    {
      id: 'ca',
      header: 'CA',
      size: 160,
      accessorFn: (c) => c.certificateAuthority?.name ?? '',
      cell: ({ getValue }) => <span title={String(getValue())}>{String(getValue()) || '—'}</span>,
    },
    {
      id: 'serial',
      header: 'Serial',
      size: 140,
      accessorFn: (c) => c.serialNumber ?? '',
      cell: ({ getValue }) => <code title={String(getValue())}>{String(getValue()) || '—'}</code>,
    },
    {
      id: 'fingerprint',
      header: 'SHA-256 fingerprint',
      size: 180,
      accessorFn: (c) => c.fingerprintSha256 ?? '',
      cell: ({ getValue }) => <code title={String(getValue())}>{String(getValue()) || '—'}</code>,
    },
  ]
}
