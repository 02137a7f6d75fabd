import type { ReactNode } from 'react'
import type { Failure } from '../../../shared/errors'
import { Dialog } from './Dialog'
import { ErrorBox } from './ErrorBox'
import { JobProgress } from './JobProgress'
import { WizardSteps } from './Steps'

/**
 * A wizard in a wide dialog: its steps on top, the current step's body, then the running job's progress
 * and the last failure. `children` is the body; `after` stands after it (a confirmation on top of the wizard).
 */
export function WizardDialog<T extends string>({
  title,
  onClose,
  actions,
  steps,
  current,
  stepsLabel,
  jobId,
  error,
  children,
  after,
}: {
  title: string
  onClose: () => void
  actions: ReactNode
  steps: ReadonlyArray<{ id: T; label: string }>
  current: T
  stepsLabel: string
  jobId: string | null
  error: Failure | null
  children: ReactNode
  after?: ReactNode
}) {
  return (
    <Dialog open wide title={title} onClose={onClose} actions={actions}>
      <WizardSteps steps={steps} current={current} failed={error !== null} label={stepsLabel} />
      <div className="wizard-body">
        {children}
        <div className="wizard-feedback">
          {jobId ? <JobProgress jobId={jobId} /> : null}
          {error ? <ErrorBox error={error} /> : null}
        </div>
      </div>
      {after}
    </Dialog>
  )
}
