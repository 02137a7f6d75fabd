import { useEffect, useId, useState } from 'react'
import type { GatewayCertificateSummary } from '../../../../shared/cloudflare-model'
import { ConfirmDialog, Dialog } from '../../components/Dialog'
import { EmptyState } from '../../components/EmptyState'
import { ErrorBox } from '../../components/ErrorBox'
import { NeedsProfile } from '../../components/NeedsProfile'
import { AccountPicker } from '../../components/ScopePicker'
import { ScreenHeader } from '../../components/ScreenHeader'
import { useAccountScope } from '../../components/useScope'
import { NoAccount } from '../../components/NoAccount'
import { STATUS_BADGE, STATUS_LABEL, dateText, expiryBadge, shortId } from '../../lib/format'
import { useAppFields, useAppStore } from '../../store'
import { usePollWhilePending } from '../../store/poll'
import type { AccountScope } from '../../store/scope'
import { ActivateDialog } from './ActivateDialog'
import { ByopkiButton, INSPECTION_RISK } from './ByopkiWizard'

type Action = 'use' | 'deactivate' | 'delete'
const nameOf = (c: GatewayCertificateSummary) => `${c.type === 'custom' ? 'Custom root' : 'Cloudflare root'} ${shortId(c.id)}`

export function GatewayView() {
  const { account, scope } = useAccountScope()
  return (
    <>
      <ScreenHeader
        title="Gateway inspection"
        subtitle="Zero Trust Gateway root certificates that sign inspected TLS traffic."
        actions={
          <>
            <AccountPicker />
            <ByopkiButton />
          </>
        }
      />
      <NeedsProfile>{scope && account ? <GatewayPanel account={scope} accountName={account.name} /> : <NoAccount />}</NeedsProfile>
    </>
  )
}

