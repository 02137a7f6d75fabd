import { useState, type FormEvent } from 'react'
import { useAppFields, useAppStore } from '../../store'

export function ProfilesSection() {
  const profiles = useAppStore((s) => s.profiles)
  const activeId = useAppStore((s) => s.settings?.activeProfileId ?? null)
  const {
    addProfile,
    removeProfile,
    resetSandbox,
    updateSettings: update,
  } = useAppFields('addProfile', 'removeProfile', 'resetSandbox', 'updateSettings')
  const [name, setName] = useState('')
  const [token, setToken] = useState('')
  const [busy, setBusy] = useState(false)
  const [confirming, setConfirming] = useState<string | null>(null)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    // Once kept, the token leaves the page for good; a refused one stays (masked) in its field to be corrected.
    const added = await addProfile({ kind: 'cloudflare', name, token })
    setBusy(false)
    if (added.ok) {
      setName('')
      setToken('')
    }
  }

  const hasSandbox = profiles.some((p) => p.kind === 'sandbox')

  return (
    <section className="panel" aria-labelledby="profiles-title">
      <h2 id="profiles-title">Profiles</h2>
      {profiles.length === 0 ? (
        <p className="muted">No profiles yet. Add a Cloudflare API token, or try everything offline with the Sandbox.</p>
      ) : null}
      <ul className="profile-list" aria-label="Profiles">
        {profiles.map((p) => (
          <li key={p.id} className="profile-row">
            <label className="profile-choice">
              <input
                type="radio"
                name="active-profile"
                checked={activeId === p.id}
                onChange={() => void update({ activeProfileId: p.id })}
              />
              <span className="profile-name">{p.name}</span>
              <span className={`badge ${p.kind === 'sandbox' ? 'info' : 'neutral'}`}>
                {p.kind === 'sandbox' ? 'Sandbox' : 'Cloudflare'}
              </span>
              {p.tokenHint ? <span className="muted">token …{p.tokenHint}</span> : null}
              <span className="muted small">
                {p.accounts.length} account{p.accounts.length === 1 ? '' : 's'}, {p.zones.length} zone{p.zones.length === 1 ? '' : 's'}
              </span>
            </label>
            {p.missingPermissions.length ? (
              <span className="warning small" role="note">
                Missing: {p.missingPermissions.join(', ')}
              </span>
            ) : null}
            {p.kind === 'sandbox' && confirming !== p.id ? (
              confirming === `reset:${p.id}` ? (
                <span className="confirm">
                  Reset the Sandbox to its demo data? Everything created in it is discarded.
                  <button type="button" className="danger" onClick={() => void resetSandbox().then(() => setConfirming(null))}>
                    Reset
                  </button>
                  <button type="button" onClick={() => setConfirming(null)}>
                    Cancel
                  </button>
                </span>
              ) : (
                <button type="button" onClick={() => setConfirming(`reset:${p.id}`)}>
                  Reset data…
                </button>
              )
            ) : null}
            {confirming === p.id ? (
              <span className="confirm">
                Remove “{p.name}” and delete its token from the keychain?
                <button type="button" className="danger" onClick={() => void removeProfile(p.id).then(() => setConfirming(null))}>
                  Remove
                </button>
                <button type="button" onClick={() => setConfirming(null)}>
                  Cancel
                </button>
              </span>
            ) : (
              <button type="button" aria-label={`Remove profile ${p.name}`} onClick={() => setConfirming(p.id)}>
                Remove
              </button>
            )}
          </li>
        ))}
      </ul>
      <form className="form-grid" onSubmit={(e) => void submit(e)} aria-label="Add a Cloudflare profile">
        <label className="field">
          <span>Profile name</span>
          <input required value={name} onChange={(e) => setName(e.target.value)} placeholder="Production" autoComplete="off" />
        </label>
        <label className="field">
          <span>API token</span>
          <input
            required
            type="password"
            value={token}
            onChange={(e) => setToken(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            aria-describedby="token-help"
          />
        </label>
        <p id="token-help" className="muted small">
          Kept in your system keychain, never on disk or shown again. Needs “SSL and Certificates”, “Access: Mutual TLS Certificates” and
          “Zero Trust” permissions for the features you use.
        </p>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy || !name.trim() || !token}>
            {busy ? 'Adding…' : 'Add profile'}
          </button>
          {!hasSandbox ? (
            <button type="button" onClick={() => void addProfile({ kind: 'sandbox', name: 'Sandbox' })}>
              Start with the Sandbox
            </button>
          ) : null}
        </div>
      </form>
    </section>
  )
}
