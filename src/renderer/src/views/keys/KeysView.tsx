/**
 * The key vault: every private key Certdesk made (certificate wizards, roots), kept encrypted on this
 * computer. Lists each with its certificate (name, expiry, Cloudflare id or issuer), and exports or
 * deletes it. Key material never reaches this window: exports go through main's save dialog.
 */
import { useEffect, useState } from 'react'
import type { VaultKeyRow } from '../../../../shared/pki-model'
import { DataTable, type Column } from '../../components/DataTable'
import { ActionDialog, Dialog } from '../../components/Dialog'
import { EmptyState } from '../../components/EmptyState'
import { keyTypeLabel } from '../../components/keyTypes'
import { ScreenHeader } from '../../components/ScreenHeader'
import { dateText, dateTimeText, expiryBadge } from '../../lib/format'
import { useAppStore } from '../../store'
import { KeyExports } from '../../components/certificate/KeyExports'
import { VaultBackupPanel } from './VaultBackup'

export function KeysView() {
  const keys = useAppStore((s) => s.vaultKeys)
  const loadKeys = useAppStore((s) => s.loadKeys)
  const [exporting, setExporting] = useState<VaultKeyRow | null>(null)
  const [deleting, setDeleting] = useState<VaultKeyRow | null>(null)

  useEffect(() => {
    void loadKeys()
  }, [loadKeys])

  return (
    <>
      <ScreenHeader
        title="Keys"
        subtitle="Private keys Certdesk made, kept encrypted in this computer’s vault. They leave it only when you export them."
      />
      <VaultBackupPanel hasKeys={keys.length > 0} />
      {keys.length === 0 ? (
        <EmptyState title="The vault is empty">
          Keys made here — “Create with a new key” for client certificates, roots for Access and Gateway — are kept in the vault and listed
          here.
        </EmptyState>
      ) : (
        <DataTable
          label="Vault keys"
          className="keys-table"
          columns={COLUMNS}
          rows={keys}
          actions={(key) => (
            <>
              <button type="button" onClick={() => setExporting(key)} aria-label={`Export ${key.label}`}>
                Export…
              </button>
              <button type="button" className="danger" onClick={() => setDeleting(key)} aria-label={`Delete ${key.label}`}>
                Delete
              </button>
            </>
          )}
        />
      )}
      {exporting ? (
        <Dialog
          open
          wide
          title={`Export ${exporting.label}`}
          onClose={() => setExporting(null)}
          actions={
            <button type="button" className="primary" onClick={() => setExporting(null)}>
              Done
            </button>
          }
        >
          <KeyExports keyEntry={exporting} />
        </Dialog>
      ) : null}
      {deleting ? <DeleteKeyDialog keyRow={deleting} onClose={() => setDeleting(null)} /> : null}
    </>
  )
}

const COLUMNS: Column<VaultKeyRow>[] = [
  { header: 'Label', rowHeader: true, className: 'wrap', cell: (key) => key.label },
  { header: 'Type', cell: (key) => keyTypeLabel(key.keyType) ?? key.keyType },
  {
    header: 'Created',
    cell: (key) => (
      <time dateTime={key.createdAt} title={dateTimeText(key.createdAt)}>
        {dateText(key.createdAt)}
      </time>
    ),
  },
  { header: 'Certificate', className: 'wrap', cell: (key) => <KeyCertificate keyRow={key} /> },
  {
    header: 'Cloudflare id / issuer',
    className: (key) => (key.certificate?.cloudflareId ? 'wrap id' : 'wrap'),
    cell: (key) => {
      const info = key.certificateInfo
      const cloudflareId = key.certificate?.cloudflareId
      return cloudflareId ? <code>{cloudflareId}</code> : info ? info.selfSigned ? 'Self-signed root' : info.issuer : '—'
    },
  },
]

function KeyCertificate({ keyRow }: { keyRow: VaultKeyRow }) {
  const soonDays = useAppStore((s) => s.settings?.expiringSoonDays ?? 30)
  const info = keyRow.certificateInfo
  const badge = info ? expiryBadge(info.notAfter, soonDays) : null
  return info ? (
    <>
      {info.commonName}
      <br />
      <span className="muted small">
        expires <time dateTime={info.notAfter}>{dateText(info.notAfter)}</time>
      </span>{' '}
      {badge ? <span className={`badge ${badge.kind}`}>{badge.text}</span> : null}
    </>
  ) : (
    <span className="muted">{keyRow.csrPem ? 'None yet (CSR made)' : 'None'}</span>
  )
}

function DeleteKeyDialog({ keyRow, onClose }: { keyRow: VaultKeyRow; onClose: () => void }) {
  const deleteKey = useAppStore((s) => s.deleteKey)
  const info = keyRow.certificateInfo
  return (
    <ActionDialog
      danger
      title={`Delete the key ${keyRow.label}?`}
      confirmLabel="Delete key"
      runningLabel="Deleting…"
      run={async () => {
        await deleteKey(keyRow.id)
        return true
      }}
      onClose={onClose}
    >
      <p>The key file is overwritten and removed from this computer’s vault. This cannot be undone, and Certdesk keeps no other copy.</p>
      {info ? (
        <p className="warning">
          Its certificate <strong>{info.commonName}</strong> (valid until {dateText(info.notAfter)}) stays valid, but nothing can use it
          without this key. Export a PKCS#12 or the encrypted key first if a device or server still needs it
          {keyRow.certificate?.cloudflareId ? ', and revoke the certificate at Cloudflare if it is no longer needed' : ''}.
        </p>
      ) : null}
    </ActionDialog>
  )
}
