/** Steps 3 and 4: what was uploaded, and activation followed until the certificate is available. */
import { DeploymentSteps } from './DeploymentSteps'
import type { ByopkiState } from './model'

export function ActivateStep({ state, deploying }: { state: ByopkiState; deploying: boolean }) {
  const { uploaded, deployed } = state
  if (!uploaded) return null
  return (
    <div className="form-stack">
      <p>
        Uploaded as account mTLS certificate <code>{uploaded.mtlsCertificateId}</code>, Gateway certificate{' '}
        <code>{uploaded.gateway.id}</code> (found by {uploaded.matchedBy}).
      </p>
      <DeploymentSteps
        status={deployed?.bindingStatus ?? (deploying ? 'pending_deployment' : uploaded.gateway.bindingStatus)}
        inUse={false}
      />
      <p className="muted small">
        Activating deploys the certificate across Cloudflare’s network; it can take a few minutes. Certdesk follows it until it is
        available. It is not used for inspection yet.
      </p>
    </div>
  )
}
