import { useEffect, useId, useState } from 'react'
import type { AccessCertificateSummary, AccessHostnameSetting, AccessScope } from '../../../../shared/cloudflare-model'
import type { Failure } from '../../../../shared/errors'
import { LintGatedDialog } from '../../components/certificate/LintGatedDialog'
import { PemInput, type PemValue } from '../../components/certificate/PemInput'
import { ActionDialog, CloseButton, ConfirmDialog, Dialog } from '../../components/Dialog'
import { ProgressSteps } from '../../components/Steps'
import { ErrorBox } from '../../components/ErrorBox'
import { parseHostnames } from '../../lib/format'
import { useAppStore } from '../../store'
import { HostnameListField, PemTextArea, RadioRow } from '../../components/Field'
import { GenerateRootForm } from './GenerateRootForm'

const SOURCES = [
  ['file', 'From a file or pasted'],
  ['generate', 'Generate a new root here'],
] as const

/** What every Access dialog works on: the profile and the Access scope (an account or a zone). */
interface AccessDialogProps {
  profileId: string
  scope: AccessScope
  onClose: () => void
}
type ScopeDialogProps = AccessDialogProps & { scopeName: string }
type RootDialogProps = AccessDialogProps & { root: AccessCertificateSummary }

export function AddAccessRootDialog({ profileId, scope, scopeName, onClose }: ScopeDialogProps) {
  const add = useAppStore((s) => s.addAccessRoot)
  const lint = useAppStore((s) => s.lintForUpload)
  const [name, setName] = useState('')
  const [cert, setCert] = useState<PemValue | null>(null)
  const [source, setSource] = useState<'file' | 'generate'>('file')
  const [hostnames, setHostnames] = useState<string[]>([])
  const nameId = useId()
  return (
    <LintGatedDialog
      title={`Add an Access root to ${scopeName}`}
      value={cert}
      lint={(input) => lint(input, 'root-ca')}
      send={(pem) => add(profileId, scope, name.trim(), pem, hostnames)}
      onClose={onClose}
      ready={name.trim() !== ''}
      verb={{ base: 'Add', running: 'Adding…', submit: 'Check and add root' }}
      notice={{
        refused: (errs) =>
          `Not added: ${cert?.source ?? 'it'} fails ${errs.length} root CA check${errs.length === 1 ? '' : 's'} ` +
          `(${errs.map((f) => f.title.toLowerCase()).join('; ')}).`,
        fix:
          'Access trusts every certificate this root signs, so it must be a valid, current CA. ' +
          'Fix the certificate (each finding says how), then choose it again.',
        acceptedBy: 'Access',
        proceed: 'add it',
        reportTitle: 'Root CA checks',
      }}
    >
      {(busy) => (
        <>
          <label className="field" htmlFor={nameId}>
            Name
          </label>
          <input id={nameId} value={name} onChange={(e) => setName(e.target.value)} placeholder="Allow devs" autoComplete="off" />
          <RadioRow
            legend="Where the root comes from"
            name={`${nameId}-source`}
            value={source}
            choices={SOURCES}
            disabled={busy}
            onChange={(value) => {
              setSource(value)
              setCert(null)
            }}
          />
          {source === 'file' ? (
            <PemInput label="Root CA certificate" value={cert} onChange={setCert} />
          ) : (
            <GenerateRootForm
              defaultCn={name.trim() || `${scopeName} Access Root`}
              onGenerated={(root) => {
                setCert({
                  input: { text: root.certificatePem, name: root.key.label },
                  pem: root.certificatePem,
                  source: 'the root generated here',
                })
                if (!name.trim()) setName(root.key.label.replace(/^Root /, ''))
              }}
            />
          )}
          <HostnameListField label="Associated hostnames (optional, one per line)" rows={3} onHostnames={setHostnames} />
        </>
      )}
    </LintGatedDialog>
  )
}

export function EditAccessHostnamesDialog({ profileId, scope, root, onClose }: RootDialogProps) {
  const update = useAppStore((s) => s.updateAccessHostnames)
  const [text, setText] = useState(root.associatedHostnames.join('\n'))
  const id = useId()
  return (
    <ActionDialog
      title={`Hostnames of ${root.name}`}
      confirmLabel="Save hostnames"
      runningLabel="Saving…"
      run={async () => (await update(profileId, scope, root, parseHostnames(text))).ok}
      onClose={onClose}
    >
      <PemTextArea id={id} label="Hostnames, one per line" rows={6} value={text} onChange={(e) => setText(e.target.value)} />
      <p className="muted small">
        Access asks for a client certificate issued by this root on these hostnames. They must belong to zones of this account.
      </p>
    </ActionDialog>
  )
}

