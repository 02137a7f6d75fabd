import { useEffect, useState } from 'react'
import type { Failure } from '../../../../shared/errors'
import type { OriginCaCertificate, OriginCaValidity } from '../../../../shared/origin-model'
import type { KeyType } from '../../../../shared/pki-model'
import { InlineChoice } from '../../components/ChoiceSelect'
import { ActionDialog, CloseButton, Dialog } from '../../components/Dialog'
import { DataTable } from '../../components/DataTable'
import { EmptyState } from '../../components/EmptyState'
import { ErrorBox } from '../../components/ErrorBox'
import { HostnameListField } from '../../components/Field'
import { CertificateDownloads } from '../../components/certificate/CertificateDownloads'
import { PemBlock } from '../../components/certificate/KeyExports'
import { useMissingPermission } from '../../components/usePermission'
import { WriteButton } from '../../components/WriteButton'
import { dateText, daysUntil, parseHostnames, shortId } from '../../lib/format'
import { useAppFields, useAppStore } from '../../store'
import type { OriginCaCreated } from '../../store/origin'
import type { ZoneScope } from '../../store/scope'
import { SnippetBlock } from './SnippetBlock'

const TYPE_WORDS: Record<string, string> = { 'origin-rsa': 'RSA', 'origin-ecc': 'ECDSA', 'keyless-certificate': 'Keyless' }
const KEY_CHOICES: ReadonlyArray<{ value: KeyType; label: string }> = [
  { value: 'rsa-2048', label: 'RSA 2048' },
  { value: 'ec-p256', label: 'ECDSA P-256' },
]
/**
 * The validities Cloudflare's Origin CA accepts (ORIGIN_CA_VALIDITY_DAYS; the renderer imports model types only): keyed
 * by the OriginCaValidity type, so the compiler refuses a missing or unknown one.
 */
const VALIDITY_LABELS = {
  7: '7 days',
  30: '30 days',
  90: '90 days',
  365: '1 year',
  730: '2 years',
  1095: '3 years',
  5475: '15 years',
} satisfies Record<OriginCaValidity, string>
const VALIDITY_CHOICES = Object.entries(VALIDITY_LABELS).map(([days, label]) => ({ value: Number(days) as OriginCaValidity, label }))

/** The expiry with how many days are left, always: an Origin CA certificate never renews itself. */
function DaysLeft({ iso, soonDays }: { iso: string | undefined; soonDays: number }) {
  const days = daysUntil(iso)
  if (days === null) return <>—</>
  const kind = days < 0 ? 'bad' : days <= soonDays ? 'warn' : 'neutral'
  const text = days < 0 ? 'expired' : days === 0 ? 'expires today' : `expires in ${days} day${days === 1 ? '' : 's'}`
  return (
    <>
      {dateText(iso)} <span className={`badge ${kind}`}>{text}</span>
    </>
  )
}

const certName = (c: OriginCaCertificate) => `Origin CA certificate ${shortId(c.id)}`

/** Origin CA certificates of a zone: server certificates for the origin signed by Cloudflare's Origin CA. */
export function OriginCaTab({ zone, zoneName }: { zone: ZoneScope; zoneName: string }) {
  const { items, loading, error } = useAppStore((s) => s.originCerts)
  const {
    loadOriginCerts: load,
    saveCertificate,
    saveOriginCaRoot,
  } = useAppFields('loadOriginCerts', 'saveCertificate', 'saveOriginCaRoot')
  const soonDays = useAppStore((s) => s.settings?.expiringSoonDays ?? 30)
  const missing = useMissingPermission('zoneCertificates', zoneName)
  const [creating, setCreating] = useState(false)
  const [revoking, setRevoking] = useState<OriginCaCertificate | null>(null)
  useEffect(() => {
    void load(zone)
  }, [load, zone])
  return (
    <section className="panel" aria-labelledby="origin-ca-title">
      <div className="panel-header">
        <h2 id="origin-ca-title">Origin CA certificates on {zoneName}</h2>
        <div className="header-actions">
          <button type="button" disabled={loading} onClick={() => void load(zone)}>
            Refresh
          </button>
          <button type="button" onClick={() => void saveOriginCaRoot(zone.profileId)}>
            Save Origin CA root
          </button>
          <WriteButton missing={missing} note={false} className="primary" onClick={() => setCreating(true)}>
            Create certificate
          </WriteButton>
        </div>
      </div>
      <p className="muted">
        Server certificates for your origin, signed by Cloudflare’s Origin CA: trusted by Cloudflare in Full (strict) mode, never by
        browsers. The key stays on this computer. They do not renew themselves: an expired one makes Cloudflare answer 526.
      </p>
      {error ? <ErrorBox error={error} onRetry={() => void load(zone)} /> : null}
      {!error && !loading && items.length === 0 ? (
        <EmptyState title="No Origin CA certificates">Create one from a new vault key with Create certificate.</EmptyState>
      ) : (
        <DataTable
          label={`Origin CA certificates on ${zoneName}`}
          className="compact"
          busy={loading}
          columns={[
            { header: 'Hostnames', rowHeader: true, className: 'wrap-words', cell: (c) => c.hostnames.join(', ') },
            { header: 'Type', cell: (c) => TYPE_WORDS[c.requestType ?? ''] ?? c.requestType ?? '—' },
            { header: 'Expires', cell: (c) => <DaysLeft iso={c.expiresOn} soonDays={soonDays} /> },
          ]}
          rows={items}
          actions={(c) => (
            <>
              <button
                type="button"
                aria-label={`Save ${certName(c)}`}
                disabled={!c.certificate}
                onClick={() => void saveCertificate(c.certificate!, 'certificate-pem', `origin-${shortId(c.id)}`)}
              >
                Save
              </button>
              <WriteButton missing={missing} note={false} className="danger" onClick={() => setRevoking(c)}>
                <span aria-label={`Revoke ${certName(c)}`}>Revoke</span>
              </WriteButton>
            </>
          )}
        />
      )}
      {creating ? <CreateOriginDialog zone={zone} zoneName={zoneName} onClose={() => setCreating(false)} /> : null}
      {revoking ? <RevokeDialog zone={zone} cert={revoking} onClose={() => setRevoking(null)} /> : null}
    </section>
  )
}

