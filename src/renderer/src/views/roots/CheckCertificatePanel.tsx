import { useState } from 'react'
import { LINT_PROFILES } from '../../../../shared/constants'
import type { LintProfileId } from '../../../../shared/lint-model'
import { CertificateCheckView } from '../../components/certificate/CertificateCheckView'
import { DropZone } from '../../components/certificate/DropZone'
import { useAppFields } from '../../store'
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
      <DropZone label="Certificate to check" busy={checking} onInput={(input) => void run(input, profile)} onReadError={clear} />
      {error ? <ErrorBox error={error} /> : null}
      {check ? <CertificateCheckView check={check} /> : null}
    </section>
  )
}
