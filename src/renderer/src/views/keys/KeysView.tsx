/**
 * The key vault: every private key Certdesk made (certificate wizards, roots), kept encrypted on this
 * computer. Lists each with its certificate (name, expiry, Cloudflare id or issuer), and exports or
 * deletes it. Key material never reaches this window: exports go through main's save dialog.
 */
import { useEffect, useState } from 'react'
import type { VaultKeyRow } from '../../../../shared/pki-model'
import { ConfirmDialog, Dialog } from '../../components/Dialog'
import { EmptyState } from '../../components/EmptyState'
import { keyTypeLabel } from '../../components/KeyTypeSelect'
import { ScreenHeader } from '../../components/ScreenHeader'
import { dateText, dateTimeText, expiryBadge } from '../../lib/format'
import { useAppStore } from '../../store'
import { KeyExports } from '../../components/certificate/KeyExports'

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
      {keys.length === 0 ? (
        <EmptyState title="The vault is empty">
          Keys made here — “Create with a new key” for client certificates, roots for Access and Gateway — are kept in the vault and listed
          here.
        </EmptyState>
      ) : (
        <table className="data-table keys-table" aria-label="Vault keys">
          <thead>
            <tr>
              <th scope="col">Label</th>
              <th scope="col">Type</th>
              <th scope="col">Created</th>
              <th scope="col">Certificate</th>
              <th scope="col">Cloudflare id / issuer</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => (
              <KeyRow key={key.id} keyRow={key} onExport={() => setExporting(key)} onDelete={() => setDeleting(key)} />
            ))}
          </tbody>
        </table>
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

function KeyRow({ keyRow, onExport, onDelete }: { keyRow: VaultKeyRow; onExport: () => void; onDelete: () => void }) {
  const soonDays = useAppStore((s) => s.settings?.expiringSoonDays ?? 30)
  const info = keyRow.certificateInfo
  const badge = info ? expiryBadge(info.notAfter, soonDays) : null
  const cloudflareId = keyRow.certificate?.cloudflareId
  return (
    <tr>
      <th scope="row" className="wrap">
        {keyRow.label}
      </th>
      <td>{keyTypeLabel(keyRow.keyType) ?? keyRow.keyType}</td>
      <td>
        <time dateTime={keyRow.createdAt} title={dateTimeText(keyRow.createdAt)}>
          {dateText(keyRow.createdAt)}
        </time>
      </td>
      <td className="wrap">
        {info ? (
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
        )}
      </td>
      <td className={cloudflareId ? 'wrap id' : 'wrap'}>
        {cloudflareId ? <code>{cloudflareId}</code> : info ? info.selfSigned ? 'Self-signed root' : info.issuer : '—'}
      </td>
      <td className="actions">
        <div className="row-actions">
          <button type="button" onClick={onExport} aria-label={`Export ${keyRow.label}`}>
            Export…
          </button>
          <button type="button" className="danger" onClick={onDelete} aria-label={`Delete ${keyRow.label}`}>
            Delete
          </button>
        </div>
      </td>
    </tr>
  )
}

function DeleteKeyDialog({ keyRow, onClose }: { keyRow: VaultKeyRow; onClose: () => void }) {
  const deleteKey = useAppStore((s) => s.deleteKey)
  const [busy, setBusy] = useState(false)
  const info = keyRow.certificateInfo
  const run = async () => {
    setBusy(true)
    await deleteKey(keyRow.id)
    setBusy(false)
    onClose()
  }
  return (
    <ConfirmDialog
      open
      danger
      busy={busy}
      title={`Delete the key ${keyRow.label}?`}
      confirmLabel={busy ? 'Deleting…' : 'Delete key'}
      onConfirm={() => void run()}
      onCancel={onClose}
    >
      <p>The key file is overwritten and removed from this computer’s vault. This cannot be undone, and Certdesk keeps no other copy.</p>
      {info ? (
        <p className="warning">
          Its certificate <strong>{info.commonName}</strong> (valid until {dateText(info.notAfter)}) stays valid, but nothing can use it
          without this key. Export a PKCS#12 or the encrypted key first if a device or server still needs it
          {keyRow.certificate?.cloudflareId ? ', and revoke the certificate at Cloudflare if it is no longer needed' : ''}.
        </p>
      ) : null}
    </ConfirmDialog>
  )
}
