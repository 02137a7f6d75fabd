import { useEffect, useState } from 'react'
import type { GatewayCertificateSummary } from '../../../../shared/cloudflare-model'
import { ActionDialog } from '../../components/Dialog'
import { DataTable } from '../../components/DataTable'
import { Expiry } from '../../components/Expiry'
import { EmptyState } from '../../components/EmptyState'
import { ListBody } from '../../components/ListBody'
import { Panel } from '../../components/Panel'
import { NeedsProfile } from '../../components/NeedsProfile'
import { AccountPicker } from '../../components/ScopePicker'
import { ScreenHeader } from '../../components/ScreenHeader'
import { useAccountScope } from '../../components/useScope'
import { NoAccount } from '../../components/NoAccount'
import { STATUS_BADGE, STATUS_LABEL, shortId } from '../../lib/format'
import { useAppFields, useAppStore } from '../../store'
import { usePollWhilePending } from '../../store/poll'
import type { AccountScope } from '../../store/scope'
import { ActivateDialog } from './ActivateDialog'
import { InlineChoice } from '../../components/ChoiceSelect'
import { ByopkiButton, INSPECTION_RISK } from './byopki/ByopkiWizard'
import { ExportForFleetButton } from '../../components/ExportForFleetButton'

type Action = 'use' | 'deactivate' | 'delete'
const statusOf = (c: GatewayCertificateSummary) => c.bindingStatus ?? 'inactive'
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

  const empty = (
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
  )

  return (
    <Panel
      titleId="gateway-title"
      title={`Certificates on ${accountName}`}
      actions={
        <>
          <button type="button" onClick={() => void load(account)} disabled={loading}>
            Refresh
          </button>
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            Create certificate
          </button>
        </>
      }
    >
      <p className="muted">
        Exactly one certificate signs inspected traffic. A certificate must be activated (deployed across Cloudflare's network) before it
        can be used, and deactivated before it can be deleted. Devices must trust the one in use.
      </p>
      <ListBody error={error} loading={loading} count={certs.length} onRetry={() => void load(account)} empty={empty}>
        <DataTable
          label={`Gateway certificates on ${accountName}`}
          className="gateway-table"
          busy={loading}
          columns={[
            {
              header: 'Certificate',
              cell: (c) => (
                <>
                  {nameOf(c)}
                  <div className="muted small">{c.issuerOrg ?? ''}</div>
                </>
              ),
            },
            {
              header: 'Binding status',
              cell: (c) => {
                const status = statusOf(c)
                return <span className={`badge ${STATUS_BADGE[status] ?? 'neutral'}`}>{STATUS_LABEL[status] ?? status}</span>
              },
            },
            {
              header: 'Inspection',
              cell: (c) => (c.inUse ? <span className="badge ok">in use</span> : <span className="muted">not used</span>),
            },
            {
              header: 'SHA-256 fingerprint',
              cell: (c) => (
                <code className="small fingerprint-cell" title={c.fingerprint}>
                  {c.fingerprint ?? '—'}
                </code>
              ),
            },
            { header: 'Expires', cell: (c) => <Expiry iso={c.expiresOn} soonDays={soonDays} /> },
          ]}
          rows={certs}
          actions={(c) => (
            <GatewayActions cert={c} onActivate={() => setActivating(c)} onConfirm={(action) => setConfirm({ cert: c, action })} />
          )}
        />
      </ListBody>
      {creating ? <CreateGatewayDialog account={account} accountName={accountName} onClose={() => setCreating(false)} /> : null}
      {activating ? (
        <ActivateDialog account={account} cert={activating} name={nameOf(activating)} onClose={() => setActivating(null)} />
      ) : null}
      {confirm ? (
        <ConfirmGatewayAction account={account} cert={confirm.cert} action={confirm.action} onClose={() => setConfirm(null)} />
      ) : null}
    </Panel>
  )
}

function GatewayActions({
  cert: c,
  onActivate,
  onConfirm,
}: {
  cert: GatewayCertificateSummary
  onActivate: () => void
  onConfirm: (action: Action) => void
}) {
  const inUse = c.inUse
  const status = statusOf(c)
  const name = nameOf(c)
  return (
    <>
      {status === 'inactive' ? (
        <button type="button" aria-label={`Activate ${name}`} onClick={onActivate}>
          Activate
        </button>
      ) : null}
      {status === 'available' && !inUse ? (
        <button type="button" aria-label={`Use ${name} for inspection`} onClick={() => onConfirm('use')}>
          Use for inspection
        </button>
      ) : null}
      {status === 'available' || status === 'pending_deployment' ? (
        <button
          type="button"
          aria-label={`Deactivate ${name}`}
          disabled={inUse}
          title={inUse ? 'In use: turn another certificate on for inspection first.' : undefined}
          onClick={() => onConfirm('deactivate')}
        >
          Deactivate
        </button>
      ) : null}
      {c.certificate ? <ExportForFleetButton certificatePem={c.certificate} name={name} /> : null}
      <button
        type="button"
        className="danger"
        aria-label={`Delete ${name}`}
        disabled={status !== 'inactive'}
        title={status !== 'inactive' ? 'Only an inactive certificate can be deleted: deactivate it first.' : undefined}
        onClick={() => onConfirm('delete')}
      >
        Delete
      </button>
    </>
  )
}

const VALIDITY_DAYS = [
  { value: 365, label: '1 year' },
  { value: 1825, label: '5 years (Cloudflare’s default)' },
  { value: 3650, label: '10 years' },
]

function CreateGatewayDialog({ account, accountName, onClose }: { account: AccountScope; accountName: string; onClose: () => void }) {
  const create = useAppStore((s) => s.createGatewayCert)
  const [days, setDays] = useState(1825)
  return (
    <ActionDialog
      title={`Create a Gateway certificate on ${accountName}`}
      confirmLabel="Create certificate"
      runningLabel="Creating…"
      run={async () => (await create(account, days)).ok}
      onClose={onClose}
    >
      <p>
        Cloudflare generates the root and keeps its private key. It starts inactive: activate it, install it on devices, then turn it on for
        inspection.
      </p>
      <InlineChoice label="Validity" value={days} choices={VALIDITY_DAYS} onChange={setDays} />
    </ActionDialog>
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
  return (
    <ActionDialog
      title={text.title}
      confirmLabel={text.confirm}
      runningLabel="Working…"
      danger={action !== 'use'}
      run={async () => {
        const work = action === 'use' ? use : action === 'deactivate' ? deactivate : remove
        await work(account, cert.id)
        return true
      }}
      onClose={onClose}
    >
      <p>{text.body}</p>
      <p className="muted small">
        SHA-256 <code className="break">{cert.fingerprint ?? cert.id}</code>
      </p>
    </ActionDialog>
  )
}
