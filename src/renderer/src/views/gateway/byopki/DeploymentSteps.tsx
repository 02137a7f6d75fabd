import { STATUS_BADGE, STATUS_LABEL } from '../../../lib/format'

/** The live deployment: uploaded → pending deployment → available → in use. */
export function DeploymentSteps({ status, inUse }: { status: string | undefined; inUse: boolean }) {
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