/** Create: a new vault key, its CSR with the hostnames as SANs, signed by the Origin CA; then the result to install. */
export function CreateOriginDialog({ zone, zoneName, onClose }: { zone: ZoneScope; zoneName: string; onClose: () => void }) {
  const { startJob, createOriginCert } = useAppFields('startJob', 'createOriginCert')
  const initialHostnames = `${zoneName}\n*.${zoneName}`
  const [list, setList] = useState(() => parseHostnames(initialHostnames))
  const [keyType, setKeyType] = useState<KeyType>('ec-p256')
  const [validity, setValidity] = useState<OriginCaValidity>(5475)
  const [error, setError] = useState<Failure | null>(null)
  const [created, setCreated] = useState<OriginCaCreated | null>(null)
  const create = async () => {
    setError(null)
    const result = await createOriginCert(zone, { hostnames: list, keyType, validityDays: validity }, startJob('Creating the certificate'))
    if (result.ok) setCreated(result.value)
    else setError(result.error)
  }
  if (created) {
    const cert = created.certificate
    return (
      <Dialog
        title={`Origin CA certificate for ${cert.hostnames.join(', ')}`}
        open
        wide
        onClose={onClose}
        actions={<CloseButton onClose={onClose} done />}
      >
        <p role="status">
          Created <code>{cert.id}</code>, valid until {dateText(cert.expiresOn)}. Its key is the vault key “{created.key.label}”: export it
          from Keys to install it with the certificate.
        </p>
        {cert.certificate ? <PemBlock label="Certificate (PEM)" pem={cert.certificate} copyLabel="Copy certificate" /> : null}
        <CertificateDownloads pem={cert.certificate} name={`origin-${shortId(cert.id)}`} />
        <SnippetBlock paths={{ hostname: cert.hostnames[0] ?? zoneName }} />
      </Dialog>
    )
  }
  return (
    <ActionDialog
      title={`Create an Origin CA certificate for ${zoneName}`}
      confirmLabel="Create certificate"
      runningLabel="Creating…"
      confirmDisabled={list.length === 0}
      run={async () => {
        await create()
        return false
      }}
      onClose={onClose}
    >
      <p>
        Certdesk makes a key in its vault and sends Cloudflare only its certificate signing request, with the hostnames below. The key never
        leaves this computer.
      </p>
      <HostnameListField
        label="Hostnames (of this zone, wildcards allowed; one per line)"
        rows={3}
        initial={initialHostnames}
        onHostnames={setList}
      />
      <InlineChoice label="Key type" value={keyType} choices={KEY_CHOICES} onChange={setKeyType} />
      <InlineChoice label="Validity" value={validity} choices={VALIDITY_CHOICES} onChange={setValidity} />
      {error ? <ErrorBox error={error} /> : null}
    </ActionDialog>
  )
}

function RevokeDialog({ zone, cert, onClose }: { zone: ZoneScope; cert: OriginCaCertificate; onClose: () => void }) {
  const revoke = useAppStore((s) => s.revokeOriginCert)
  return (
    <ActionDialog
      title={`Revoke ${certName(cert)}?`}
      confirmLabel="Revoke certificate"
      runningLabel="Revoking…"
      danger
      run={async () => (await revoke(zone, cert.id)).ok}
      onClose={onClose}
    >
      <p>
        Cloudflare stops trusting it for {cert.hostnames.join(', ')}: an origin that still serves it gets Cloudflare’s 526 error in Full
        (strict) mode. Install another certificate first. This cannot be undone.
      </p>
    </ActionDialog>
  )
}
