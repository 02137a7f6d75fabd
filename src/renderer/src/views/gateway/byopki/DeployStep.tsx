/** Step 5: put the root on devices: install it here, export PEM or DER for an MDM. */
import { ChangeReportView } from '../../../components/certificate/ChangeReportView'
import { DeploymentSteps } from './DeploymentSteps'
import { rootNameOf, type ByopkiState } from './model'

export function DeployStep({
  state,
  working,
  onInstall,
  onExport,
}: {
  state: ByopkiState
  working: boolean
  onInstall: () => void
  onExport: (format: 'certificate-pem' | 'certificate-der') => void
}) {
  return (
    <div className="form-stack">
      <DeploymentSteps status={state.deployed?.bindingStatus} inUse={false} />
      <p>
        Gateway certificate <code className="gateway-id">{state.uploaded?.gateway.id}</code> is available but not used for inspection yet.
        First put <strong>{rootNameOf(state)}</strong> on every device that goes through Gateway: install it here, and export it for your
        MDM (Intune, Jamf, Kandji…) or the Cloudflare One Client.
      </p>
      <div className="form-actions">
        <button type="button" disabled={working || state.installed !== null} onClick={onInstall}>
          Install on this machine
        </button>
        <button type="button" disabled={working} onClick={() => onExport('certificate-pem')}>
          Export for MDM (PEM)
        </button>
        <button type="button" disabled={working} onClick={() => onExport('certificate-der')}>
          Export for MDM (DER .cer)
        </button>
      </div>
      {state.exportedTo.map((path) => (
        <p key={path} role="status">
          Saved to <code className="break">{path}</code>
        </p>
      ))}
      {state.installed ? <ChangeReportView report={state.installed} action="install" /> : null}
      <p className="muted small">When your devices trust it, go on to use it for inspection — now, or later from the Gateway screen.</p>
    </div>
  )
}
