import { useState } from 'react'
import type { GatewayCertificateSummary } from '../../../../shared/cloudflare-model'
import { Dialog } from '../../components/Dialog'
import { ProgressSteps, type StepState } from '../../components/Steps'
import { useAppFields, useAppStore } from '../../store'
import type { AccountScope } from '../../store/scope'

/**
 * Activate, then watch `binding_status` until Cloudflare reports the certificate available: a live
 * stepper fed by the job's progress. Cancel stops the watching, not the deployment.
 */
export function ActivateDialog({
  account,
  cert,
  name,
  onClose,
}: {
  account: AccountScope
  cert: GatewayCertificateSummary
  name: string
  onClose: () => void
}) {
  const { startJob, cancelJob, activateGatewayCert: activate } = useAppFields('startJob', 'cancelJob', 'activateGatewayCert')
  const [jobId, setJobId] = useState<string | null>(null)
  const progress = useAppStore((s) => (jobId ? s.jobs[jobId] : undefined))
  const [result, setResult] = useState<GatewayCertificateSummary | 'failed' | null>(null)
  const [status, setStatus] = useState<string>(cert.bindingStatus ?? 'inactive')
  const seen = /Binding status: (\w+)/.exec(progress?.message ?? '')?.[1]
  if (seen && seen !== status) setStatus(seen)

  const run = async () => {
    const id = startJob(`Activating ${name}`)
    setJobId(id)
    const outcome = await activate(account, cert.id, id)
    if (outcome.ok && outcome.value.bindingStatus) setStatus(outcome.value.bindingStatus)
    setResult(outcome.ok ? outcome.value : 'failed')
  }
  const available = status === 'available'
  const steps: { label: string; state: StepState }[] = [
    { label: 'Request activation', state: jobId ? (status !== 'inactive' || result ? 'done' : 'current') : 'waiting' },
    {
      label: 'Deploy across Cloudflare’s network (pending deployment)',
      state: available ? 'done' : status === 'pending_deployment' ? (result === 'failed' ? 'failed' : 'current') : 'waiting',
    },
    { label: 'Available for inspection', state: available ? 'done' : 'waiting' },
  ]
  const running = jobId !== null && result === null
  return (
    <Dialog
      open
      title={`Activate ${name}`}
      onClose={() => !running && onClose()}
      actions={
        running ? (
          <button type="button" onClick={() => jobId && void cancelJob(jobId)}>
            Stop watching
          </button>
        ) : result ? (
          <button type="button" className="primary" onClick={onClose}>
            Close
          </button>
        ) : (
          <>
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="button" className="primary" onClick={() => void run()}>
              Activate
            </button>
          </>
        )
      }
    >
      {!jobId ? (
        <p>
          Cloudflare deploys the certificate across its network; this usually takes a few minutes. It is not used for inspection until you
          turn it on.
        </p>
      ) : null}
      <ProgressSteps steps={steps} label="Activation steps" />
      <p className="muted small" role="status">
        {running
          ? (progress?.message ?? 'Requesting activation…')
          : available
            ? 'Available: it can now be turned on for inspection.'
            : result === 'failed'
              ? 'Stopped before it was available; see the message in the corner.'
              : '\u00a0'}
      </p>
    </Dialog>
  )
}
