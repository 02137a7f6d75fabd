/**
 * The vault's backups on the Keys screen: the latest backup, the CA keys in no backup yet (and since when), and the
 * Back up… (passphrase typed twice, with main's strength estimate) and Restore… (file chosen and restore confirmed
 * in main) dialogs. No key and no path to read ever comes from this window.
 */
import { useEffect, useId, useState } from 'react'
import type { PassphraseStrength, RestoreResult } from '../../../../shared/contract/vault'
import { ActionDialog } from '../../components/Dialog'
import { NewSecretField, RepeatSecretField } from '../../components/Field'
import { dateText, dateTimeText } from '../../lib/format'
import { useAppStore } from '../../store'

const STRENGTH_WORDS = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'] as const

export function VaultBackupPanel({ hasKeys }: { hasKeys: boolean }) {
  const status = useAppStore((s) => s.backupStatus)
  const load = useAppStore((s) => s.loadBackupStatus)
  const [dialog, setDialog] = useState<'backup' | 'restore' | null>(null)
  useEffect(() => {
    void load()
  }, [load])
  const unbacked = status?.unbackedCaKeys ?? []
  return (
    <section className="panel vault-backup" aria-labelledby="vault-backup-title">
      <div className="panel-header">
        <h2 id="vault-backup-title">Backups</h2>
        <div className="header-actions">
          <button type="button" onClick={() => setDialog('restore')}>
            Restore…
          </button>
          <button type="button" className="primary" disabled={!hasKeys} onClick={() => setDialog('backup')}>
            Back up…
          </button>
        </div>
      </div>
      <p className="muted">
        {status?.last ? (
          <>
            Last backup{' '}
            <time dateTime={status.last.at} title={dateTimeText(status.last.at)}>
              {dateText(status.last.at)}
            </time>{' '}
            ({status.last.keys} key{status.last.keys === 1 ? '' : 's'}) to <code>{status.last.path}</code>.
          </>
        ) : (
          'No backup of this vault yet. A backup is one encrypted PKCS#12 file with every key and its certificate.'
        )}
        {status && status.unbackedKeys > 0 ? ` ${status.unbackedKeys} key(s) are in no backup.` : ''}
      </p>
      {unbacked.length ? (
        <div className="warning" role="status">
          <p>
            {unbacked.length === 1 ? 'This CA key is' : `These ${unbacked.length} CA keys are`} in no backup. If this computer is lost,
            nothing {unbacked.length === 1 ? 'it' : 'they'} issued can be renewed:
          </p>
          <ul>
            {unbacked.map((k) => (
              <li key={k.id}>
                <strong>{k.label}</strong> — not backed up since{' '}
                <time dateTime={k.since} title={dateTimeText(k.since)}>
                  {dateText(k.since)}
                </time>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {dialog === 'backup' ? <BackupDialog onClose={() => setDialog(null)} /> : null}
      {dialog === 'restore' ? <RestoreDialog onClose={() => setDialog(null)} /> : null}
    </section>
  )
}

/** Main's estimate of what is typed, a moment after typing stops. */
function useStrength(passphrase: string): PassphraseStrength | null {
  const estimate = useAppStore((s) => s.passphraseStrength)
  const [strength, setStrength] = useState<PassphraseStrength | null>(null)
  useEffect(() => {
    if (!passphrase) return
    let current = true
    const timer = setTimeout(() => {
      void estimate(passphrase).then((r) => {
        if (current && r.ok) setStrength(r.value)
      })
    }, 150)
    return () => {
      current = false
      clearTimeout(timer)
    }
  }, [passphrase, estimate])
  return passphrase ? strength : null
}

function BackupDialog({ onClose }: { onClose: () => void }) {
  const backupVault = useAppStore((s) => s.backupVault)
  const [passphrase, setPassphrase] = useState('')
  const [repeat, setRepeat] = useState('')
  const strength = useStrength(passphrase)
  const id = useId()
  const mismatch = repeat !== '' && repeat !== passphrase
  const weak = strength !== null && !strength.acceptable
  return (
    <ActionDialog
      title="Back up the vault"
      confirmLabel="Back up…"
      runningLabel="Backing up…"
      confirmDisabled={!passphrase || passphrase !== repeat || !strength?.acceptable}
      run={async () => (await backupVault(passphrase, repeat)).ok}
      onClose={onClose}
    >
      <p>
        Every key with its certificate, labels and links goes into one PKCS#12 file, encrypted with AES-256 under this passphrase
        (PBKDF2-SHA256, 600,000 iterations). Keep the passphrase apart from the file: without it the backup cannot be opened.
      </p>
      <NewSecretField id={`${id}-p`} label="Passphrase" value={passphrase} onValue={setPassphrase} aria-describedby={`${id}-s`} />
      <div id={`${id}-s`} className="strength" aria-live="polite">
        <meter min={0} max={4} low={2} high={3} optimum={4} value={strength?.score ?? 0} aria-label="Passphrase strength" />
        <span className={weak ? 'field-error' : 'muted small'}>
          {strength
            ? `${STRENGTH_WORDS[strength.score]}${weak ? ': too easy to guess. Use four or more random words.' : ''}`
            : 'Four or more random words make a strong passphrase.'}
        </span>
      </div>
      <RepeatSecretField
        id={`${id}-r`}
        label="The same passphrase again"
        value={repeat}
        onValue={setRepeat}
        mismatch={mismatch}
        message={mismatch ? 'The passphrases differ.' : null}
      />
    </ActionDialog>
  )
}

function RestoreDialog({ onClose }: { onClose: () => void }) {
  const restoreVault = useAppStore((s) => s.restoreVault)
  const [passphrase, setPassphrase] = useState('')
  const [result, setResult] = useState<RestoreResult | null>(null)
  const id = useId()
  return (
    <ActionDialog
      title="Restore keys from a backup"
      confirmLabel={result ? 'Restore another…' : 'Choose the backup…'}
      runningLabel="Restoring…"
      confirmDisabled={!passphrase}
      run={async () => {
        const restored = await restoreVault(passphrase)
        if (restored.ok && restored.value) setResult(restored.value)
        return false
      }}
      onClose={onClose}
    >
      <p>
        Keys from a Certdesk backup are added to this vault with their labels, certificates and activity. Keys already here stay as they
        are; a wrong passphrase or a damaged file changes nothing.
      </p>
      <label htmlFor={`${id}-p`}>Backup passphrase</label>
      <input id={`${id}-p`} type="password" autoComplete="off" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
      {result ? (
        <div role="status">
          <p>
            Restored {result.restored.length} key(s)
            {result.alreadyHere.length ? `; ${result.alreadyHere.length} were here already` : ''}.
          </p>
          {result.conflicts.length ? (
            <ul className="warning">
              {result.conflicts.map((c) => (
                <li key={c.id}>
                  Not restored: <strong>{c.label}</strong> — its id is held here by a different key, “{c.keptLabel}”, which was kept.
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </ActionDialog>
  )
}
