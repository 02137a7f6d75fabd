/**
 * Steps shown as a list. `WizardSteps` heads a wizard: the steps before the current one are done.
 * `ProgressSteps` follows a job: each step carries its own state (done, current, failed, waiting).
 */
export type StepState = 'done' | 'current' | 'failed' | 'waiting'

export function WizardSteps<T extends string>({
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

export function ProgressSteps({ steps, label }: { steps: ReadonlyArray<{ label: string; state: StepState }>; label: string }) {
  return (
    <ol className="steps" aria-label={label}>
      {steps.map((s, i) => (
        <li key={s.label} className={`step ${s.state}`} aria-current={s.state === 'current' ? 'step' : undefined}>
          <span className="step-mark" aria-hidden="true">
            {s.state === 'done' ? '✓' : s.state === 'failed' ? '!' : i + 1}
          </span>
          <span>
            {s.label}
            <span className="visually-hidden"> ({s.state})</span>
          </span>
        </li>
      ))}
    </ol>
  )
}
