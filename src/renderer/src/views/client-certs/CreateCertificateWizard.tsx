/**
 * Create a client certificate with a new key (seed 000, done locally): key type, subject, SANs and
 * validity → a key generated in main and saved in the vault first, with its CSR → issue at
 * Cloudflare → copy or save the certificate, the encrypted key, or a PKCS#12 for mobile and IoT.
 * The private key never reaches this window; every bad input is answered by main's own message.
 */
import { useId, useState, type ReactNode } from 'react'
import type { ClientCertificateSummary } from '../../../../shared/cloudflare-model'
import type { KeyType, VaultEntry } from '../../../../shared/pki-model'
import type { ExportFormat } from '../../../../shared/contract/keys'
import { Dialog } from '../../components/Dialog'
import { ErrorBox } from '../../components/ErrorBox'
import { JobProgress } from '../../components/JobProgress'
import { ProgressBar } from '../../components/ProgressBar'
import { useZone } from '../../components/useScope'
import { dateText } from '../../lib/format'
import { VALIDITY_YEARS, validityDays } from '../../lib/validity'
import { KeyTypeSelect, keyTypeLabel } from '../../components/KeyTypeSelect'
import { useAppStore } from '../../store'
import type { ZoneKey } from '../../store/clientCerts'
import type { NewKeyCsr } from '../../store/keys'
import { useMissingPermission } from '../../components/usePermission'

const SUBJECT_FIELDS = [
  { id: 'cn', label: 'Common name (CN)', required: true, placeholder: 'device-42' },
  { id: 'o', label: 'Organization (O)', placeholder: 'Example Corp' },
  { id: 'ou', label: 'Organizational unit (OU)', placeholder: 'Devices' },
  { id: 'c', label: 'Country (C, two letters)', placeholder: 'US' },
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
  const { profile, zone } = useZone()
  const [open, setOpen] = useState(false)
  // Refused before any key is generated when the token cannot create certificates.
  const needs = useMissingPermission('zoneCertificates', zone?.name)
  if (!profile || !zone) return null
  return (
    <>
      <button type="button" className="primary" disabled={needs !== null} title={needs ?? undefined} onClick={() => setOpen(true)}>
        Create with a new key
      </button>
      {open ? (
        <CreateCertificateWizard zone={{ profileId: profile.id, zoneId: zone.id }} zoneName={zone.name} onClose={() => setOpen(false)} />
      ) : null}
    </>
  )
}

export function Stepper<T extends string>({
  steps,
  current,
  failed,
  label,
}: {
  steps: ReadonlyArray<{ id: T; label: string }>
  current: T
  failed?: boolean
  label: string
}) {
  const index = steps.findIndex((s) => s.id === current)
  return (
    <ol className="wizard-steps" aria-label={label}>
      {steps.map((s, i) => {
        const state = i < index ? 'done' : i === index ? (failed ? 'failed' : 'current') : 'pending'
        return (
          <li key={s.id} className={`wizard-step ${state}`} aria-current={i === index ? 'step' : undefined}>
            <span className="wizard-mark" aria-hidden="true">
              {state === 'done' ? '✓' : state === 'failed' ? '!' : i + 1}
            </span>
            {s.label}
            <span className="visually-hidden">
              {state === 'done' ? ' (done)' : state === 'failed' ? ' (failed)' : state === 'current' ? ' (current step)' : ''}
            </span>
          </li>
        )
      })}
    </ol>
  )
}

