/**
 * Create a client certificate with a new key, made locally: key type, subject, SANs and
 * validity → a key generated in main and saved in the vault first, with its CSR → issue at
 * Cloudflare → copy or save the certificate, the encrypted key, or a PKCS#12 for mobile and IoT.
 * The private key never reaches this window; every bad input is answered by main's own message.
 */
import type { Failure } from '../../../../shared/errors'
import { useId, useState, type ReactNode } from 'react'
import type { ClientCertificateSummary } from '../../../../shared/cloudflare-model'
import type { KeyType, VaultEntry } from '../../../../shared/pki-model'
import { KeyExports, PemBlock } from '../../components/certificate/KeyExports'
import { WizardDialog } from '../../components/WizardDialog'
import { ProgressBar } from '../../components/ProgressBar'
import { useZoneScope } from '../../components/useScope'
import { dateText } from '../../lib/format'
import { VALIDITY_YEAR_CHOICES, validityDays } from '../../lib/validity'
import { KEY_TYPE_CHOICES, keyTypeLabel } from '../../components/keyTypes'
import { useAppFields, useAppStore } from '../../store'
import type { ZoneScope } from '../../store/scope'
import type { NewKeyCsr } from '../../store/keys'
import { PemTextArea, SubmitForm } from '../../components/Field'
import { ChoiceSelect } from '../../components/ChoiceSelect'
import { Facts } from '../../components/Facts'
import { OpenButton } from '../../components/WriteButton'

const SUBJECT_FIELDS = [
  { id: 'cn', label: 'Common name (CN)', required: true, placeholder: 'device-42' },
  { id: 'o', label: 'Organization (O)', placeholder: 'Example Corp' },
  { id: 'ou', label: 'Organizational unit (OU)', placeholder: 'Devices' },
  // Room for a wrong code (three letters, say), so that main's own message says what is wrong with it.
  { id: 'c', label: 'Country (C, two letters)', placeholder: 'US', maxLength: 8 },
  { id: 'st', label: 'State or province (ST)', placeholder: 'California' },
  { id: 'l', label: 'Locality (L)', placeholder: 'San Francisco' },
  { id: 'email', label: 'Email', placeholder: 'devices@example.com' },
] as const
type SubjectField = (typeof SUBJECT_FIELDS)[number]['id']

type Step = 'details' | 'csr' | 'issued'
const STEPS: ReadonlyArray<{ id: Step; label: string }> = [
  { id: 'details', label: 'Key and subject' },
  { id: 'csr', label: 'Review the CSR' },
  { id: 'issued', label: 'Issue and export' },
]

/** The header button that opens the wizard for the zone the screen shows. */
export function CreateWithNewKeyButton() {
  const { zone, scope } = useZoneScope()
  if (!zone || !scope) return null
  const wizard = (close: () => void) => <CreateCertificateWizard zone={scope} zoneName={zone.name} onClose={close} />
  // Refused before any key is generated when the token cannot create certificates.
  return (
    <OpenButton need="zoneCertificates" where={zone.name} note={false} className="primary" dialog={wizard}>
      Create with a new key
    </OpenButton>
  )
}

