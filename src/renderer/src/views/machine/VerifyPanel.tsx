/**
 * Verify a root on this machine: by fingerprint (any spelling — Gateway's unpadded `AB:0:31`,
 * Access's `MD5 Fingerprint=…`, Windows thumbprints), by certificate file, or from the account
 * (the Gateway certificate in use and the Access roots) when a profile is active.
 */
import type { Failure } from '../../../../shared/errors'
import { useId, useState } from 'react'
import type { CertificateInput } from '../../../../shared/lint-model'
import type { VerifyReport } from '../../../../shared/truststore-model'
import { DropZone } from '../../components/certificate/DropZone'
import { ErrorBox } from '../../components/ErrorBox'
import { inputToPem } from '../../lib/pem'
import { useAppStore } from '../../store'
import { AccountRootsSource } from './AccountRootsSource'
import { VerifyReportView } from './VerifyReportView'
import { SubmitForm } from '../../components/Field'

export function VerifyPanel() {
  const verify = useAppStore((s) => s.verifyRoot)
  const [fingerprint, setFingerprint] = useState('')
  const [host, setHost] = useState('')
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<{ report: VerifyReport; source: string; input: string } | null>(null)
  const [error, setError] = useState<Failure | null>(null)
  const fpId = useId()
  const hostId = useId()

  const run = async (input: string, source: string) => {
    setBusy(true)
    setError(null)
    const outcome = await verify(input, host.trim() || undefined)
    setBusy(false)
    if (!outcome.ok) {
      setResult(null)
      setError(outcome.error)
    } else setResult({ report: outcome.value, source, input })
  }
  const fromFile = (input: CertificateInput) => void run(inputToPem(input), input.name ?? 'the file')

  return (
    <div className="machine-verify">
      <div className="verify-sources">
        <section className="panel" aria-labelledby="verify-fp-title">
          <h2 id="verify-fp-title">By fingerprint</h2>
          <SubmitForm
            className="form-stack"
            onSubmit={() => {
              if (fingerprint.trim()) void run(fingerprint, 'the fingerprint')
            }}
          >
            <label className="field" htmlFor={fpId}>
              SHA-256, SHA-1 or MD5 fingerprint
            </label>
            <input
              id={fpId}
              value={fingerprint}
              onChange={(e) => setFingerprint(e.target.value)}
              spellCheck={false}
              placeholder="E9:19:49:AA:… or MD5 Fingerprint=…"
              className="mono"
            />
            <p className="muted small">
              Any spelling: colons or not, Gateway’s short bytes (AB:0:31), Access’s “MD5 Fingerprint=…”, a Windows thumbprint.
            </p>
            <label className="field" htmlFor={hostId}>
              Also check a host that should present it (optional)
            </label>
            <input id={hostId} value={host} onChange={(e) => setHost(e.target.value)} placeholder="intranet.example.com:443" />
            <div className="form-actions">
              <button type="submit" className="primary" disabled={busy || !fingerprint.trim()}>
                {busy ? 'Checking…' : 'Verify fingerprint'}
              </button>
            </div>
          </SubmitForm>
        </section>
        <section className="panel" aria-labelledby="verify-file-title">
          <h2 id="verify-file-title">By certificate file</h2>
          <DropZone label="Root certificate to verify" onInput={fromFile} busy={busy} />
        </section>
      </div>
      <AccountRootsSource busy={busy} onVerify={(fp, source) => void run(fp, source)} />
      <div className="verify-result">
        {error ? <ErrorBox error={error} /> : null}
        {result ? (
          <VerifyReportView
            report={result.report}
            source={result.source}
            pem={result.input.includes('-----BEGIN CERTIFICATE-----') ? result.input : undefined}
            onChanged={() => void run(result.input, result.source)}
          />
        ) : null}
        {!error && !result ? (
          <p className="muted">
            Give a fingerprint, drop the root’s file, or pick one of the account’s roots; the answer shows here, one line per store.
          </p>
        ) : null}
      </div>
    </div>
  )
}
