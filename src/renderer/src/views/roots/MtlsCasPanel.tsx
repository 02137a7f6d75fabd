import { useEffect, useId, useState } from 'react'
import type { MtlsAssociation, MtlsCertificateSummary } from '../../../../shared/cloudflare-model'
import type { Failure } from '../../../../shared/errors'
import { PemInput, type PemValue } from '../../components/certificate/PemInput'
import { LintGatedDialog } from '../../components/certificate/LintGatedDialog'
import { ActionDialog, CloseButton, Dialog } from '../../components/Dialog'
import { DataTable } from '../../components/DataTable'
import { Expiry } from '../../components/Expiry'
import { EmptyState } from '../../components/EmptyState'
import { ErrorBox } from '../../components/ErrorBox'
import { ListBody } from '../../components/ListBody'
import { Panel } from '../../components/Panel'
import { useAppStore } from '../../store'
import type { AccountScope } from '../../store/scope'
import { WriteButton } from '../../components/WriteButton'
import { useMissingPermission } from '../../components/usePermission'

const TYPE_LABEL: Record<string, string> = { custom: 'Uploaded', gateway_managed: 'Gateway', access_managed: 'Access' }

/** Account mTLS CAs: bring-your-own CAs for API Shield, Workers mTLS and Gateway. */
export function MtlsCasPanel({ account, accountName }: { account: AccountScope; accountName: string }) {
  const { items: cas, loading, error } = useAppStore((s) => s.mtlsCas)
  const load = useAppStore((s) => s.loadMtlsCas)
  const soonDays = useAppStore((s) => s.settings?.expiringSoonDays ?? 30)
  const [dialog, setDialog] = useState<{ kind: 'upload' } | { kind: 'associations' | 'delete'; ca: MtlsCertificateSummary } | null>(null)
  const needsWrite = useMissingPermission('accountCertificates', accountName)

  useEffect(() => {
    void load(account)
  }, [load, account])

  const empty = (
    <EmptyState
      title="No CAs uploaded"
      action={
        <WriteButton missing={needsWrite} note={false} onClick={() => setDialog({ kind: 'upload' })}>
          Upload a CA
        </WriteButton>
      }
    >
      Upload the root (and intermediates) that issue your client certificates, to use them instead of the Cloudflare-managed CA.
    </EmptyState>
  )

  return (
    <Panel
      titleId="mtls-title"
      title="Account mTLS CAs"
      actions={
        <>
          <WriteButton missing={needsWrite} className="primary" onClick={() => setDialog({ kind: 'upload' })}>
            Upload CA
          </WriteButton>
        </>
      }
    >
      <p className="muted">
        Your own CAs on {accountName}, for API Shield hostnames, Workers mTLS and Gateway. Five per Enterprise account, shared by all three.
      </p>
      <ListBody error={error} loading={loading} count={cas.length} onRetry={() => void load(account)} empty={empty}>
        <DataTable
          label={`Account mTLS CAs on ${accountName}`}
          busy={loading}
          columns={[
            { header: 'Name', cell: (ca) => ca.name ?? ca.id },
            { header: 'Type', cell: (ca) => (ca.type ? (TYPE_LABEL[ca.type] ?? ca.type) : '—') },
            { header: 'Issuer', className: 'wrap small', cell: (ca) => ca.issuer ?? '—' },
            { header: 'Expires', cell: (ca) => <Expiry iso={ca.expiresOn} soonDays={soonDays} /> },
          ]}
          rows={cas}
          actions={(ca) => (
            <>
              <button
                type="button"
                aria-label={`Associations of ${ca.name ?? ca.id}`}
                onClick={() => setDialog({ kind: 'associations', ca })}
              >
                Associations
              </button>
              <button
                type="button"
                className="danger"
                aria-label={`Delete ${ca.name ?? ca.id}`}
                onClick={() => setDialog({ kind: 'delete', ca })}
              >
                Delete
              </button>
            </>
          )}
        />
      </ListBody>
      {dialog?.kind === 'upload' ? <UploadCaDialog account={account} accountName={accountName} onClose={() => setDialog(null)} /> : null}
      {dialog?.kind === 'associations' ? <AssociationsDialog account={account} ca={dialog.ca} onClose={() => setDialog(null)} /> : null}
      {dialog?.kind === 'delete' ? <DeleteCaDialog account={account} ca={dialog.ca} onClose={() => setDialog(null)} /> : null}
    </Panel>
  )
}

