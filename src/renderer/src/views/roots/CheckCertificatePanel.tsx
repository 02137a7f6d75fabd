import { useState } from 'react'
import { LINT_PROFILES } from '../../../../shared/constants'
import type { LintProfileId } from '../../../../shared/lint-model'
import { CertificateCheckView } from '../../components/certificate/CertificateCheckView'
import { DropZone } from '../../components/certificate/DropZone'
import { useAppFields } from '../../store'
import type { PathCheck } from '../../store/lint'
import { ErrorBox } from '../../components/ErrorBox'

/** Check any certificate file before it is uploaded or installed: what it is, and what is wrong with it. */
export function CheckCertificatePanel() {
  const {
    check,
    checkError: error,
    checking,
    checkCertificate: run,
    clearCheck: clear,
  } = useAppFields('check', 'checkError', 'checking', 'checkCertificate', 'clearCheck')
  const [profile, setProfile] = useState<LintProfileId>('auto')
  const [at, setAt] = useState('')
  const [purpose, setPurpose] = useState<'' | 'client' | 'server'>('')
  const [peer, setPeer] = useState('')
  const [systemRoots, setSystemRoots] = useState(false)
  // datetime-local is the user's local time; the checker takes an ISO 8601 instant.
  const path: PathCheck = {
    ...(at && !Number.isNaN(Date.parse(at)) ? { at: new Date(at).toISOString() } : {}),
    ...(purpose ? { purpose } : {}),
    ...(peer.trim() ? { peer: peer.trim() } : {}),
    ...(systemRoots ? { systemRoots } : {}),
  }
  return (
    <section className="panel" aria-labelledby="check-title">
      <h2 id="check-title">Check a certificate</h2>
      <p className="muted">RFC 5280 and Cloudflare checks run locally; nothing is uploaded.</p>
      <label className="field inline">
        <span>Profile</span>
        <select value={profile} onChange={(e) => setProfile(e.target.value as LintProfileId)}>
          {LINT_PROFILES.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>Validate the path (optional)</legend>
        <label className="field inline">
          <span>At time</span>
          <input type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />
        </label>
        <label className="field inline">
          <span>Purpose</span>
          <select value={purpose} onChange={(e) => setPurpose(e.target.value as '' | 'client' | 'server')}>
            <option value="">any</option>
            <option value="server">TLS server</option>
            <option value="client">TLS client (mTLS)</option>
          </select>
        </label>
        <label className="field inline">
          <span>Host name or IP</span>
          <input type="text" value={peer} placeholder="app.example.com" onChange={(e) => setPeer(e.target.value)} />
        </label>
        <label className="field inline">
          <input type="checkbox" checked={systemRoots} onChange={(e) => setSystemRoots(e.target.checked)} />
          <span>Against this machine&apos;s roots</span>
        </label>
      </fieldset>
      <DropZone label="Certificate to check" busy={checking} onInput={(input) => void run(input, profile, path)} onReadError={clear} />
      {error ? <ErrorBox error={error} /> : null}
      {check ? <CertificateCheckView check={check} /> : null}
    </section>
  )
}