function GatewayPanel({ account, accountName }: { account: AccountScope; accountName: string }) {
  const { items: certs, loading, error } = useAppStore((s) => s.gatewayCerts)
  const load = useAppStore((s) => s.loadGateway)
  const soonDays = useAppStore((s) => s.settings?.expiringSoonDays ?? 30)
  const [creating, setCreating] = useState(false)
  const [activating, setActivating] = useState<GatewayCertificateSummary | null>(null)
  const [confirm, setConfirm] = useState<{ cert: GatewayCertificateSummary; action: Action } | null>(null)

  useEffect(() => {
    void load(account)
  }, [load, account])
  // Deployments and deletions settle on Cloudflare's side: poll while any is pending.
  usePollWhilePending(
    certs.some((c) => c.bindingStatus === 'pending_deployment' || c.bindingStatus === 'pending_deletion'),
    () => load(account),
  )

  return (
    <section className="panel" aria-labelledby="gateway-title">
      <div className="panel-header">
        <h2 id="gateway-title">Certificates on {accountName}</h2>
        <div className="header-actions">
          <button type="button" onClick={() => void load(account)} disabled={loading}>
            Refresh
          </button>
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            Create certificate
          </button>
        </div>
      </div>
      <p className="muted">
        Exactly one certificate signs inspected traffic. A certificate must be activated (deployed across Cloudflare's network) before it
        can be used, and deactivated before it can be deleted. Devices must trust the one in use.
      </p>
      {error ? <ErrorBox error={error} onRetry={() => void load(account)} /> : null}
      {!error && !loading && certs.length === 0 ? (
        <EmptyState
          title="No Gateway certificates"
          action={
            <button type="button" onClick={() => setCreating(true)}>
              Create a certificate
            </button>
          }
        >
          Create a Cloudflare-generated root, activate it, install it on your devices, then turn it on for inspection.
        </EmptyState>
      ) : (
        <table className="data-table gateway-table" aria-label={`Gateway certificates on ${accountName}`} aria-busy={loading}>
          <thead>
            <tr>
              <th scope="col">Certificate</th>
              <th scope="col">Binding status</th>
              <th scope="col">Inspection</th>
              <th scope="col">SHA-256 fingerprint</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {certs.map((c) => {
              const inUse = c.inUse
              const status = c.bindingStatus ?? 'inactive'
              const badge = expiryBadge(c.expiresOn, soonDays)
              const name = nameOf(c)
              return (
                <tr key={c.id}>
                  <td>
                    {name}
                    <div className="muted small">{c.issuerOrg ?? ''}</div>
                  </td>
                  <td>
                    <span className={`badge ${STATUS_BADGE[status] ?? 'neutral'}`}>{STATUS_LABEL[status] ?? status}</span>
                  </td>
                  <td>{inUse ? <span className="badge ok">in use</span> : <span className="muted">not used</span>}</td>
                  <td>
                    <code className="small fingerprint-cell" title={c.fingerprint}>
                      {c.fingerprint ?? '—'}
                    </code>
                  </td>
                  <td>
                    {dateText(c.expiresOn)} {badge ? <span className={`badge ${badge.kind}`}>{badge.text}</span> : null}
                  </td>
                  <td className="actions">
                    <div className="row-actions">
                      {status === 'inactive' ? (
                        <button type="button" aria-label={`Activate ${name}`} onClick={() => setActivating(c)}>
                          Activate
                        </button>
                      ) : null}
                      {status === 'available' && !inUse ? (
                        <button
                          type="button"
                          aria-label={`Use ${name} for inspection`}
                          onClick={() => setConfirm({ cert: c, action: 'use' })}
                        >
                          Use for inspection
                        </button>
                      ) : null}
                      {status === 'available' || status === 'pending_deployment' ? (
                        <button
                          type="button"
                          aria-label={`Deactivate ${name}`}
                          disabled={inUse}
                          title={inUse ? 'In use: turn another certificate on for inspection first.' : undefined}
                          onClick={() => setConfirm({ cert: c, action: 'deactivate' })}
                        >
                          Deactivate
                        </button>
                      ) : null}
                      <button
                        type="button"
                        className="danger"
                        aria-label={`Delete ${name}`}
                        disabled={status !== 'inactive'}
                        title={status !== 'inactive' ? 'Only an inactive certificate can be deleted: deactivate it first.' : undefined}
                        onClick={() => setConfirm({ cert: c, action: 'delete' })}
                      >
                        Delete
                      </button>
                    </div>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
      {creating ? <CreateGatewayDialog account={account} accountName={accountName} onClose={() => setCreating(false)} /> : null}
      {activating ? (
        <ActivateDialog account={account} cert={activating} name={nameOf(activating)} onClose={() => setActivating(null)} />
      ) : null}
      {confirm ? (
        <ConfirmGatewayAction account={account} cert={confirm.cert} action={confirm.action} onClose={() => setConfirm(null)} />
      ) : null}
    </section>
  )
}

const VALIDITY = [
  { days: 365, label: '1 year' },
  { days: 1825, label: '5 years (Cloudflare’s default)' },
  { days: 3650, label: '10 years' },
]

function CreateGatewayDialog({ account, accountName, onClose }: { account: AccountScope; accountName: string; onClose: () => void }) {
  const create = useAppStore((s) => s.createGatewayCert)
  const [days, setDays] = useState(1825)
  const [busy, setBusy] = useState(false)
  const id = useId()
  const submit = async () => {
    setBusy(true)
    const result = await create(account, days)
    setBusy(false)
    if (result.ok) onClose()
  }
  return (
    <Dialog
      open
      title={`Create a Gateway certificate on ${accountName}`}
      onClose={onClose}
      actions={
        <>
          <button type="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="button" className="primary" disabled={busy} onClick={() => void submit()}>
            {busy ? 'Creating…' : 'Create certificate'}
          </button>
        </>
      }
    >
      <p>
        Cloudflare generates the root and keeps its private key. It starts inactive: activate it, install it on devices, then turn it on for
        inspection.
      </p>
      <div className="field inline">
        <label htmlFor={id}>Validity</label>
        <select id={id} value={days} onChange={(e) => setDays(Number(e.target.value))}>
          {VALIDITY.map((v) => (
            <option key={v.days} value={v.days}>
              {v.label}
            </option>
          ))}
        </select>
      </div>
    </Dialog>
  )
}

function ConfirmGatewayAction({
  account,
  cert,
  action,
  onClose,
}: {
  account: AccountScope
  cert: GatewayCertificateSummary
  action: Action
  onClose: () => void
}) {
  const {
    useForInspection: use,
    deactivateGatewayCert: deactivate,
    deleteGatewayCert: remove,
  } = useAppFields('useForInspection', 'deactivateGatewayCert', 'deleteGatewayCert')
  const [busy, setBusy] = useState(false)
  const name = nameOf(cert)
  const text = {
    use: {
      title: `Use ${name} for inspection?`,
      confirm: 'Use for inspection',
      body: `Gateway will sign inspected TLS traffic with this root from now on. ${INSPECTION_RISK} Install it on your devices first.`,
    },
    deactivate: {
      title: `Deactivate ${name}?`,
      confirm: 'Deactivate',
      body: 'It is withdrawn from Cloudflare’s network (pending deletion, then inactive). It can be activated again later.',
    },
    delete: {
      title: `Delete ${name}?`,
      confirm: 'Delete certificate',
      body: 'The certificate and its private key are deleted from Cloudflare for good.',
    },
  }[action]
  const run = async () => {
    setBusy(true)
    const work = action === 'use' ? use : action === 'deactivate' ? deactivate : remove
    await work(account, cert.id)
    setBusy(false)
    onClose()
  }
  return (
    <ConfirmDialog
      open
      title={text.title}
      confirmLabel={busy ? 'Working…' : text.confirm}
      danger={action !== 'use'}
      busy={busy}
      onConfirm={() => void run()}
      onCancel={onClose}
    >
      <p>{text.body}</p>
      <p className="muted small">
        SHA-256 <code className="break">{cert.fingerprint ?? cert.id}</code>
      </p>
    </ConfirmDialog>
  )
}