/** Upload behind a lint gate (profile cloudflare-upload): errors block the upload, warnings are shown and the user decides. */
function UploadCaDialog({ account, accountName, onClose }: { account: AccountScope; accountName: string; onClose: () => void }) {
  const lint = useAppStore((s) => s.lintForUpload)
  const upload = useAppStore((s) => s.uploadMtlsCa)
  const [name, setName] = useState('')
  const [chain, setChain] = useState<PemValue | null>(null)
  const nameId = useId()
  return (
    <LintGatedDialog
      title={`Upload a CA to ${accountName}`}
      value={chain}
      lint={(input) => lint(input)}
      send={(pem) => upload(account, name, pem)}
      onClose={onClose}
      ready
      verb={{ base: 'Upload', running: 'Uploading…', submit: 'Check and upload' }}
      notice={{
        refused: (errs) =>
          `Not uploaded: ${chain?.source ?? 'it'} fails ${errs.length} check${errs.length === 1 ? '' : 's'} ` +
          'Cloudflare would refuse or clients would reject.',
        fix: 'Fix the certificate (each finding says how), then choose it again.',
        acceptedBy: 'Cloudflare',
        proceed: 'upload',
        reportTitle: 'Lint report',
      }}
    >
      {() => (
        <>
          <label className="field" htmlFor={nameId}>
            Name (optional)
          </label>
          <input id={nameId} value={name} onChange={(e) => setName(e.target.value)} placeholder="Corporate root" autoComplete="off" />
          <PemInput label="CA certificate or chain (root first)" value={chain} onChange={setChain} />
        </>
      )}
    </LintGatedDialog>
  )
}

function AssociationsDialog({ account, ca, onClose }: { account: AccountScope; ca: MtlsCertificateSummary; onClose: () => void }) {
  const fetchAssociations = useAppStore((s) => s.mtlsAssociations)
  const [result, setResult] = useState<MtlsAssociation[] | Failure | null>(null)
  useEffect(() => {
    let live = true
    void fetchAssociations(account, ca.id).then((r) => live && setResult(r.ok ? r.value : r.error))
    return () => {
      live = false
    }
  }, [fetchAssociations, account, ca.id])
  return (
    <Dialog open title={`Where ${ca.name ?? ca.id} is used`} onClose={onClose} actions={<CloseButton onClose={onClose} />}>
      {result === null ? (
        <p className="muted" role="status">
          Loading…
        </p>
      ) : Array.isArray(result) ? (
        result.length === 0 ? (
          <p>Not used by any service: it can be deleted.</p>
        ) : (
          <ul aria-label="Associations">
            {result.map((a) => (
              <li key={`${a.service}-${a.status}`}>
                {a.service} <span className="badge neutral">{a.status}</span>
              </li>
            ))}
          </ul>
        )
      ) : (
        <ErrorBox error={result} />
      )}
    </Dialog>
  )
}

function DeleteCaDialog({ account, ca, onClose }: { account: AccountScope; ca: MtlsCertificateSummary; onClose: () => void }) {
  const remove = useAppStore((s) => s.deleteMtlsCa)
  const [error, setError] = useState<Failure | null>(null)
  const name = ca.name ?? ca.id
  return (
    <ActionDialog
      title={`Delete ${name}?`}
      confirmLabel="Delete CA"
      runningLabel="Deleting…"
      danger
      confirmDisabled={error !== null}
      run={async () => {
        const result = await remove(account, ca)
        if (!result.ok) setError(result.error)
        return result.ok
      }}
      onClose={onClose}
    >
      <p>
        The CA <strong>{name}</strong> is removed from the account. Cloudflare refuses while a service still uses it.
      </p>
      {error ? <ErrorBox error={error} /> : null}
    </ActionDialog>
  )
}