export function CreateCertificateWizard({ zone, zoneName, onClose }: { zone: ZoneScope; zoneName: string; onClose: () => void }) {
  const defaultYears = useAppStore((s) => s.settings?.defaultValidityYears ?? 10)
  const { startJob, newKeyCsr, issueForKey, loadCerts } = useAppFields('startJob', 'newKeyCsr', 'issueForKey', 'loadCerts')
  const [step, setStep] = useState<Step>('details')
  const [keyType, setKeyType] = useState<KeyType>('rsa-2048')
  const [subject, setSubject] = useState<Record<SubjectField, string>>({ cn: '', o: '', ou: '', c: '', st: '', l: '', email: '' })
  const [sans, setSans] = useState('')
  const [years, setYears] = useState<number>(defaultYears)
  const [jobId, setJobId] = useState<string | null>(null)
  const [issuing, setIssuing] = useState(false)
  const [error, setError] = useState<Failure | null>(null)
  const [key, setKey] = useState<VaultEntry | null>(null)
  const [csrPem, setCsrPem] = useState('')
  const [decoded, setDecoded] = useState<NewKeyCsr['decoded'] | null>(null)
  const [issued, setIssued] = useState<ClientCertificateSummary | null>(null)
  const ids = { keyType: useId(), years: useId(), form: useId() }
  const fieldId = useId()

  const generate = async () => {
    setError(null)
    const job = startJob('Generating the key and CSR')
    setJobId(job)
    const entries = Object.entries(subject).map(([k, v]) => [k, v.trim()] as const)
    const request = {
      keyType,
      // CN is sent even when empty: main answers with the exact rule it breaks.
      subject: { cn: subject.cn, ...Object.fromEntries(entries.filter(([k, v]) => k !== 'cn' && v !== '')) },
      sans: sans
        .split(/[\n,]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    }
    const result = await newKeyCsr(request, job)
    setJobId(null)
    if (!result.ok) return setError(result.error)
    setKey(result.value.key)
    setCsrPem(result.value.csrPem)
    setDecoded(result.value.decoded)
    setStep('csr')
  }
  const issue = async () => {
    if (!key) return
    setError(null)
    setIssuing(true)
    const result = await issueForKey({ ...zone, keyId: key.id, validityDays: validityDays(years) })
    setIssuing(false)
    if (!result.ok) return setError(result.error)
    setKey(result.value.key)
    setIssued(result.value.certificate)
    setStep('issued')
  }
  const close = () => {
    if (issued) void loadCerts(zone)
    onClose()
  }

  let body: ReactNode
  let actions: ReactNode
  if (step === 'details') {
    body = (
      <SubmitForm id={ids.form} className="wizard-grid" onSubmit={() => void generate()}>
        <div className="field">
          <label htmlFor={ids.keyType}>Private key type</label>
          <ChoiceSelect id={ids.keyType} value={keyType} choices={KEY_TYPE_CHOICES} onChange={setKeyType} disabled={jobId !== null} />
        </div>
        <div className="field">
          <label htmlFor={ids.years}>Certificate validity</label>
          <ChoiceSelect id={ids.years} value={years} choices={VALIDITY_YEAR_CHOICES} onChange={setYears} disabled={jobId !== null} />
        </div>
        {SUBJECT_FIELDS.map((f) => (
          <div className="field" key={f.id}>
            <label htmlFor={`${fieldId}-${f.id}`}>
              {f.label}
              {'required' in f ? <span aria-hidden="true"> *</span> : null}
            </label>
            <input
              id={`${fieldId}-${f.id}`}
              value={subject[f.id]}
              placeholder={f.placeholder}
              aria-required={'required' in f ? true : undefined}
              maxLength={'maxLength' in f ? f.maxLength : 128}
              disabled={jobId !== null}
              onChange={(e) => setSubject({ ...subject, [f.id]: e.target.value })}
            />
          </div>
        ))}
        <PemTextArea
          wrap="field span-2"
          label="Subject alternative names (one per line, optional)"
          rows={3}
          value={sans}
          onChange={(e) => setSans(e.target.value)}
          disabled={jobId !== null}
          placeholder={'DNS:device-42.example.com\nIP:10.0.0.42\nURI:spiffe://example.org/device/42'}
        />
        <p className="muted small span-2">
          The private key is generated on this computer and saved, encrypted, in Certdesk’s vault before anything is sent to Cloudflare.
          Cloudflare only sees the CSR.
        </p>
      </SubmitForm>
    )
    actions = (
      <>
        <button type="button" onClick={close} disabled={jobId !== null}>
          Cancel
        </button>
        <button type="submit" form={ids.form} className="primary" disabled={jobId !== null}>
          {jobId ? 'Generating…' : 'Generate key and CSR'}
        </button>
      </>
    )
  } else if (step === 'csr') {
    body = (
      <div className="form-stack">
        <p>
          The key <strong>{key?.label}</strong> ({keyTypeLabel(key?.keyType)}) is saved in Certdesk’s vault. Cloudflare will sign this
          request with {zoneName}’s managed CA for {years} year{years === 1 ? '' : 's'}.
        </p>
        {decoded ? (
          <dl className="facts" aria-label="What the CSR says">
            <dt>Subject</dt>
            <dd>
              <code className="break">{decoded.subject}</code>
            </dd>
            <dt>Subject alternative names</dt>
            <dd>{decoded.sans.length ? decoded.sans.map((n) => `${n.type.toUpperCase()}:${n.value}`).join(', ') : 'none'}</dd>
            <dt>Key</dt>
            <dd>{keyTypeLabel(decoded.keyType) ?? decoded.keyType}</dd>
          </dl>
        ) : null}
        <details>
          <summary>The CSR as PEM</summary>
          <PemBlock label="Certificate signing request (PEM)" pem={csrPem} copyLabel="Copy CSR" />
        </details>
        <div className="site-progress">
          {issuing ? <ProgressBar progress={{ jobId: 'issue', label: `Issuing on ${zoneName}`, done: 0, total: null }} /> : null}
        </div>
      </div>
    )
    actions = (
      <>
        <button type="button" onClick={close} disabled={issuing}>
          Close (keep the key)
        </button>
        <button type="button" className="primary" onClick={() => void issue()} disabled={issuing}>
          {issuing ? 'Issuing…' : 'Issue certificate'}
        </button>
      </>
    )
  } else {
    body = issued && key ? <IssuedStep cert={issued} keyEntry={key} /> : null
    actions = (
      <button type="button" className="primary" onClick={close}>
        Done
      </button>
    )
  }

  return (
    <WizardDialog
      title={step === 'issued' && issued ? `Issued ${issued.commonName}` : `Create a client certificate on ${zoneName}`}
      onClose={close}
      actions={actions}
      steps={STEPS}
      current={step}
      stepsLabel="Create certificate steps"
      jobId={jobId}
      error={error}
    >
      {body}
    </WizardDialog>
  )
}

function IssuedStep({ cert, keyEntry }: { cert: ClientCertificateSummary; keyEntry: VaultEntry }) {
  const pem = keyEntry.certificate?.pem ?? cert.certificate ?? ''
  return (
    <div className="form-stack">
      <Facts
        facts={[
          { term: 'Common name', value: cert.commonName },
          { term: 'Issued by', value: cert.certificateAuthority?.name ?? 'the zone’s Cloudflare-managed CA' },
          { term: 'Valid until', value: dateText(cert.expiresOn) },
          { term: 'Serial', value: cert.serialNumber, code: true },
          { term: 'Certificate id', value: cert.id, code: true },
        ]}
      />
      <PemBlock label="Certificate (PEM)" pem={pem} copyLabel="Copy certificate" />
      <KeyExports keyEntry={keyEntry} />
    </div>
  )
}
