import { useEffect, useId, useRef, useState, type ReactNode } from 'react'
import type { AopCertificate, AopHostname } from '../../../../shared/origin-model'
import { ActionDialog } from '../../components/Dialog'
import { DataTable } from '../../components/DataTable'
import { EmptyState } from '../../components/EmptyState'
import { ErrorBox } from '../../components/ErrorBox'
import { Expiry } from '../../components/Expiry'
import { useMissingPermission } from '../../components/usePermission'
import { WriteButton } from '../../components/WriteButton'
import { STATUS_BADGE, STATUS_LABEL, parseHostnames } from '../../lib/format'
import { useAppFields, useAppStore } from '../../store'
import { usePollWhilePending } from '../../store/poll'
import type { ZoneScope } from '../../store/scope'
import { aopName, isPending } from './model'
import { NewAopDialog } from './NewAopDialog'
import { RotateDialog } from './RotateDialog'
import { SubmitForm } from '../../components/Field'

export function AopStatusBadge({ status }: { status: AopCertificate['status'] }) {
  const s = status ?? 'initializing'
  return <span className={`badge ${STATUS_BADGE[s] ?? 'neutral'}`}>{STATUS_LABEL[s] ?? s.replace(/_/g, ' ')}</span>
}

/**
 * Authenticated Origin Pulls of a zone (Cloudflare docs: "Authenticated Origin Pulls"): the zone setting, the zone-level
 * and per-hostname certificates Cloudflare presents to the origin, which one a hostname presents, new, rotate, delete.
 */
export function AopTab({ zone, zoneName }: { zone: ZoneScope; zoneName: string }) {
  const view = useAppStore((s) => s.aop)
  const { loadAop: load } = useAppFields('loadAop')
  const soonDays = useAppStore((s) => s.settings?.expiringSoonDays ?? 30)
  const missing = useMissingPermission('zoneCertificates', zoneName)
  const [creating, setCreating] = useState(false)
  const [turningOff, setTurningOff] = useState(false)
  const [rotating, setRotating] = useState<AopCertificate | null>(null)
  const [deleting, setDeleting] = useState<AopCertificate | null>(null)
  useEffect(() => {
    void load(zone)
  }, [load, zone])

  const overview = view.overview
  const certs = overview ? [...overview.zoneCertificates, ...overview.hostnameCertificates] : []
  usePollWhilePending(certs.some(isPending) && !rotating, () => load(zone))
  return (
    <section className="panel" aria-labelledby="aop-title">
      <div className="panel-header">
        <h2 id="aop-title">Authenticated Origin Pulls on {zoneName}</h2>
        <div className="header-actions">
          <button type="button" disabled={view.loading} onClick={() => void load(zone)}>
            Refresh
          </button>
          <WriteButton missing={missing} note={false} className="primary" onClick={() => setCreating(true)}>
            New AOP certificate
          </WriteButton>
        </div>
      </div>
      <p className="muted">
        Cloudflare presents a client certificate to your origin, so the origin can refuse anyone who is not your zone. Cloudflare does not
        renew these certificates: when one expires the origin refuses Cloudflare, and the site goes down. Rotate before it does.
      </p>
      {view.error ? <ErrorBox error={view.error} onRetry={() => void load(zone)} /> : null}
      {overview ? (
        <>
          <ZoneSetting enabled={overview.enabled} zone={zone} missing={missing} onTurnOff={() => setTurningOff(true)} />
          {certs.length === 0 ? (
            <EmptyState title="No AOP certificates">
              Make a local CA and an AOP certificate signed by it with New AOP certificate; the origin trusts that CA.
            </EmptyState>
          ) : (
            <DataTable
              label={`AOP certificates on ${zoneName}`}
              className="compact"
              busy={view.loading}
              columns={[
                { header: 'Certificate', rowHeader: true, cell: (c) => <code title={c.id}>{c.id.slice(0, 13)}</code> },
                { header: 'Kind', cell: (c) => (c.kind === 'zone' ? 'zone-level' : 'per hostname') },
                { header: 'Status', cell: (c) => <AopStatusBadge status={c.status} /> },
                { header: 'Expires', cell: (c) => <Expiry iso={c.expiresOn} soonDays={soonDays} /> },
                { header: 'Issuer', className: 'wrap', cell: (c) => c.issuer ?? '—' },
              ]}
              rows={certs}
              actions={(c) => (
                <>
                  <WriteButton missing={missing} note={false} disabled={c.status === 'pending_deletion'} onClick={() => setRotating(c)}>
                    <span aria-label={`Rotate ${aopName(c)}`}>Rotate</span>
                  </WriteButton>
                  <WriteButton
                    missing={missing}
                    note={false}
                    className="danger"
                    disabled={c.status === 'pending_deletion'}
                    onClick={() => setDeleting(c)}
                  >
                    <span aria-label={`Delete ${aopName(c)}`}>Delete</span>
                  </WriteButton>
                </>
              )}
            />
          )}
          <HostnameLookup zone={zone} zoneName={zoneName} soonDays={soonDays} />
        </>
      ) : view.loading ? (
        <p className="muted" role="status">
          Reading the zone’s Authenticated Origin Pulls…
        </p>
      ) : null}
      {creating ? <NewAopDialog zone={zone} zoneName={zoneName} onClose={() => setCreating(false)} /> : null}
      {turningOff ? <TurnOffDialog zone={zone} zoneName={zoneName} onClose={() => setTurningOff(false)} /> : null}
      {rotating ? <RotateDialog zone={zone} zoneName={zoneName} old={rotating} onClose={() => setRotating(null)} /> : null}
      {deleting ? (
        <DeleteAopDialog zone={zone} cert={deleting} onClose={() => setDeleting(null)}>
          <p>
            Cloudflare stops presenting it to the origin and deletes it. An origin that still requires it refuses Cloudflare, unless another
            certificate it trusts is active.
          </p>
          <p className="muted small">
            <code className="break">{deleting.id}</code>
          </p>
        </DeleteAopDialog>
      ) : null}
    </section>
  )
}

