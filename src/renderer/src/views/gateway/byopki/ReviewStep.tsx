/** Step 2: both lint results (python-strict and gateway-byopki) and the name at Cloudflare. */
import { useId } from 'react'
import { CertificateCheckView } from '../../../components/certificate/CertificateCheckView'
import type { ImportedRoot } from '../../../store/gateway'
import type { StepProps } from './model'

/** Gateway refuses a root that fails its own check: only then is the upload held back. */
export const gatewayPassed = (root: ImportedRoot | null): boolean => root?.gateway.reports.every((r) => r.passed) ?? false

export function ReviewStep({ state, set }: StepProps) {
  const nameId = useId()
  const root = state.root
  if (!root) return null
  const bothPass = gatewayPassed(root) && root.strict.reports.every((r) => r.passed)
  return (
    <div className="lint-pair">
      <p>
        Both checks must pass before devices and Python clients accept certificates Gateway signs with this root.{' '}
        <span className={`badge ${bothPass ? 'ok' : 'bad'}`}>{bothPass ? 'both pass' : 'a check fails'}</span>
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
          <label htmlFor={nameId}>Name at Cloudflare (optional)</label>
          <input id={nameId} value={state.name} onChange={(e) => set({ name: e.target.value })} placeholder={root.key.label} />
        </div>
      ) : null}
    </div>
  )
}
