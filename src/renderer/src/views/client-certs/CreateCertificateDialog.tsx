import type { Failure } from '../../../../shared/errors'
import { useId, useState } from 'react'
import type { ClientCertificateSummary } from '../../../../shared/cloudflare-model'
import { CLOUDFLARE_CLIENT_KEYS_SENTENCE } from '../../../../shared/constants'
import { CloseButton, Dialog } from '../../components/Dialog'
import { ErrorBox } from '../../components/ErrorBox'
import { dateText } from '../../lib/format'
import { VALIDITY_YEAR_CHOICES, validityDays } from '../../lib/validity'
import { useAppStore } from '../../store'
import type { ZoneScope } from '../../store/scope'
import { FileLink, PemTextArea } from '../../components/Field'
import { InlineChoice } from '../../components/ChoiceSelect'
import { CertificateDownloads } from '../../components/certificate/CertificateDownloads'

/** Issue a client certificate for a CSR the user already has (the key never leaves their device). */
export function CreateCertificateDialog({ zone, zoneName, onClose }: { zone: ZoneScope; zoneName: string; onClose: () => void }) {
  const create = useAppStore((s) => s.createCertFromCsr)
  const defaultYears = useAppStore((s) => s.settings?.defaultValidityYears ?? 10)
  const [csr, setCsr] = useState('')
  const [years, setYears] = useState<number>(defaultYears)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<Failure | null>(null)
  const [issued, setIssued] = useState<ClientCertificateSummary | null>(null)
  const csrId = useId()
  const fileId = useId()
  const pemId = useId()

  const submit = async () => {
    setBusy(true)
    setError(null)
    const result = await create(zone, csr, validityDays(years))
    setBusy(false)
    if (!result.ok) setError(result.error)
    else setIssued(result.value.certificate)
  }
  const readFile = (file: File | undefined) => {
    if (!file) return
    file.text().then(setCsr, () => setError({ code: 'bad_input', message: `${file.name} could not be read.` }))
  }

  return (
    <Dialog
      open
      wide
      title={issued ? `Issued ${issued.commonName}` : `Create a client certificate on ${zoneName}`}
      onClose={onClose}
      actions={
        issued ? (
          <CloseButton onClose={onClose} done />
        ) : (
          <>
            <button type="button" onClick={onClose} disabled={busy}>
              Cancel
            </button>
            <button type="button" className="primary" disabled={busy || !csr.trim()} onClick={() => void submit()}>
              {busy ? 'Creating…' : 'Create certificate'}
            </button>
          </>
        )
      }
    >
      {issued ? (
        <>
          <p>
            Issued by {issued.certificateAuthority?.name ?? 'the zone’s Cloudflare-managed CA'}, valid until {dateText(issued.expiresOn)}.
            Install it with the private key of your CSR.
          </p>
          <label className="field" htmlFor={pemId}>
            Certificate (PEM)
          </label>
          <textarea id={pemId} className="pem" readOnly rows={8} value={issued.certificate ?? ''} />
          <CertificateDownloads pem={issued.certificate} name={issued.commonName || issued.id} />
        </>
      ) : (
        <div className="form-stack">
          <PemTextArea
            id={csrId}
            label="Certificate signing request (PEM)"
            rows={8}
            value={csr}
            onChange={(e) => setCsr(e.target.value)}
            placeholder="-----BEGIN CERTIFICATE REQUEST-----"
          />
          <p className="small">
            <FileLink id={fileId} accept=".csr,.pem,.req,.txt" onFile={readFile}>
              Choose a CSR file
            </FileLink>
          </p>
          <p className="muted small">{CLOUDFLARE_CLIENT_KEYS_SENTENCE} Certdesk checks the CSR before sending it.</p>
          <InlineChoice label="Validity" value={years} choices={VALIDITY_YEAR_CHOICES} onChange={setYears} />
          {error ? <ErrorBox error={error} /> : null}
        </div>
      )}
    </Dialog>
  )
}
