/**
 * Install a root into every store on this machine, or remove it, after a confirmation that says
 * which stores will ask for an administrator password. Each store's outcome is shown as it came.
 */
import { useEffect, useId, useState } from 'react'
import type { CertificateInput } from '../../../../shared/lint-model'
import type { ChangeReport, VerifyReport } from '../../../../shared/truststore-model'
import { DropZone } from '../../components/certificate/DropZone'
import { ConfirmDialog } from '../../components/Dialog'
import { ErrorBox } from '../../components/ErrorBox'
import { inputToPem } from '../../lib/pem'
import { useAppStore } from '../../store'
import { ChangeReportView } from './ChangeReportView'
import { VerifyReportView } from './VerifyReportView'

type Action = 'install' | 'remove'

export function ChangePanel() {
  const stores = useAppStore((s) => s.trustStores)
  const loaded = useAppStore((s) => s.trustStoresLoaded)
  const loadStores = useAppStore((s) => s.loadTrustStores)
  const verify = useAppStore((s) => s.verifyRoot)
  const install = useAppStore((s) => s.installRoot)
  const remove = useAppStore((s) => s.removeRoot)
  const [cert, setCert] = useState<{ pem: string; name: string; status: VerifyReport } | null>(null)
  const [fingerprint, setFingerprint] = useState('')
  const [confirm, setConfirm] = useState<Action | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<{ message: string; hint?: string } | null>(null)
  const [result, setResult] = useState<{ action: Action; report: ChangeReport } | null>(null)
  const fpId = useId()

  useEffect(() => {
    if (!loaded) void loadStores()
  }, [loaded, loadStores])
  const changeable = stores.filter((s) => s.available)
  const elevated = changeable.filter((s) => s.needsElevation)
  const skipped = stores.filter((s) => !s.available)
  const target = cert?.pem ?? fingerprint.trim()
  const name = cert ? (cert.status.root?.subject ?? cert.name) : fingerprint.trim()

  const take = async (input: CertificateInput) => {
    setError(null)
    setResult(null)
    const pem = inputToPem(input)
    // Read it through main first: refuses keys, CSRs and bundles with a specific message, and shows where it is now.
    const status = await verify(pem)
    if ('error' in status) {
      setCert(null)
      setError(status.error)
      return
    }
    setCert({ pem, name: input.name ?? 'the certificate', status })
    // A leaf or an expired root is refused now, not after a confirmation (it can still be removed).
    if (status.installable?.ok === false) setError({ message: status.installable.message ?? 'This certificate cannot be installed as a root.', ...(status.installable.hint ? { hint: status.installable.hint } : {}) })
  }
  const run = async (action: Action) => {
    setBusy(true)
    setError(null)
    const report = action === 'install' ? await install(cert!.pem) : await remove(target)
    setBusy(false)
    setConfirm(null)
    // A "no" in main's confirmation changed nothing: the toast says so, the panel stays as it was.
    if ('error' in report) setError(report.error.cancelled ? null : report.error)
    else {
      setResult({ action, report })
      if (cert) {
        const status = await verify(cert.pem)
        if (!('error' in status)) setCert({ ...cert, status })
      }
    }
  }

  return (
    <div className="machine-change">
      <div className="verify-sources">
        <section className="panel" aria-labelledby="change-root-title">
          <h2 id="change-root-title">The root</h2>
          <DropZone label="Root certificate to install or remove" onInput={(i) => void take(i)} busy={busy} />
          {cert ? (
            <p>
              Loaded <strong>{cert.status.root?.subject ?? cert.name}</strong>{' '}
              <button type="button" className="link-button" onClick={() => setCert(null)}>
                Clear
              </button>
            </p>
          ) : null}
        </section>
        <section className="panel" aria-labelledby="change-fp-title">
          <h2 id="change-fp-title">…or remove by fingerprint</h2>
          <label className="field" htmlFor={fpId}>
            SHA-256 or SHA-1 fingerprint of the root to remove
          </label>
          <input id={fpId} className="mono" value={fingerprint} disabled={cert !== null} onChange={(e) => setFingerprint(e.target.value)} spellCheck={false} />
          <p className="muted small">Installing needs the certificate itself; removing works with its fingerprint.</p>
        </section>
      </div>
      <div className="form-actions">
        <button type="button" className="primary" disabled={!cert || cert.status.installable?.ok === false || busy || changeable.length === 0} onClick={() => setConfirm('install')}>
          Install on this machine…
        </button>
        <button type="button" className="danger" disabled={!target || busy || changeable.length === 0} onClick={() => setConfirm('remove')}>
          Remove from this machine…
        </button>
      </div>
      {error ? <ErrorBox error={error} /> : null}
      {result ? <ChangeReportView report={result.report} action={result.action} /> : cert ? <VerifyReportView report={cert.status} source={cert.name} /> : null}
      {confirm ? (
        <ConfirmDialog
          open
          title={confirm === 'install' ? `Install ${name}?` : `Remove ${name}?`}
          confirmLabel={confirm === 'install' ? 'Install root' : 'Remove root'}
          danger={confirm === 'remove'}
          busy={busy}
          onCancel={() => setConfirm(null)}
          onConfirm={() => void run(confirm)}
        >
          <p>
            {confirm === 'install'
              ? 'Every program that uses these stores will trust certificates this root signs:'
              : 'Programs that use these stores will stop trusting certificates this root signs:'}
          </p>
          <ul>
            {changeable.map((s) => (
              <li key={s.id}>
                {s.label} <span className="muted small">({s.location})</span> {s.needsElevation ? <span className="badge warn">admin prompt</span> : null}
              </li>
            ))}
          </ul>
          {elevated.length ? (
            <p role="note">
              Your system will ask for an administrator password for {elevated.map((s) => s.label).join(', ')} ({elevated.map((s) => s.tool).join(', ')} run through the system’s own prompt). Certdesk never sees that password. Cancel the prompt to skip those stores.
            </p>
          ) : (
            <p className="muted">None of these stores needs an administrator password.</p>
          )}
          {skipped.length ? <p className="muted small">Skipped (its tool is missing): {skipped.map((s) => s.label).join(', ')}.</p> : null}
          {busy ? <p aria-live="polite">Working… answer the system prompt if one appears.</p> : null}
        </ConfirmDialog>
      ) : null}
    </div>
  )
}
