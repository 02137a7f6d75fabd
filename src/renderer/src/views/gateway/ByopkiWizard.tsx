/**
 * Bring your own PKI for Gateway inspection end to end (Cloudflare docs: "Bring your own PKI"), as a stepper: generate a root
 * with the RFC 5280 extensions Python 3.13+ insists on, or import the corporate root and its key →
 * the python-strict and gateway-byopki lint results → upload it with its vault key → activate and
 * follow the deployment until `available` → deploy it to devices (install here, export PEM and DER
 * for MDM) → only then, confirmed, turn it on for inspection (or later, from the Gateway screen).
 */
import { useId, useState, type ReactNode } from 'react'
import type { GatewayCertificateSummary, GatewayUploadResult } from '../../../../shared/cloudflare-model'
import type { ChangeReport } from '../../../../shared/truststore-model'
import type { Failure, Result } from '../../../../shared/errors'
import { CertificateCheckView } from '../../components/certificate/CertificateCheckView'
import { PemInput, type PemValue } from '../../components/certificate/PemInput'
import { ConfirmDialog, Dialog } from '../../components/Dialog'
import { ErrorBox } from '../../components/ErrorBox'
import { JobProgress } from '../../components/JobProgress'
import { useAccount } from '../../components/useScope'
import { STATUS_BADGE, STATUS_LABEL } from '../../lib/format'
import { useAppFields } from '../../store'
import type { ImportedRoot } from '../../store/gateway'
import type { AccountScope } from '../../store/scope'
import { ChangeReportView } from '../../components/certificate/ChangeReportView'
import { WizardSteps } from '../../components/Steps'
import { useMissingPermission } from '../../components/usePermission'

type Step = 'generate' | 'review' | 'upload' | 'activate' | 'deploy' | 'use'
const STEPS: ReadonlyArray<{ id: Step; label: string }> = [
  { id: 'generate', label: 'Generate or import a root' },
  { id: 'review', label: 'Check it' },
  { id: 'upload', label: 'Upload' },
  { id: 'activate', label: 'Activate' },
  { id: 'deploy', label: 'Deploy to devices' },
  { id: 'use', label: 'Use for inspection' },
]

/** What turning a root on for inspection risks, said the same way here and on the Gateway screen. */
export const INSPECTION_RISK = 'Every device that does not trust this root will see certificate errors on every inspected HTTPS site.'

/** The header button that opens the wizard for the account the screen shows. */
export function ByopkiButton() {
  const { profile, account } = useAccount()
  const [open, setOpen] = useState(false)
  // The root is uploaded as an account mTLS certificate: refused before any key is generated.
  const needs = useMissingPermission('accountCertificates', account?.name)
  if (!profile || !account) return null
  return (
    <>
      {needs ? <span className="needs-permission">{needs}</span> : null}
      <button type="button" className="primary" disabled={needs !== null} title={needs ?? undefined} onClick={() => setOpen(true)}>
        Bring your own root…
      </button>
      {open ? (
        <ByopkiWizard
          account={{ profileId: profile.id, accountId: account.id }}
          accountName={account.name}
          onClose={() => setOpen(false)}
        />
      ) : null}
    </>
  )
}