export function AccessSettingsDialog({ profileId, scope, scopeName, onClose }: ScopeDialogProps) {
  const loadSettings = useAppStore((s) => s.loadAccessSettings)
  const save = useAppStore((s) => s.saveAccessSettings)
  const [rows, setRows] = useState<AccessHostnameSetting[] | null>(null)
  const [error, setError] = useState<Failure | null>(null)
  const [adding, setAdding] = useState('')
  const addId = useId()
  useEffect(() => {
    let live = true
    void loadSettings(profileId, scope).then((result) => {
      if (!live) return
      if (!result.ok) setError(result.error)
      else setRows(result.value)
    })
    return () => {
      live = false
    }
  }, [loadSettings, profileId, scope])
  const set = (hostname: string, patch: Partial<AccessHostnameSetting>) =>
    setRows((rows ?? []).map((r) => (r.hostname === hostname ? { ...r, ...patch } : r)))
  const add = () => {
    const [hostname] = parseHostnames(adding)
    if (!hostname || (rows ?? []).some((r) => r.hostname === hostname)) return
    setRows([...(rows ?? []), { hostname, chinaNetwork: false, clientCertificateForwarding: false }])
    setAdding('')
  }
  return (
    <ActionDialog
      wide
      title={`Access hostname settings on ${scopeName}`}
      confirmLabel="Save settings"
      runningLabel="Saving…"
      confirmDisabled={!rows}
      run={async () => rows !== null && (await save(profileId, scope, rows)).ok}
      onClose={onClose}
    >
      {error ? <ErrorBox error={error} /> : null}
      {rows === null && !error ? (
        <p className="muted" role="status">
          Loading…
        </p>
      ) : null}
      {rows ? (
        <>
          {rows.length === 0 ? (
            <p className="muted">No hostname has settings yet. Add one below.</p>
          ) : (
            <table className="data-table compact settings-table" aria-label="Hostname settings">
              <thead>
                <tr>
                  <th scope="col">Hostname</th>
                  <th scope="col">Forward the client certificate</th>
                  <th scope="col">China network</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.hostname}>
                    <td>{r.hostname}</td>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Forward the client certificate to the origin of ${r.hostname}`}
                        checked={r.clientCertificateForwarding}
                        onChange={(e) => set(r.hostname, { clientCertificateForwarding: e.target.checked })}
                      />
                    </td>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Use the China network for ${r.hostname}`}
                        checked={r.chinaNetwork}
                        onChange={(e) => set(r.hostname, { chinaNetwork: e.target.checked })}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <div className="toolbar" style={{ marginTop: 12 }}>
            <div className="field inline">
              <label htmlFor={addId}>Hostname</label>
              <input
                id={addId}
                value={adding}
                onChange={(e) => setAdding(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault()
                    add()
                  }
                }}
                placeholder="app.example.com"
              />
            </div>
            <button type="button" onClick={add} disabled={!adding.trim()}>
              Add hostname
            </button>
          </div>
        </>
      ) : null}
    </ActionDialog>
  )
}

/** Confirm, then detach and delete as two visible steps with progress (Cloudflare needs the hostnames gone first). */
export function DeleteAccessRootDialog({ profileId, scope, root, onClose }: RootDialogProps) {
  const startJob = useAppStore((s) => s.startJob)
  const remove = useAppStore((s) => s.deleteAccessRoot)
  const [jobId, setJobId] = useState<string | null>(null)
  const progress = useAppStore((s) => (jobId ? s.jobs[jobId] : undefined))
  const [outcome, setOutcome] = useState<'deleted' | 'failed' | null>(null)
  const [lastDone, setLastDone] = useState(0)
  const done = progress?.done ?? lastDone
  if (progress && progress.done !== lastDone) setLastDone(progress.done)

  const run = async () => {
    const id = startJob(`Deleting ${root.name}`)
    setJobId(id)
    const { ok } = await remove(profileId, scope, root, id)
    setOutcome(ok ? 'deleted' : 'failed')
    if (ok) onClose()
  }
  const steps = [
    {
      label: root.associatedHostnames.length ? `Detach ${root.associatedHostnames.join(', ')}` : 'Detach hostnames (none attached)',
      doneAt: 1,
    },
    { label: `Delete ${root.name}`, doneAt: 2 },
  ]
  if (!jobId) {
    return (
      <ConfirmDialog
        open
        title={`Delete ${root.name}?`}
        confirmLabel="Detach and delete"
        danger
        onConfirm={() => void run()}
        onCancel={onClose}
      >
        <p>
          Access will stop accepting client certificates issued by <strong>{root.name}</strong>
          {root.associatedHostnames.length ? (
            <>
              {' '}
              on <strong>{root.associatedHostnames.join(', ')}</strong>. Those hostnames are detached first, then the root is deleted.
            </>
          ) : (
            '. It has no hostnames attached.'
          )}
        </p>
      </ConfirmDialog>
    )
  }
  return (
    <Dialog
      open
      title={`Deleting ${root.name}`}
      onClose={() => outcome && onClose()}
      actions={<CloseButton onClose={onClose} disabled={!outcome} />}
    >
      <ProgressSteps
        label="Steps"
        steps={steps.map((step, i) => ({
          label: step.label,
          state: done >= step.doneAt ? 'done' : outcome === 'failed' && done === i ? 'failed' : done === i ? 'current' : 'waiting',
        }))}
      />
      <p className="muted small" aria-live="polite">
        {progress?.message ??
          (outcome === 'failed' ? 'Stopped: see the message in the corner. Whatever was not deleted is unchanged.' : '\u00a0')}
      </p>
    </Dialog>
  )
}
