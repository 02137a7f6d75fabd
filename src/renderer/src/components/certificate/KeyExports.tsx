import { useId, useState } from 'react'
import type { VaultEntry } from '../../../../shared/pki-model'
import type { ExportFormat } from '../../../../shared/contract/keys'
import { useAppStore } from '../../store'
import { NewSecretField, RepeatSecretField } from '../Field'

/** Read-only PEM with a copy button. */
export function PemBlock({ label, pem, copyLabel }: { label: string; pem: string; copyLabel: string }) {
  const toast = useAppStore((s) => s.toast)
  const id = useId()
  const copy = () =>
    navigator.clipboard.writeText(pem).then(
      () => toast('success', 'Copied to the clipboard.'),
      () => toast('error', 'The clipboard refused the text.', 'Select the text and copy it with Ctrl+C.'),
    )
  return (
    <div className="form-stack">
      <label className="field" htmlFor={id}>
        {label}
      </label>
      <textarea id={id} className="pem" readOnly rows={8} value={pem} spellCheck={false} />
      <div className="form-actions">
        <button type="button" onClick={() => void copy()}>
          {copyLabel}
        </button>
      </div>
    </div>
  )
}

/**
 * Saving a vault key's certificate (PEM, DER), its key (encrypted PKCS#8, or unencrypted PEM after an
 * explicit acknowledgement) or a PKCS#12 with its chain — all through main's save dialog.
 * `certificate={false}` leaves the certificate buttons out where the screen already offers them.
 */
export function KeyExports({ keyEntry, certificate = true }: { keyEntry: VaultEntry; certificate?: boolean }) {
  const exportKey = useAppStore((s) => s.exportKey)
  const [busy, setBusy] = useState<ExportFormat | null>(null)
  const run = async (format: ExportFormat, password?: string) => {
    setBusy(format)
    await exportKey(keyEntry.id, format, password)
    setBusy(null)
  }
  const chainNote = keyEntry.certificate?.cloudflareId
    ? 'Holds this certificate and key. Cloudflare’s API does not hand out the zone’s managed CA certificate, so it is not included ' +
      '(Cloudflare checks it, devices need not send it).'
    : 'Holds this certificate, its key, and the issuing CA certificates kept in this vault.'
  return (
    <div className="export-grid" aria-label="Exports">
      {certificate ? (
        <fieldset>
          <legend>Certificate</legend>
          <p className="muted small">PEM for servers and tools that take the key separately; DER (.cer) for Windows and Java.</p>
          <div className="form-actions">
            <button type="button" disabled={busy !== null || !keyEntry.certificate} onClick={() => void run('certificate-pem')}>
              Save certificate (PEM)
            </button>
            <button type="button" disabled={busy !== null || !keyEntry.certificate} onClick={() => void run('certificate-der')}>
              Save certificate (DER, .cer)
            </button>
          </div>
        </fieldset>
      ) : null}
      <PasswordExport
        title="Encrypted private key"
        note="PKCS#8, AES-256 — the key for this certificate."
        buttonLabel="Save encrypted key"
        busy={busy !== null}
        onSave={(p) => run('key-pkcs8-encrypted', p)}
      />
      <PasswordExport
        title="PKCS#12 for mobile and IoT"
        note={`Certificate and key in one file for a phone, an app or a device. ${chainNote}`}
        buttonLabel="Save PKCS#12"
        busy={busy !== null || !keyEntry.certificate}
        legacyOption
        onSave={(p, legacy) => run(legacy ? 'pkcs12-legacy' : 'pkcs12', p)}
      />
      <UnencryptedKeyExport busy={busy !== null} onSave={() => run('key-pem-unencrypted')} />
    </div>
  )
}

/** The key in the clear (nginx, curl): only after the user ticks that they understand the risk. */
function UnencryptedKeyExport({ busy, onSave }: { busy: boolean; onSave: () => Promise<void> }) {
  const [understood, setUnderstood] = useState(false)
  const id = useId()
  return (
    <fieldset>
      <legend>Unencrypted private key</legend>
      <p className="warning small" id={`${id}-w`}>
        PEM without a password, for nginx, curl and other tools that cannot read an encrypted key. Anyone who can read the file can use this
        certificate: keep it on the machine that needs it, readable only by that service, and prefer the encrypted key or PKCS#12 elsewhere.
      </p>
      <label className="field inline">
        <input type="checkbox" checked={understood} aria-describedby={`${id}-w`} onChange={(e) => setUnderstood(e.target.checked)} />I
        understand the file will hold the key unencrypted
      </label>
      <button
        type="button"
        className="danger"
        disabled={busy || !understood}
        onClick={() => void onSave().then(() => setUnderstood(false))}
      >
        Save unencrypted key
      </button>
    </fieldset>
  )
}

function PasswordExport({
  title,
  note,
  buttonLabel,
  busy,
  legacyOption,
  onSave,
}: {
  title: string
  note: string
  buttonLabel: string
  busy: boolean
  legacyOption?: boolean
  onSave: (password: string, legacy: boolean) => Promise<void>
}) {
  const [password, setPassword] = useState('')
  const [confirm, setConfirm] = useState('')
  const [legacy, setLegacy] = useState(false)
  const id = useId()
  const mismatch = confirm !== '' && password !== confirm
  return (
    <fieldset>
      <legend>{title}</legend>
      <p className="muted small">{note}</p>
      <NewSecretField id={`${id}-p`} label={`${title}: password`} value={password} onValue={setPassword} />
      <RepeatSecretField
        id={`${id}-c`}
        label={`${title}: confirm password`}
        value={confirm}
        onValue={setConfirm}
        mismatch={mismatch}
        message={mismatch ? 'The passwords differ.' : password && password.length < 8 ? 'At least 8 characters.' : null}
      />
      {legacyOption ? (
        <label className="field inline">
          <input type="checkbox" checked={legacy} onChange={(e) => setLegacy(e.target.checked)} />
          Legacy encryption (3DES) for older Android, iOS and macOS
        </label>
      ) : null}
      <button
        type="button"
        disabled={busy || !password || password !== confirm || password.length < 8}
        onClick={() =>
          void onSave(password, legacy).then(() => {
            setPassword('')
            setConfirm('')
          })
        }
      >
        {buttonLabel}
      </button>
    </fieldset>
  )
}