export function ByopkiWizard({ account, accountName, onClose }: { account: AccountScope; accountName: string; onClose: () => void }) {
  const {
    startJob,
    generateGatewayRoot: generateRoot,
    importGatewayRoot: importRoot,
    uploadGatewayRoot: uploadRoot,
    activateGatewayCert: activateRoot,
    useForInspection: turnOnRoot,
    installRoot,
    exportKey,
    loadGateway,
  } = useAppFields(
    'startJob',
    'generateGatewayRoot',
    'importGatewayRoot',
    'uploadGatewayRoot',
    'activateGatewayCert',
    'useForInspection',
    'installRoot',
    'exportKey',
    'loadGateway',
  )
  const [step, setStep] = useState<Step>('generate')
  const [source, setSource] = useState<'generate' | 'import'>('generate')
  const [cn, setCn] = useState(`${accountName} Gateway Root`)
  const [o, setO] = useState('')
  const [keyType, setKeyType] = useState<'rsa-2048' | 'rsa-4096'>('rsa-2048')
  const [days, setDays] = useState(365)
  const [certificate, setCertificate] = useState<PemValue | null>(null)
  const [keyPem, setKeyPem] = useState('')
  const [passphrase, setPassphrase] = useState('')
  const [name, setName] = useState('')
  const [jobId, setJobId] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<Failure | null>(null)
  const [root, setRoot] = useState<ImportedRoot | null>(null)
  const [uploaded, setUploaded] = useState<GatewayUploadResult | null>(null)
  const [deployed, setDeployed] = useState<GatewayCertificateSummary | null>(null)
  const [confirming, setConfirming] = useState(false)
  const [inUse, setInUse] = useState(false)
  const [installed, setInstalled] = useState<ChangeReport | null>(null)
  const [exportedTo, setExportedTo] = useState<string[]>([])
  const ids = {
    form: useId(),
    source: useId(),
    cn: useId(),
    o: useId(),
    key: useId(),
    days: useId(),
    name: useId(),
    keyPem: useId(),
    keyFile: useId(),
    pass: useId(),
  }

  /** Runs one step's work as a job (progress bar + cancel) and moves on when it succeeds. */
  const runJob = async <T,>(label: string, work: (jobId: string) => Promise<Result<T>>, next: (value: T) => void) => {
    setError(null)
    const job = startJob(label)
    setJobId(job)
    const result = await work(job)
    setJobId(null)
    if (result.ok) next(result.value)
    else setError(result.error)
  }
  const generate = () =>
    runJob(
      'Generating the root',
      (job) => generateRoot({ cn, ...(o.trim() ? { o: o.trim() } : {}), keyType, days }, job),
      (r: ImportedRoot) => {
        setRoot(r)
        setStep('review')
      },
    )
  const importExisting = async () => {
    setError(null)
    setBusy(true)
    const result = await importRoot({ certificatePem: certificate?.pem ?? '', keyPem, ...(passphrase ? { passphrase } : {}) })
    setBusy(false)
    if (!result.ok) return setError(result.error)
    setPassphrase('')
    setRoot(result.value)
    setStep('review')
  }
  const upload = () =>
    runJob(
      'Uploading the root with its key',
      (job) => uploadRoot(account, root!.key!.id, name.trim() || undefined, job),
      (u: GatewayUploadResult) => {
        setUploaded(u)
        setStep('activate')
      },
    )
  const activate = () =>
    runJob(
      `Deploying Gateway certificate ${uploaded!.gateway.id.slice(0, 8)}`,
      (job) => activateRoot(account, uploaded!.gateway.id, job, true),
      (g: GatewayCertificateSummary) => {
        setDeployed(g)
        setStep('deploy')
      },
    )
  const turnOn = async () => {
    setError(null)
    setBusy(true)
    const result = await turnOnRoot(account, uploaded!.gateway.id, true)
    setBusy(false)
    setConfirming(false)
    if (!result.ok) return setError(result.error)
    setInUse(true)
  }
  const install = async () => {
    setBusy(true)
    const report = await installRoot(root!.certificatePem)
    setBusy(false)
    if (!report.ok) setError(report.error.code === 'cancelled' ? null : report.error)
    else setInstalled(report.value)
  }
  const exportAs = async (format: 'certificate-pem' | 'certificate-der') => {
    setBusy(true)
    const saved = await exportKey(root!.key!.id, format)
    setBusy(false)
    if (saved.ok && saved.value !== null) setExportedTo((paths) => [...paths, saved.value!])
  }
  const close = () => {
    if (uploaded) void loadGateway(account)
    onClose()
  }

  const working = jobId !== null || busy
  const gatewayPassed = root?.gateway.reports.every((r) => r.passed) ?? false
  const strictPassed = root?.strict.reports.every((r) => r.passed) ?? false
  const rootName = root?.gateway.certificates[0]?.subject.attributes.find((a) => a.oid === '2.5.4.3')?.value ?? cn
  let body: ReactNode
  let primary: ReactNode = null

  switch (step) {
    case 'generate':
      body = (
        <form
          id={ids.form}
          className="wizard-grid"
          onSubmit={(e) => {
            e.preventDefault()
            void (source === 'generate' ? generate() : importExisting())
          }}
        >
          <fieldset className="radio-row span-2" disabled={working}>
            <legend>Where the root comes from</legend>
            {(
              [
                ['generate', 'Generate a new root here'],
                ['import', 'Import our existing root and its key'],
              ] as const
            ).map(([value, text]) => (
              <label key={value}>
                <input type="radio" name={ids.source} checked={source === value} onChange={() => setSource(value)} /> {text}
              </label>
            ))}
          </fieldset>
          {source === 'generate' ? (
            <>
              <div className="field">
                <label htmlFor={ids.cn}>Common name (CN)</label>
                <input id={ids.cn} value={cn} onChange={(e) => setCn(e.target.value)} disabled={working} aria-required />
              </div>
              <div className="field">
                <label htmlFor={ids.o}>Organization (O, optional)</label>
                <input id={ids.o} value={o} onChange={(e) => setO(e.target.value)} disabled={working} />
              </div>
              <div className="field">
                <label htmlFor={ids.key}>Key type</label>
                <select
                  id={ids.key}
                  value={keyType}
                  onChange={(e) => setKeyType(e.target.value as 'rsa-2048' | 'rsa-4096')}
                  disabled={working}
                >
                  <option value="rsa-2048">RSA 2048 (faster handshakes)</option>
                  <option value="rsa-4096">RSA 4096 (stronger, slower)</option>
                </select>
              </div>
              <div className="field">
                <label htmlFor={ids.days}>Valid for (days)</label>
                <input
                  id={ids.days}
                  type="number"
                  min={1}
                  max={10950}
                  value={days}
                  onChange={(e) => setDays(Number(e.target.value))}
                  disabled={working}
                />
              </div>
              <p className="muted small span-2">
                The root gets critical basicConstraints CA:TRUE and keyUsage keyCertSign, cRLSign, which Python 3.13+ requires. Rotating a
                deployed root disrupts every device, so pick an expiry you can live with. The private key is kept in Certdesk’s vault and
                sent only to Cloudflare.
              </p>
            </>
          ) : (
            <div className="span-2 form-stack byopki-import">
              <PemInput label="Root certificate (PEM or DER)" value={certificate} onChange={setCertificate} />
              <div className="field">
                <label htmlFor={ids.keyPem}>Private key of the root (PEM: PKCS#8, PKCS#1 or EC, possibly encrypted)</label>
                <textarea
                  id={ids.keyPem}
                  className="pem"
                  rows={4}
                  spellCheck={false}
                  autoComplete="off"
                  placeholder="-----BEGIN PRIVATE KEY-----"
                  value={keyPem}
                  onChange={(e) => setKeyPem(e.target.value)}
                  disabled={working}
                />
                <label htmlFor={ids.keyFile} className="link-button small">
                  …or choose the key file
                </label>
                <input
                  id={ids.keyFile}
                  type="file"
                  className="visually-hidden"
                  accept=".pem,.key"
                  onChange={(e) => void e.target.files?.[0]?.text().then(setKeyPem)}
                />
              </div>
              <div className="field">
                <label htmlFor={ids.pass}>Passphrase (only for an encrypted key)</label>
                <input
                  id={ids.pass}
                  type="password"
                  autoComplete="off"
                  value={passphrase}
                  onChange={(e) => setPassphrase(e.target.value)}
                  disabled={working}
                />
              </div>
              <p className="muted small">
                Certdesk checks that the key belongs to the certificate and that Gateway and Python 3.13+ accept the root, then keeps the
                key (decrypted) in its vault and sends it only to Cloudflare.
              </p>
            </div>
          )}
        </form>
      )
      primary = (
        <button
          type="submit"
          form={ids.form}
          className="primary"
          disabled={working || (source === 'import' && (!certificate || !keyPem.trim()))}
        >
          {source === 'generate' ? (jobId ? 'Generating…' : 'Generate root') : busy ? 'Checking…' : 'Check and import'}
        </button>
      )
      break
    case 'review':
      body = root ? (
        <div className="lint-pair">
          <p>
            Both checks must pass before devices and Python clients accept certificates Gateway signs with this root.{' '}
            <span className={`badge ${strictPassed && gatewayPassed ? 'ok' : 'bad'}`}>
              {strictPassed && gatewayPassed ? 'both pass' : 'a check fails'}
            </span>
          </p>
          {!root.key ? (
            <p className="warning" role="alert">
              Gateway cannot use this root, so its key was not saved. Fix what the Gateway check names, then import it again.
            </p>
          ) : null}
          <section aria-label="Python strict check (python-strict)">
            <h3>Python 3.13+ strict (VERIFY_X509_STRICT)</h3>
            <CertificateCheckView check={root.strict} />
          </section>
          <section aria-label="Gateway BYOPKI check (gateway-byopki)">
            <h3>Gateway custom root</h3>
            <CertificateCheckView check={root.gateway} />
          </section>
          {root.key ? (
            <div className="field">
              <label htmlFor={ids.name}>Name at Cloudflare (optional)</label>
              <input id={ids.name} value={name} onChange={(e) => setName(e.target.value)} placeholder={root.key.label} />
            </div>
          ) : null}
        </div>
      ) : null
      primary = root?.key ? (
        <button type="button" className="primary" disabled={working || !gatewayPassed} onClick={() => void upload()}>
          {jobId ? 'Uploading…' : `Upload to ${accountName}`}
        </button>
      ) : (
        <button
          type="button"
          className="primary"
          onClick={() => {
            setRoot(null)
            setStep('generate')
          }}
        >
          Back
        </button>
      )
      break
    case 'upload':
    case 'activate':
      body = uploaded ? (
        <div className="form-stack">
          <p>
            Uploaded as account mTLS certificate <code>{uploaded.mtlsCertificateId}</code>, Gateway certificate{' '}
            <code>{uploaded.gateway.id}</code> (found by {uploaded.matchedBy}).
          </p>
          <DeploymentSteps
            status={deployed?.bindingStatus ?? (jobId ? 'pending_deployment' : uploaded.gateway.bindingStatus)}
            inUse={false}
          />
          <p className="muted small">
            Activating deploys the certificate across Cloudflare’s network; it can take a few minutes. Certdesk follows it until it is
            available. It is not used for inspection yet.
          </p>
        </div>
      ) : null
      primary = (
        <button type="button" className="primary" disabled={working} onClick={() => void activate()}>
          {jobId ? 'Deploying…' : 'Activate'}
        </button>
      )
      break
    case 'deploy':
      body = (
        <div className="form-stack">
          <DeploymentSteps status={deployed?.bindingStatus} inUse={false} />
          <p>
            Gateway certificate <code className="gateway-id">{uploaded?.gateway.id}</code> is available but not used for inspection yet.
            First put <strong>{rootName}</strong> on every device that goes through Gateway: install it here, and export it for your MDM
            (Intune, Jamf, Kandji…) or the Cloudflare One Client.
          </p>
          <div className="form-actions">
            <button type="button" disabled={working || installed !== null} onClick={() => void install()}>
              Install on this machine
            </button>
            <button type="button" disabled={working} onClick={() => void exportAs('certificate-pem')}>
              Export for MDM (PEM)
            </button>
            <button type="button" disabled={working} onClick={() => void exportAs('certificate-der')}>
              Export for MDM (DER .cer)
            </button>
          </div>
          {exportedTo.map((path) => (
            <p key={path} role="status">
              Saved to <code className="break">{path}</code>
            </p>
          ))}
          {installed ? <ChangeReportView report={installed} action="install" /> : null}
          <p className="muted small">When your devices trust it, go on to use it for inspection — now, or later from the Gateway screen.</p>
        </div>
      )
      primary = (
        <button type="button" className="primary" disabled={working} onClick={() => setStep('use')}>
          Next: use for inspection
        </button>
      )
      break
    case 'use':
      body = (
        <div className="form-stack">
          <DeploymentSteps status={deployed?.bindingStatus} inUse={inUse} />
          {inUse ? (
            <p role="status">
              Gateway signs inspected traffic with <strong>{rootName}</strong> (Gateway certificate{' '}
              <code className="gateway-id">{uploaded?.gateway.id}</code>) now.
            </p>
          ) : (
            <>
              <p>
                Turning it on makes Gateway sign inspected traffic with <strong>{rootName}</strong> instead of Cloudflare’s root.{' '}
                {INSPECTION_RISK}
              </p>
              <p className="muted small">
                Not ready yet? Close: the root stays available, and “Use for inspection” on the Gateway screen turns it on later.
              </p>
            </>
          )}
        </div>
      )
      primary = inUse ? null : (
        <button type="button" className="primary" disabled={working} onClick={() => setConfirming(true)}>
          Use for inspection…
        </button>
      )
      break
  }

  return (
    <Dialog
      open
      wide
      title={`Bring your own root to Gateway — ${accountName}`}
      onClose={close}
      actions={
        <>
          <button type="button" onClick={close} disabled={jobId !== null}>
            {inUse ? 'Done' : step === 'deploy' || step === 'use' ? 'Close (turn on later)' : 'Close'}
          </button>
          {primary}
        </>
      }
    >
      <WizardSteps steps={STEPS} current={step} failed={error !== null} label="BYOPKI steps" />
      <div className="wizard-body">
        {body}
        <div className="wizard-feedback">
          {jobId ? <JobProgress jobId={jobId} /> : null}
          {error ? <ErrorBox error={error} /> : null}
        </div>
      </div>
      {confirming ? (
        <ConfirmDialog
          open
          title={`Use ${rootName} for inspection?`}
          confirmLabel={busy ? 'Turning on…' : 'Use for inspection'}
          danger
          busy={busy}
          onConfirm={() => void turnOn()}
          onCancel={() => setConfirming(false)}
        >
          <p>
            <strong>{INSPECTION_RISK}</strong>
          </p>
          <p>
            Install the root on every device that goes through Gateway first
            {installed || exportedTo.length ? '' : ' — you have not installed or exported it from here yet'}.
          </p>
        </ConfirmDialog>
      ) : null}
    </Dialog>
  )
}

/** The live deployment: uploaded → pending deployment → available → in use. */
function DeploymentSteps({ status, inUse }: { status: string | undefined; inUse: boolean }) {
  const reached = inUse ? 3 : status === 'available' ? 2 : status === 'pending_deployment' ? 1 : 0
  const items = ['Uploaded', 'Pending deployment', 'Available', 'In use for inspection']
  return (
    <div className="form-stack">
      <p>
        Binding status:{' '}
        <span className={`badge ${STATUS_BADGE[status ?? ''] ?? 'neutral'}`}>
          {status ? (STATUS_LABEL[status] ?? status) : 'not activated'}
        </span>
        {inUse ? (
          <>
            {' '}
            <span className="badge ok">in use</span>
          </>
        ) : null}
      </p>
      <ol className="wizard-steps" aria-label="Deployment">
        {items.map((label, i) => (
          <li key={label} className={`wizard-step ${i <= reached ? 'done' : i === reached + 1 ? 'current' : ''}`}>
            <span className="wizard-mark" aria-hidden="true">
              {i <= reached ? '✓' : i + 1}
            </span>
            {label}
          </li>
        ))}
      </ol>
    </div>
  )
}
