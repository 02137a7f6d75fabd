/**
 * Install a root into every store on this machine, or remove it, after a confirmation that says
 * which stores will ask for an administrator password. Each store's outcome is shown as it came.
 */
import type { Failure } from '../../../../shared/errors'
import { useEffect, useId, useState } from 'react'
import type { CertificateInput } from '../../../../shared/lint-model'
import { rootName } from '../../../../shared/trust-verdict'
import type { ChangeReport, VerifyReport } from '../../../../shared/truststore-model'
import { DropZone } from '../../components/certificate/DropZone'
import { ConfirmDialog } from '../../components/Dialog'
import { ErrorBox } from '../../components/ErrorBox'
import { inputToPem } from '../../lib/pem'
import { ExportForFleetButton } from '../../components/ExportForFleetButton'
import { useAppFields } from '../../store'
import { ChangeReportView } from '../../components/certificate/ChangeReportView'
import { VerifyReportView } from './VerifyReportView'

type Action = 'install' | 'remove'

export function ChangePanel() {
  const {
    trustStores: stores,
    trustStoresLoaded: loaded,
    loadTrustStores: loadStores,
    verifyRoot: verify,
    installRoot: install,
    removeRoot: remove,
  } = useAppFields('trustStores', 'trustStoresLoaded', 'loadTrustStores', 'verifyRoot', 'installRoot', 'removeRoot')
  const [cert, setCert] = useState<{ pem: string; name: string; status: VerifyReport } | null>(null)
  const [fingerprint, setFingerprint] = useState('')
  const [confirm, setConfirm] = useState<Action | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<Failure | null>(null)
  const [result, setResult] = useState<{ action: Action; report: ChangeReport } | null>(null)
  const fpId = useId()

  useEffect(() => {
    if (!loaded) void loadStores()
  }, [loaded, loadStores])
  const changeable = stores.filter((s) => s.available)
  const elevated = changeable.filter((s) => s.needsElevation)
  const skipped = stores.filter((s) => !s.available)
  const target = cert?.pem ?? fingerprint.trim()
  // A typed fingerprint is looked up, so the button and the confirmation name the root it removes.
  const [byFingerprint, setByFingerprint] = useState<{ for: string; report: VerifyReport } | null>(null)
  useEffect(() => {
    const typed = fingerprint.trim()
    if (cert || !/^[0-9a-f]{40}([0-9a-f]{24})?$/i.test(typed.replace(/[:\s]/g, ''))) return
    let live = true
    const timer = setTimeout(() => {
      void verify(typed).then((report) => {
        if (live && report.ok) setByFingerprint({ for: typed, report: report.value })
      })
    }, 300)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [cert, fingerprint, verify])
  const looked = byFingerprint?.for === fingerprint.trim() && byFingerprint.report.root ? byFingerprint.report : null
  const name = cert
    ? cert.status.root
      ? rootName(cert.status)
      : cert.name
    : looked
      ? rootName(looked)
      : fingerprint.trim()
        ? `the root ${fingerprint.trim().slice(0, 23)}…`
        : ''

  const take = async (input: CertificateInput) => {
    setError(null)
    setResult(null)
    const pem = inputToPem(input)
    // Read it through main first: refuses keys, CSRs and bundles with a specific message, and shows where it is now.
    const verified = await verify(pem)
    if (!verified.ok) {
      setCert(null)
      setError(verified.error)
      return
    }
    const status = verified.value
    setCert({ pem, name: input.name ?? 'the certificate', status })
    // A leaf or an expired root is refused now, not after a confirmation (it can still be removed).
    if (status.installable?.ok === false)
      setError({
        code: 'bad_input',
        message: status.installable.message ?? 'This certificate cannot be installed as a root.',
        ...(status.installable.hint ? { hint: status.installable.hint } : {}),
      })
  }
  const run = async (action: Action) => {
    setBusy(true)
    setError(null)
    const report = action === 'install' ? await install(cert!.pem) : await remove(target)
    setBusy(false)
    setConfirm(null)
    // A "no" in main's confirmation changed nothing: the toast says so, the panel stays as it was.
    if (!report.ok) setError(report.error.code === 'cancelled' ? null : report.error)
    else {
      setResult({ action, report: report.value })
      if (cert) {
        const status = await verify(cert.pem)
        if (status.ok) setCert({ ...cert, status: status.value })
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
          <input
            id={fpId}
            className="mono"
            value={fingerprint}
            disabled={cert !== null}
            onChange={(e) => setFingerprint(e.target.value)}
            spellCheck={false}
          />
          <p className="muted small">Installing needs the certificate itself; removing works with its fingerprint.</p>
        </section>
      </div>
      <div className="form-actions">
        <button
          type="button"
          className="primary"
          disabled={!cert || cert.status.installable?.ok === false || busy || changeable.length === 0}
          onClick={() => setConfirm('install')}
        >
          {cert ? `Install ${name} on this machine…` : 'Install on this machine…'}
        </button>
        {cert && cert.status.installable?.ok !== false ? <ExportForFleetButton certificatePem={cert.pem} name={name} /> : null}
        <button type="button" className="danger" disabled={!target || busy || changeable.length === 0} onClick={() => setConfirm('remove')}>
          {target ? `Remove ${name} from this machine…` : 'Remove from this machine…'}
        </button>
      </div>
      {error ? <ErrorBox error={error} /> : null}
      {result ? (
        <ChangeReportView report={result.report} action={result.action} />
      ) : cert ? (
        <VerifyReportView report={cert.status} source={cert.name} />
      ) : null}
      {confirm ? (
        <ConfirmDialog
          open
          title={confirm === 'install' ? `Install ${name}?` : `Remove ${name}?`}
          confirmLabel={confirm === 'install' ? `Install ${name}` : `Remove ${name}`}
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
                {s.label} <span className="muted small">({s.location})</span>{' '}
                {s.needsElevation ? <span className="badge warn">admin prompt</span> : null}
              </li>
            ))}
          </ul>
          {elevated.length ? (
            <p role="note">
              Your system will ask for an administrator password for {elevated.map((s) => s.label).join(', ')} (
              {elevated.map((s) => s.tool).join(', ')} run through the system’s own prompt). Certdesk never sees that password. Cancel the
              prompt to skip those stores.
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
