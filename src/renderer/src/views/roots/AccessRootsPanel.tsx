import { useEffect, useId, useMemo, useState } from 'react'
import type { AccessCertificateSummary, AccessScope } from '../../../../shared/cloudflare-model'
import type { Profile } from '../../../../shared/model'
import { EmptyState } from '../../components/EmptyState'
import { ListBody } from '../../components/ListBody'
import { Panel } from '../../components/Panel'
import { DataTable } from '../../components/DataTable'
import { Expiry } from '../../components/Expiry'
import { useAppStore } from '../../store'
import { scopeId } from '../../store/scope'
import { AccessSettingsDialog, AddAccessRootDialog, DeleteAccessRootDialog, EditAccessHostnamesDialog } from './AccessDialogs'
import { WriteButton } from '../../components/WriteButton'
import { useMissingPermission } from '../../components/usePermission'

const scopeValue = (scope: AccessScope) => (scope.kind === 'account' ? `account:${scope.accountId}` : `zone:${scope.zoneId}`)

/** Access mTLS roots: the CAs Access checks client certificates against, per account or per zone. */
export function AccessRootsPanel({ profile, accountId }: { profile: Profile; accountId: string }) {
  const { items: roots, scope: shownScope, loading, error } = useAppStore((s) => s.accessRoots)
  const load = useAppStore((s) => s.loadAccessRoots)
  const soonDays = useAppStore((s) => s.settings?.expiringSoonDays ?? 30)
  const [scopeText, setScopeText] = useState(`account:${accountId}`)
  const [dialog, setDialog] = useState<
    { kind: 'add' | 'settings' } | { kind: 'hostnames' | 'delete'; root: AccessCertificateSummary } | null
  >(null)
  const scopeField = useId()
  const scope: AccessScope = useMemo(() => {
    const [kind, id = ''] = scopeText.split(':') as [string, string]
    return kind === 'zone' ? { kind: 'zone', zoneId: id } : { kind: 'account', accountId: id }
  }, [scopeText])
  const scopeName =
    scope.kind === 'account'
      ? (profile.accounts.find((a) => a.id === scope.accountId)?.name ?? 'this account')
      : (profile.zones.find((z) => z.id === scope.zoneId)?.name ?? 'this zone')
  const shown = shownScope === scopeId.access(profile.id, scope) ? roots : []
  const needsWrite = useMissingPermission('accessRoots', scopeName)

  useEffect(() => {
    void load(profile.id, scope)
  }, [load, profile.id, scope])

  const empty = (
    <EmptyState
      title={`No Access roots on ${scopeName}`}
      action={
        <button type="button" onClick={() => setDialog({ kind: 'add' })}>
          Add a root
        </button>
      }
    >
      Add the CA that issued your devices' certificates, then associate the hostnames Access should protect with it.
    </EmptyState>
  )

  return (
    <Panel
      titleId="access-title"
      title="Access mTLS roots"
      actions={
        <>
          <div className="field inline">
            <label htmlFor={scopeField}>Scope</label>
            <select id={scopeField} value={scopeValue(scope)} onChange={(e) => setScopeText(e.target.value)}>
              {profile.accounts.map((a) => (
                <option key={a.id} value={`account:${a.id}`}>
                  Account {a.name}
                </option>
              ))}
              {profile.zones.map((z) => (
                <option key={z.id} value={`zone:${z.id}`}>
                  Zone {z.name}
                </option>
              ))}
            </select>
          </div>
          <button type="button" onClick={() => setDialog({ kind: 'settings' })}>
            Hostname settings
          </button>
          <WriteButton missing={needsWrite} className="primary" onClick={() => setDialog({ kind: 'add' })}>
            Add root
          </WriteButton>
        </>
      }
    >
      <p className="muted">Cloudflare Access accepts client certificates issued by these CAs on the associated hostnames.</p>
      <ListBody error={error} loading={loading} count={shown.length} onRetry={() => void load(profile.id, scope)} empty={empty}>
        <DataTable
          label={`Access mTLS roots on ${scopeName}`}
          busy={loading}
          columns={[
            { header: 'Name', cell: (root) => root.name },
            {
              header: 'Fingerprint (MD5)',
              cell: (root) => <code className="small">{root.fingerprint?.replace(/^MD5 Fingerprint=/, '') ?? '—'}</code>,
            },
            { header: 'Expires', cell: (root) => <Expiry iso={root.expiresOn} soonDays={soonDays} /> },
            {
              header: 'Hostnames',
              className: 'wrap',
              cell: (root) => (root.associatedHostnames.length ? root.associatedHostnames.join(', ') : <span className="muted">none</span>),
            },
          ]}
          rows={shown}
          actions={(root) => (
            <>
              <button type="button" aria-label={`Edit hostnames of ${root.name}`} onClick={() => setDialog({ kind: 'hostnames', root })}>
                Hostnames
              </button>
              <button
                type="button"
                className="danger"
                aria-label={`Delete ${root.name}`}
                onClick={() => setDialog({ kind: 'delete', root })}
              >
                Delete
              </button>
            </>
          )}
        />
      </ListBody>
      {dialog?.kind === 'add' ? (
        <AddAccessRootDialog profileId={profile.id} scope={scope} scopeName={scopeName} onClose={() => setDialog(null)} />
      ) : null}
      {dialog?.kind === 'settings' ? (
        <AccessSettingsDialog profileId={profile.id} scope={scope} scopeName={scopeName} onClose={() => setDialog(null)} />
      ) : null}
      {dialog?.kind === 'hostnames' ? (
        <EditAccessHostnamesDialog profileId={profile.id} scope={scope} root={dialog.root} onClose={() => setDialog(null)} />
      ) : null}
      {dialog?.kind === 'delete' ? (
        <DeleteAccessRootDialog profileId={profile.id} scope={scope} root={dialog.root} onClose={() => setDialog(null)} />
      ) : null}
    </Panel>
  )
}
