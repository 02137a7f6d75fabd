import { useEffect, useMemo, useState } from 'react'
import { OUTCOME_WORDS } from '../../../../shared/activity'
import type { ClientCertificateSummary } from '../../../../shared/cloudflare-model'
import type { ActivityRow } from '../../../../shared/model'
import type { CertificateCheck } from '../../../../shared/lint-model'
import type { Result } from '../../../../shared/errors'
import { CertificateDetailsView } from '../../components/certificate/CertificateDetailsView'
import { CertificateDownloads } from '../../components/certificate/CertificateDownloads'
import { LintReportView } from '../../components/certificate/LintReportView'
import { Drawer } from '../../components/Drawer'
import { ErrorBox } from '../../components/ErrorBox'
import { STATUS_BADGE, STATUS_LABEL, dateTimeText, expiryBadge } from '../../lib/format'
import { useAppStore } from '../../store'
import { KeyExports } from '../../components/certificate/KeyExports'
import { useMissingPermission } from '../../components/usePermission'
import { useZone } from '../../components/useScope'
import { RevocationCheck } from './RevokeDialogs'

/** One certificate: Cloudflare's facts, its status, and the certificate decoded and linted as a client certificate. */
export function CertificateDrawer({
  cert,
  onClose,
  onRevoke,
  onReactivate,
}: {
  cert: ClientCertificateSummary
  onClose: () => void
  onRevoke: (cert: ClientCertificateSummary) => void
  onReactivate: (cert: ClientCertificateSummary) => void
}) {
  const lint = useAppStore((s) => s.lintClientCert)
  const soonDays = useAppStore((s) => s.settings?.expiringSoonDays ?? 30)
  const [check, setCheck] = useState<{ for: string; result: Result<CertificateCheck> } | null>(null)
  const pem = cert.certificate

  useEffect(() => {
    if (!pem) return
    let live = true
    void lint(pem).then((result) => live && setCheck({ for: pem, result }))
    return () => {
      live = false
    }
  }, [lint, pem])

  // This computer's changes to the certificate, and the vault key it was issued for (if made here).
  const activityFor = useAppStore((s) => s.activityFor)
  const loadKeys = useAppStore((s) => s.loadKeys)
  const linkedKey = useAppStore((s) => s.vaultKeys.find((k) => k.certificate?.cloudflareId === cert.id))
  const [history, setHistory] = useState<{ for: string; entries: ActivityRow[] } | null>(null)
  useEffect(() => {
    let live = true
    void loadKeys()
    // History is a nicety here: when it cannot be read, the view says there is none.
    void activityFor(cert.id).then((result) => live && setHistory({ for: cert.id, entries: result.ok ? result.value : [] }))
    return () => {
      live = false
    }
  }, [activityFor, loadKeys, cert.id, cert.status])

  const current = check && check.for === pem ? check.result : null
  const badge = cert.status === 'revoked' ? null : expiryBadge(cert.expiresOn, soonDays)
  const { profile, zone } = useZone()
  const needsWrite = useMissingPermission('zoneCertificates', zone?.name)
  const zoneScope = useMemo(() => (profile && zone ? { profileId: profile.id, zoneId: zone.id } : null), [profile, zone])
  const revoking = cert.status === 'pending_revocation' || cert.status === 'revoked'
  const canRevoke = (cert.status === 'active' || cert.status === 'pending_reactivation') && needsWrite === null
  const canReactivate = cert.status === 'pending_revocation'

  return (
    <Drawer
      title={cert.commonName || '(no common name)'}
      onClose={onClose}
      actions={
        <>
          <span className={`badge ${STATUS_BADGE[cert.status] ?? 'neutral'}`}>{STATUS_LABEL[cert.status]}</span>
          {badge ? <span className={`badge ${badge.kind}`}>{badge.text}</span> : null}
          <span className="spacer" />
          {canReactivate ? (
            <button type="button" disabled={needsWrite !== null} title={needsWrite ?? undefined} onClick={() => onReactivate(cert)}>
              Reactivate
            </button>
          ) : null}
          <button type="button" className="danger" disabled={!canRevoke} title={needsWrite ?? undefined} onClick={() => onRevoke(cert)}>
            Revoke
          </button>
          {needsWrite ? <span className="needs-permission">{needsWrite}</span> : null}
        </>
      }
    >
      {cert.status === 'revoked' ? (
        <p className="revoked-note" role="note">
          Revoked for good, so there is no Reactivate: Cloudflare reactivates a certificate only while it is still pending revocation. To
          let this device or app connect again, issue a new certificate (Create) and install it in place of this one.
        </p>
      ) : null}
      {revoking && zoneScope && zone ? <RevocationCheck zone={zoneScope} zoneName={zone.name} cert={cert} keyId={linkedKey?.id} /> : null}
      <dl className="facts">
        <dt>Status</dt>
        <dd>{STATUS_LABEL[cert.status]}</dd>
        <dt>Issued</dt>
        <dd>{dateTimeText(cert.issuedOn)}</dd>
        <dt>Expires</dt>
        <dd>{dateTimeText(cert.expiresOn)}</dd>
        <dt>Organisation</dt>
        <dd>{[cert.organization, cert.organizationalUnit, cert.location, cert.state, cert.country].filter(Boolean).join(', ') || '—'}</dd>
        <dt>CA</dt>
        <dd>{cert.certificateAuthority?.name ?? '—'}</dd>
        <dt>Serial</dt>
        <dd>
          <code>{cert.serialNumber ?? '—'}</code>
        </dd>
        <dt>SHA-256</dt>
        <dd className="break">
          <code>{cert.fingerprintSha256 ?? '—'}</code>
        </dd>
        <dt>SKI</dt>
        <dd className="break">
          <code>{cert.ski ?? '—'}</code>
        </dd>
        <dt>Cloudflare id</dt>
        <dd>
          <code>{cert.id}</code>
        </dd>
      </dl>
      <h3>History on this computer</h3>
      {history && history.for === cert.id && history.entries.length ? (
        <ol className="history" aria-label="Status history">
          {history.entries.map((e) => (
            <li key={`${e.at}-${e.action}`}>
              <time dateTime={e.at}>{dateTimeText(e.at)}</time> {e.words} by {e.actor}
              {e.outcome === 'ok' ? null : <span className={`badge ${e.outcome === 'failed' ? 'bad' : 'warn'}`}>{historyOutcome(e)}</span>}
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted">No changes made from this computer. Cloudflare keeps no status history of its own.</p>
      )}
      <h3>Certificate file</h3>
      {pem ? (
        <CertificateDownloads pem={pem} name={cert.commonName || cert.id} />
      ) : (
        <p className="muted">Cloudflare sent no certificate body for this one, so there is nothing to save.</p>
      )}
      <h3>Private key</h3>
      {linkedKey ? (
        <>
          <p>
            Issued for the key <strong>{linkedKey.label}</strong> ({linkedKey.keyType}), kept encrypted in this computer’s vault since{' '}
            {dateTimeText(linkedKey.createdAt)}.
          </p>
          <KeyExports keyEntry={linkedKey} certificate={false} />
        </>
      ) : (
        <p className="muted">Its private key is not in this computer’s vault (it was created elsewhere, or from your own CSR).</p>
      )}
      <h3>Lint report</h3>
      {!pem ? (
        <p className="muted">Cloudflare sent no certificate body for this one, so it cannot be decoded here.</p>
      ) : current && !current.ok ? (
        <ErrorBox error={current.error} />
      ) : current?.ok ? (
        <>
          {current.value.reports[0] ? <LintReportView report={current.value.reports[0]} title="Lint report (client profile)" /> : null}
          {current.value.certificates[0] ? (
            <>
              <h3>Decoded fields and extensions</h3>
              <CertificateDetailsView details={current.value.certificates[0]} />
            </>
          ) : null}
        </>
      ) : (
        <p className="muted" role="status">
          Decoding and linting…
        </p>
      )}
    </Drawer>
  )
}

/** A bulk job's entry says what became of this certificate (not sent, unknown); other failures say failed. */
function historyOutcome(e: ActivityRow): string {
  const outcome = e.detail?.outcome
  if (outcome === 'not_sent') return 'not sent (cancelled)'
  if (outcome === 'unknown') return 'outcome unknown (cancelled)'
  return OUTCOME_WORDS[e.outcome].toLowerCase()
}
