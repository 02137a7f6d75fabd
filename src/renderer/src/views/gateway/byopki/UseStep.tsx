/** Step 6: turn the root on for inspection, after a confirmation that says what it risks. */
import { ConfirmDialog } from '../../../components/Dialog'
import { DeploymentSteps } from './DeploymentSteps'
import { INSPECTION_RISK, rootNameOf, type ByopkiState } from './model'

export function UseStep({ state }: { state: ByopkiState }) {
  const rootName = rootNameOf(state)
  return (
    <div className="form-stack">
      <DeploymentSteps status={state.deployed?.bindingStatus} inUse={state.inUse} />
      {state.inUse ? (
        <p role="status">
          Gateway signs inspected traffic with <strong>{rootName}</strong> (Gateway certificate{' '}
          <code className="gateway-id">{state.uploaded?.gateway.id}</code>) now.
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
}

export function ConfirmUse({
  state,
  busy,
  onConfirm,
  onCancel,
}: {
  state: ByopkiState
  busy: boolean
  onConfirm: () => void
  onCancel: () => void
}) {
  return (
    <ConfirmDialog
      open
      title={`Use ${rootNameOf(state)} for inspection?`}
      confirmLabel={busy ? 'Turning on…' : 'Use for inspection'}
      danger
      busy={busy}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      <p>
        <strong>{INSPECTION_RISK}</strong>
      </p>
      <p>
        Install the root on every device that goes through Gateway first
        {state.installed || state.exportedTo.length ? '' : ' — you have not installed or exported it from here yet'}.
      </p>
    </ConfirmDialog>
  )
}
