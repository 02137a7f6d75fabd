/**
 * The account's roots as a source for Verify: the Gateway certificate in use for inspection (by
 * its fingerprint from the Gateway list) and the Access mTLS roots (Cloudflare's MD5 spelling).
 * Only shown when a profile is active; read on demand so the screen works offline.
 */
import type { Failure } from '../../../../shared/errors'
import { useState } from 'react'
import type { AccessCertificateSummary, GatewayCertificateSummary } from '../../../../shared/cloudflare-model'
import { ErrorBox } from '../../components/ErrorBox'
import { useAccount } from '../../components/useScope'
import { useAppStore } from '../../store'

export function AccountRootsSource({ busy, onVerify }: { busy: boolean; onVerify: (fingerprint: string, source: string) => void }) {
  const { profile, account } = useAccount()
  const load = useAppStore((s) => s.accountRootsForVerify)
  const [roots, setRoots] = useState<{
    inUse: GatewayCertificateSummary | null
    gateway: GatewayCertificateSummary[]
    access: AccessCertificateSummary[]
  } | null>(null)
  const [loading, setLoading] = useState(false)
  const [error, setError] = useState<Failure | null>(null)
  if (!profile || !account) return null

  const read = async () => {
    setLoading(true)
    setError(null)
    const result = await load({ profileId: profile.id, accountId: account.id })
    setLoading(false)
    if (!result.ok) setError(result.error)
    else setRoots(result.value)
  }
  const others = roots ? roots.gateway.filter((g) => g.id !== roots.inUse?.id && g.fingerprint) : []

  return (
    <section className="panel" aria-labelledby="verify-account-title">
      <div className="panel-header">
        <h2 id="verify-account-title">From the account {account.name}</h2>
        <button type="button" onClick={() => void read()} disabled={loading}>
          {loading ? 'Reading…' : roots ? 'Read again' : 'Read the account’s roots'}
        </button>
      </div>
      {error ? <ErrorBox error={error} onRetry={() => void read()} /> : null}
      {roots ? (
        <ul className="account-roots" aria-label="The account’s roots">
          {roots.inUse ? (
            <li>
              <span className="badge ok">Gateway, in use</span> <code>{roots.inUse.id.slice(0, 8)}</code> {roots.inUse.issuerOrg ?? ''}
              <button
                type="button"
                disabled={busy || !roots.inUse.fingerprint}
                onClick={() => onVerify(roots.inUse!.fingerprint!, `the Gateway certificate in use (${roots.inUse!.id.slice(0, 8)})`)}
              >
                Verify the Gateway certificate in use
              </button>
            </li>
          ) : (
            <li className="muted">Gateway inspection uses no certificate of this account yet.</li>
          )}
          {others.map((g) => (
            <li key={g.id}>
              <span className="badge neutral">Gateway</span> <code>{g.id.slice(0, 8)}</code> {g.issuerOrg ?? ''}{' '}
              <span className="muted small">{g.bindingStatus}</span>
              <button
                type="button"
                disabled={busy}
                onClick={() => onVerify(g.fingerprint!, `Gateway certificate ${g.id.slice(0, 8)}`)}
                aria-label={`Verify Gateway certificate ${g.id.slice(0, 8)}`}
              >
                Verify
              </button>
            </li>
          ))}
          {roots.access.map((a) => (
            <li key={a.id}>
              <span className="badge info">Access root</span> {a.name}
              <button
                type="button"
                disabled={busy || !a.fingerprint}
                onClick={() => onVerify(a.fingerprint!, `the Access root “${a.name}”`)}
                aria-label={`Verify Access root ${a.name}`}
              >
                Verify
              </button>
            </li>
          ))}
          {roots.access.length === 0 ? <li className="muted">No Access mTLS roots on this account.</li> : null}
        </ul>
      ) : (
        <p className="muted small">
          Read the Gateway certificate used for inspection and the Access mTLS roots, then check whether this machine trusts them.
        </p>
      )}
    </section>
  )
}
