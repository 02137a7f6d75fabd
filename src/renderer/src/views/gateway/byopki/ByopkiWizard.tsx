/**
 * Bring your own PKI for Gateway inspection end to end (Cloudflare docs: "Bring your own PKI"), as a stepper: generate a root
 * with the RFC 5280 extensions Python 3.13+ insists on, or import the corporate root and its key →
 * the python-strict and gateway-byopki lint results → upload it with its vault key → activate and
 * follow the deployment until `available` → deploy it to devices (install here, export PEM and DER
 * for MDM) → only then, confirmed, turn it on for inspection (or later, from the Gateway screen).
 * The flow's state is one object (model.ts); each step's body is its own component in this folder.
 */
import { useId, useReducer, useState, type ReactNode } from 'react'
import type { Failure, Result } from '../../../../../shared/errors'
import { useAccountScope } from '../../../components/useScope'
import { WizardDialog } from '../../../components/WizardDialog'
import { OpenButton } from '../../../components/WriteButton'
import { useAppFields } from '../../../store'
import type { AccountScope } from '../../../store/scope'
import { ActivateStep } from './ActivateStep'
import { DeployStep } from './DeployStep'
import { GenerateStep } from './GenerateStep'
import { STEPS, applyChange, initialState } from './model'
import { ReviewStep, gatewayPassed } from './ReviewStep'
import { ConfirmUse, UseStep } from './UseStep'

export { INSPECTION_RISK } from './model'

/** The header button that opens the wizard for the account the screen shows. */
export function ByopkiButton() {
  const { account, scope } = useAccountScope()
  if (!account || !scope) return null
  const wizard = (close: () => void) => <ByopkiWizard account={scope} accountName={account.name} onClose={close} />
  // The root is uploaded as an account mTLS certificate: refused before any key is generated.
  return (
    <OpenButton need="accountCertificates" where={account.name} className="primary" dialog={wizard}>
      Bring your own root…
    </OpenButton>
  )
}

export function ByopkiWizard({ account, accountName, onClose }: { account: AccountScope; accountName: string; onClose: () => void }) {
  const store = useAppFields(
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
  const [state, set] = useReducer(applyChange, accountName, initialState)
  const [jobId, setJobId] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<Failure | null>(null)
  const formId = useId()
  const { step, source, root, uploaded } = state

  /** Runs one step's work as a job (progress bar + cancel) and moves on when it succeeds. */
  const runJob = async <T,>(label: string, work: (jobId: string) => Promise<Result<T>>, next: (value: T) => void) => {
    setError(null)
    const job = store.startJob(label)
    setJobId(job)
    const result = await work(job)
    setJobId(null)
    if (result.ok) next(result.value)
    else setError(result.error)
  }
  /** Runs a quick action with the buttons held while it runs. */
  const runBusy = async <T,>(work: () => Promise<T>): Promise<T> => {
    setBusy(true)
    const result = await work()
    setBusy(false)
    return result
  }
  const generate = () => {
    const { cn, o, keyType, days } = state
    return runJob(
      'Generating the root',
      (job) => store.generateGatewayRoot({ cn, ...(o.trim() ? { o: o.trim() } : {}), keyType, days }, job),
      (r) => set({ root: r, step: 'review' }),
    )
  }
  const importExisting = async () => {
    setError(null)
    const { certificate, keyPem, passphrase } = state
    const result = await runBusy(() =>
      store.importGatewayRoot({ certificatePem: certificate?.pem ?? '', keyPem, ...(passphrase ? { passphrase } : {}) }),
    )
    if (!result.ok) return setError(result.error)
    set({ passphrase: '', root: result.value, step: 'review' })
  }
  const upload = () =>
    runJob(
      'Uploading the root with its key',
      (job) => store.uploadGatewayRoot(account, root!.key!.id, state.name.trim() || undefined, job),
      (u) => set({ uploaded: u, step: 'activate' }),
    )
  const activate = () =>
    runJob(
      `Deploying Gateway certificate ${uploaded!.gateway.id.slice(0, 8)}`,
      (job) => store.activateGatewayCert(account, uploaded!.gateway.id, job, true),
      (g) => set({ deployed: g, step: 'deploy' }),
    )
  const turnOn = async () => {
    setError(null)
    const result = await runBusy(() => store.useForInspection(account, uploaded!.gateway.id, true))
    set({ confirming: false })
    if (!result.ok) return setError(result.error)
    set({ inUse: true })
  }
  const install = async () => {
    const report = await runBusy(() => store.installRoot(root!.certificatePem))
    if (!report.ok) setError(report.error.code === 'cancelled' ? null : report.error)
    else set({ installed: report.value })
  }
  const exportAs = async (format: 'certificate-pem' | 'certificate-der') => {
    const saved = await runBusy(() => store.exportKey(root!.key!.id, format))
    if (saved.ok && saved.value !== null) set((s) => ({ exportedTo: [...s.exportedTo, saved.value!] }))
  }
  const close = () => {
    if (uploaded) void store.loadGateway(account)
    onClose()
  }

  const working = jobId !== null || busy
  const stepProps = { state, set, working }
  let body: ReactNode
  let primary: ReactNode = null
  switch (step) {
    case 'generate':
      body = <GenerateStep {...stepProps} formId={formId} onSubmit={() => void (source === 'generate' ? generate() : importExisting())} />
      primary = (
        <button
          type="submit"
          form={formId}
          className="primary"
          disabled={working || (source === 'import' && (!state.certificate || !state.keyPem.trim()))}
        >
          {source === 'generate' ? (jobId ? 'Generating…' : 'Generate root') : busy ? 'Checking…' : 'Check and import'}
        </button>
      )
      break
    case 'review':
      body = <ReviewStep {...stepProps} />
      primary = root?.key ? (
        <button type="button" className="primary" disabled={working || !gatewayPassed(root)} onClick={() => void upload()}>
          {jobId ? 'Uploading…' : `Upload to ${accountName}`}
        </button>
      ) : (
        <button type="button" className="primary" onClick={() => set({ root: null, step: 'generate' })}>
          Back
        </button>
      )
      break
    case 'upload':
    case 'activate':
      body = <ActivateStep state={state} deploying={jobId !== null} />
      primary = (
        <button type="button" className="primary" disabled={working} onClick={() => void activate()}>
          {jobId ? 'Deploying…' : 'Activate'}
        </button>
      )
      break
    case 'deploy':
      body = <DeployStep state={state} working={working} onInstall={() => void install()} onExport={(format) => void exportAs(format)} />
      primary = (
        <button type="button" className="primary" disabled={working} onClick={() => set({ step: 'use' })}>
          Next: use for inspection
        </button>
      )
      break
    case 'use':
      body = <UseStep state={state} />
      primary = state.inUse ? null : (
        <button type="button" className="primary" disabled={working} onClick={() => set({ confirming: true })}>
          Use for inspection…
        </button>
      )
      break
  }

  return (
    <WizardDialog
      title={`Bring your own root to Gateway — ${accountName}`}
      onClose={close}
      actions={
        <>
          <button type="button" onClick={close} disabled={jobId !== null}>
            {state.inUse ? 'Done' : step === 'deploy' || step === 'use' ? 'Close (turn on later)' : 'Close'}
          </button>
          {primary}
        </>
      }
      steps={STEPS}
      current={step}
      stepsLabel="BYOPKI steps"
      jobId={jobId}
      error={error}
      after={
        state.confirming ? (
          <ConfirmUse state={state} busy={busy} onConfirm={() => void turnOn()} onCancel={() => set({ confirming: false })} />
        ) : null
      }
    >
      {body}
    </WizardDialog>
  )
}