function ZoneSetting({
  enabled,
  zone,
  missing,
  onTurnOff,
}: {
  enabled: boolean
  zone: ZoneScope
  missing: string | null
  onTurnOff: () => void
}) {
  const setEnabled = useAppStore((s) => s.setAopEnabled)
  const [busy, setBusy] = useState(false)
  const turnOn = async () => {
    setBusy(true)
    await setEnabled(zone, true)
    setBusy(false)
  }
  return (
    <div className="toolbar" role="group" aria-label="Zone-level Authenticated Origin Pulls">
      <span>Zone-level AOP: {enabled ? <span className="badge ok">on</span> : <span className="badge neutral">off</span>}</span>
      {enabled ? (
        <WriteButton missing={missing} onClick={onTurnOff}>
          Turn off
        </WriteButton>
      ) : (
        <WriteButton missing={missing} className="primary" disabled={busy} onClick={() => void turnOn()}>
          {busy ? 'Turning on…' : 'Turn on'}
        </WriteButton>
      )}
    </div>
  )
}

function TurnOffDialog({ zone, zoneName, onClose }: { zone: ZoneScope; zoneName: string; onClose: () => void }) {
  const setEnabled = useAppStore((s) => s.setAopEnabled)
  return (
    <ActionDialog
      title={`Turn off Authenticated Origin Pulls on ${zoneName}?`}
      confirmLabel="Turn off"
      runningLabel="Turning off…"
      danger
      run={async () => (await setEnabled(zone, false)).ok}
      onClose={onClose}
    >
      <p>
        Cloudflare stops presenting the zone-level certificate to the origin. An origin that requires it then refuses every request from
        Cloudflare, and the site goes down. Per-hostname certificates are not affected.
      </p>
    </ActionDialog>
  )
}

/** Deletes an AOP certificate once confirmed; `onClose` says whether Cloudflare took the delete. `children`: what it means here. */
export function DeleteAopDialog({
  zone,
  cert,
  onClose,
  children,
}: {
  zone: ZoneScope
  cert: AopCertificate
  onClose: (deleted: boolean) => void
  children: ReactNode
}) {
  const remove = useAppStore((s) => s.deleteAop)
  const deleted = useRef(false)
  const name = aopName(cert)
  return (
    <ActionDialog
      title={`Delete ${name}?`}
      confirmLabel="Delete certificate"
      runningLabel="Deleting…"
      danger
      run={async () => {
        deleted.current = (await remove(zone, cert.id, cert.kind)).ok
        return deleted.current
      }}
      onClose={() => onClose(deleted.current)}
    >
      {children}
    </ActionDialog>
  )
}

/** Which certificate a hostname presents to the origin (per-hostname AOP), its state and expiry. */
function HostnameLookup({ zone, zoneName, soonDays }: { zone: ZoneScope; zoneName: string; soonDays: number }) {
  const lookup = useAppStore((s) => s.lookupAopHostname)
  const [text, setText] = useState('')
  const [busy, setBusy] = useState(false)
  const [found, setFound] = useState<AopHostname | null>(null)
  const [error, setError] = useState<{ message: string; hint?: string } | null>(null)
  const id = useId()
  const hostname = parseHostnames(text)[0] ?? ''
  const run = async () => {
    setBusy(true)
    setError(null)
    const result = await lookup(zone, hostname)
    setBusy(false)
    setFound(result.ok ? result.value : null)
    if (!result.ok) setError(result.error)
  }
  return (
    <>
      <h3>Which certificate does a hostname present?</h3>
      <SubmitForm className="toolbar" onSubmit={() => void run()}>
        <div className="field inline">
          <label htmlFor={id}>Hostname</label>
          <input id={id} value={text} placeholder={`www.${zoneName}`} onChange={(e) => setText(e.target.value)} />
        </div>
        <button type="submit" disabled={busy || !hostname}>
          {busy ? 'Looking up…' : 'Look up'}
        </button>
      </SubmitForm>
      {error ? <ErrorBox error={error} /> : null}
      {found ? (
        <p role="status" aria-label="Hostname lookup result">
          {found.certId && found.enabled !== null ? (
            <>
              <strong>{found.hostname}</strong> presents certificate <code>{found.certId}</code>{' '}
              <AopStatusBadge status={found.certStatus} />
              {found.enabled ? '' : ' (association disabled)'}, issued by {found.issuer ?? 'an unknown issuer'}, expires{' '}
              <Expiry iso={found.expiresOn} soonDays={soonDays} />
            </>
          ) : (
            <>
              <strong>{found.hostname}</strong> has no certificate of its own: it presents the zone-level certificate when zone-level AOP is
              on.
            </>
          )}
        </p>
      ) : null}
    </>
  )
}