export function CreateCertificateWizard({ zone, zoneName, onClose }: { zone: ZoneKey; zoneName: string; onClose: () => void }) {
  const defaultYears = useAppStore((s) => s.settings?.defaultValidityYears ?? 10)
  const startJob = useAppStore((s) => s.startJob)
  const newKeyCsr = useAppStore((s) => s.newKeyCsr)
  const issueForKey = useAppStore((s) => s.issueForKey)
  const loadCerts = useAppStore((s) => s.loadCerts)
  const [step, setStep] = useState<Step>('details')
  const [keyType, setKeyType] = useState<KeyType>('rsa-2048')
  const [subject, setSubject] = useState<Record<SubjectField, string>>({ cn: '', o: '', ou: '', c: '', st: '', l: '', email: '' })
  const [sans, setSans] = useState('')
  const [years, setYears] = useState<number>(defaultYears)
  const [jobId, setJobId] = useState<string | null>(null)
  const [issuing, setIssuing] = useState(false)
  const [error, setError] = useState<{ message: string; hint?: string } | null>(null)
  const [key, setKey] = useState<VaultEntry | null>(null)
  const [csrPem, setCsrPem] = useState('')
  const [decoded, setDecoded] = useState<NewKeyCsr['decoded'] | null>(null)
  const [issued, setIssued] = useState<ClientCertificateSummary | null>(null)
  const ids = { keyType: useId(), sans: useId(), years: useId(), form: useId() }
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
    if ('error' in result) return setError(result.error)
    setKey(result.key)
    setCsrPem(result.csrPem)
    setDecoded(result.decoded)
    setStep('csr')
  }
  const issue = async () => {
    if (!key) return
    setError(null)
    setIssuing(true)
    const result = await issueForKey({ ...zone, keyId: key.id, validityDays: validityDays(years) })
    setIssuing(false)
    if ('error' in result) return setError(result.error)
    setKey(result.key)
    setIssued(result.certificate)
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
      <form
        id={ids.form}
        className="wizard-grid"
        onSubmit={(e) => {
          e.preventDefault()
          void generate()
        }}
      >
        <div className="field">
          <label htmlFor={ids.keyType}>Private key type</label>
          <KeyTypeSelect id={ids.keyType} value={keyType} onChange={setKeyType} disabled={jobId !== null} />
        </div>
        <div className="field">
          <label htmlFor={ids.years}>Certificate validity</label>
          <select id={ids.years} value={years} onChange={(e) => setYears(Number(e.target.value))} disabled={jobId !== null}>
            {VALIDITY_YEARS.map((y) => (
              <option key={y} value={y}>
                {y} year{y === 1 ? '' : 's'} ({validityDays(y)} days)
              </option>
            ))}
          </select>
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
              maxLength={f.id === 'c' ? 8 : 128}
              disabled={jobId !== null}
              onChange={(e) => setSubject({ ...subject, [f.id]: e.target.value })}
            />
          </div>
        ))}
        <div className="field span-2">
          <label htmlFor={ids.sans}>Subject alternative names (one per line, optional)</label>
          <textarea
            id={ids.sans}
            className="pem"
            rows={3}
            value={sans}
            onChange={(e) => setSans(e.target.value)}
            disabled={jobId !== null}
            placeholder={'DNS:device-42.example.com\nIP:10.0.0.42\nURI:spiffe://example.org/device/42'}
            spellCheck={false}
          />
        </div>
        <p className="muted small span-2">
          The private key is generated on this computer and saved, encrypted, in Certdesk’s vault before anything is sent to Cloudflare.
          Cloudflare only sees the CSR.
        </p>
      </form>
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
    <Dialog
      open
      wide
      title={step === 'issued' && issued ? `Issued ${issued.commonName}` : `Create a client certificate on ${zoneName}`}
      onClose={close}
      actions={actions}
    >
      <Stepper steps={STEPS} current={step} failed={error !== null} label="Create certificate steps" />
      <div className="wizard-body">
        {body}
        <div className="wizard-feedback">
          {jobId ? <JobProgress jobId={jobId} /> : null}
          {error ? <ErrorBox error={error} /> : null}
        </div>
      </div>
    </Dialog>
  )
}

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

function IssuedStep({ cert, keyEntry }: { cert: ClientCertificateSummary; keyEntry: VaultEntry }) {
  const pem = keyEntry.certificate?.pem ?? cert.certificate ?? ''
  return (
    <div className="form-stack">
      <dl className="facts">
        <dt>Common name</dt>
        <dd>{cert.commonName}</dd>
        <dt>Issued by</dt>
        <dd>{cert.certificateAuthority?.name ?? 'the zone’s Cloudflare-managed CA'}</dd>
        <dt>Valid until</dt>
        <dd>{dateText(cert.expiresOn)}</dd>
        <dt>Serial</dt>
        <dd>
          <code>{cert.serialNumber}</code>
        </dd>
        <dt>Certificate id</dt>
        <dd>
          <code>{cert.id}</code>
        </dd>
      </dl>
      <PemBlock label="Certificate (PEM)" pem={pem} copyLabel="Copy certificate" />
      <KeyExports keyEntry={keyEntry} />
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
      <label htmlFor={`${id}-p`}>{title}: password</label>
      <input id={`${id}-p`} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      <label htmlFor={`${id}-c`}>{title}: confirm password</label>
      <input
        id={`${id}-c`}
        type="password"
        autoComplete="new-password"
        value={confirm}
        onChange={(e) => setConfirm(e.target.value)}
        aria-invalid={mismatch || undefined}
        aria-describedby={`${id}-e`}
      />
      <span id={`${id}-e`} className="field-error" aria-live="polite">
        {mismatch ? 'The passwords differ.' : password && password.length < 8 ? 'At least 8 characters.' : '\u00a0'}
      </span>
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
