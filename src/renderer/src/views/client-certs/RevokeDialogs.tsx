import { useEffect, useState } from 'react'
import type { BulkRevokeResult, ClientCertificateSummary } from '../../../../shared/cloudflare-model'
import type { ProbeResult } from '../../../../shared/probe-model'
import { ConfirmDialog, Dialog } from '../../components/Dialog'
import { ErrorBox } from '../../components/ErrorBox'
import { JobProgress } from '../../components/JobProgress'
import { useAppStore } from '../../store'
import type { ZoneDoctorReport } from '../../store/enforcement'
import type { ZoneScope } from '../../store/scope'
import { ProbeResultView, enforceTargetOf, useEnforce } from './EnforcementTab'

/** Revoke or reactivate one certificate, after a confirmation that names it. */
export function ConfirmStatusChange({
  zone,
  zoneName,
  cert,
  action,
  onClose,
}: {
  zone: ZoneScope
  zoneName: string
  cert: ClientCertificateSummary
  action: 'revoke' | 'reactivate'
  /** `done`: the change succeeded (after a revoke, the drawer shows whether it will block). */
  onClose: (done?: boolean) => void
}) {
  const revoke = useAppStore((s) => s.revokeCert)
  const reactivate = useAppStore((s) => s.reactivateCert)
  const [busy, setBusy] = useState(false)
  const run = async () => {
    setBusy(true)
    const result = await (action === 'revoke' ? revoke(zone, cert) : reactivate(zone, cert))
    setBusy(false)
    onClose(result.ok)
  }
  return (
    <ConfirmDialog
      open
      title={action === 'revoke' ? `Revoke ${cert.commonName}?` : `Reactivate ${cert.commonName}?`}
      confirmLabel={
        busy ? (action === 'revoke' ? 'Revoking…' : 'Reactivating…') : action === 'revoke' ? 'Revoke certificate' : 'Reactivate certificate'
      }
      danger={action === 'revoke'}
      busy={busy}
      onConfirm={() => void run()}
      onCancel={() => onClose(false)}
    >
      {action === 'revoke' ? (
        <p>
          <strong>{cert.commonName}</strong> (serial <code>{cert.serialNumber ?? cert.id}</code>) on {zoneName} will stop being accepted
          once Cloudflare's network has the revocation. It stays listed as <em>pending revocation</em>, and can be reactivated until then.
        </p>
      ) : (
        <p>
          <strong>{cert.commonName}</strong> (serial <code>{cert.serialNumber ?? cert.id}</code>) on {zoneName} is pending revocation.
          Reactivating cancels the revocation.
        </p>
      )}
    </ConfirmDialog>
  )
}

/** Revoke many: confirm (naming how many and a few of them), then progress with cancel, then the outcome. */
export function BulkRevokeDialog({
  zone,
  zoneName,
  certs,
  skipped,
  onClose,
}: {
  zone: ZoneScope
  zoneName: string
  certs: ClientCertificateSummary[]
  /** Selected but not revocable (already revoked or pending revocation). */
  skipped: number
  onClose: (changed: boolean) => void
}) {
  const startJob = useAppStore((s) => s.startJob)
  const bulkRevoke = useAppStore((s) => s.bulkRevoke)
  const [jobId, setJobId] = useState<string | null>(null)
  const [result, setResult] = useState<BulkRevokeResult | null>(null)
  const [failedAsWhole, setFailedAsWhole] = useState(false)
  const running = jobId !== null && !result && !failedAsWhole
  const names = certs.slice(0, 5).map((c) => c.commonName)

  const run = async () => {
    const id = startJob(`Revoking ${certs.length} certificate${certs.length === 1 ? '' : 's'}`)
    setJobId(id)
    const outcome = await bulkRevoke(
      zone,
      certs.map((c) => c.id),
      id,
    )
    if (outcome.ok) setResult(outcome.value)
    else setFailedAsWhole(true)
  }

  const title = result || failedAsWhole ? 'Bulk revocation finished' : `Revoke ${certs.length} certificate${certs.length === 1 ? '' : 's'}?`
  return (
    <Dialog
      open
      wide
      title={title}
      onClose={() => {
        if (!running) onClose(jobId !== null)
      }}
      actions={
        result || failedAsWhole ? (
          <button type="button" className="primary" onClick={() => onClose(true)}>
            Close
          </button>
        ) : running ? null : (
          <>
            <button type="button" onClick={() => onClose(false)}>
              Cancel
            </button>
            <button type="button" className="danger" disabled={certs.length === 0} onClick={() => void run()}>
              Revoke {certs.length} certificate{certs.length === 1 ? '' : 's'}
            </button>
          </>
        )
      }
    >
      {!jobId ? (
        <>
          <p>
            These certificates on {zoneName} will be revoked: <strong>{names.join(', ')}</strong>
            {certs.length > names.length ? ` and ${certs.length - names.length} more` : ''}. Each stays listed as pending revocation until
            Cloudflare's network has it.
          </p>
          {skipped ? (
            <p className="muted">
              {skipped} selected certificate{skipped === 1 ? ' is' : 's are'} already revoked or pending revocation and{' '}
              {skipped === 1 ? 'is' : 'are'} left as {skipped === 1 ? 'it is' : 'they are'}.
            </p>
          ) : null}
        </>
      ) : null}
      {running ? (
        <>
          <JobProgress jobId={jobId} />
          <p className="muted small">
            Requests are paced to stay within Cloudflare's rate limit; if Cloudflare asks Certdesk to slow down, it waits and retries.
          </p>
        </>
      ) : null}
      {result ? (
        <div role="status" className="bulk-result">
          <p>
            <strong>
              Revoked {result.succeeded.length} of {certs.length}
            </strong>
            {result.cancelled ? ` — cancelled. ${cancelText(result)}` : '.'}
            {result.retries
              ? ` Cloudflare asked to slow down; ${result.retries} request${result.retries === 1 ? ' was' : 's were'} repeated.`
              : ''}
          </p>
          {unknown(result).length ? (
            <>
              <p className="warning">Cloudflare could not be asked afterwards whether these were revoked; the list shows what it has:</p>
              <ul className="failures">
                {unknown(result)
                  .slice(0, 20)
                  .map((i) => (
                    <li key={i.id}>
                      <code>{i.commonName || certs.find((c) => c.id === i.id)?.commonName || i.id}</code>
                    </li>
                  ))}
              </ul>
            </>
          ) : null}
          {result.failed.length ? (
            <>
              <p className="warning">{result.failed.length} could not be revoked:</p>
              <ul className="failures">
                {result.failed.slice(0, 20).map((f) => (
                  <li key={f.id}>
                    <code>{certs.find((c) => c.id === f.id)?.commonName ?? f.id}</code>: {f.message}
                    {f.hint ? <span className="muted"> {f.hint}</span> : null}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}
      {failedAsWhole ? <p role="status">The revocation did not run; see the message in the corner. Nothing else changed.</p> : null}
    </Dialog>
  )
}

const unknown = (result: BulkRevokeResult) => result.items.filter((i) => i.outcome === 'unknown')

/** After a cancel: how many were never revoked and how many are unknown, in words. */
function cancelText(result: BulkRevokeResult): string {
  const notSent = result.items.filter((i) => i.outcome === 'not_sent').length
  const unsure = unknown(result).length
  const parts = [`${notSent} ${notSent === 1 ? 'was' : 'were'} not revoked`]
  if (unsure) parts.push(`${unsure} ${unsure === 1 ? 'is' : 'are'} unknown (the request was on its way when you cancelled)`)
  return `${parts.join('; ')}. The list is refreshed from Cloudflare when you close this.`
}

/**
 * After Revoke: whether the revocation will actually block this certificate on each hostname of the zone's managed CA
 * (the doctor: a rule that checks only cert_verified lets a revoked certificate through), Enforce when it will not, and
 * Test access with this certificate once Cloudflare has revoked it and its key is in the vault.
 */
export function RevocationCheck({
  zone,
  zoneName,
  cert,
  keyId,
}: {
  zone: ZoneScope
  zoneName: string
  cert: ClientCertificateSummary
  /** The vault key the certificate was issued for, when it is in this computer's vault. */
  keyId?: string | undefined
}) {
  const doctorZone = useAppStore((s) => s.doctorZone)
  const testAccess = useAppStore((s) => s.testAccess)
  const [report, setReport] = useState<ZoneDoctorReport | null>(null)
  const [failure, setFailure] = useState<{ message: string; hint?: string } | null>(null)
  const [checks, setChecks] = useState(0)
  const enforce = useEnforce(zone, zoneName, () => setChecks((n) => n + 1))
  const [probes, setProbes] = useState<Record<string, ProbeResult | { message: string; hint?: string } | 'running'>>({})
  useEffect(() => {
    let live = true
    void doctorZone(zone).then((result) => {
      if (!live) return
      if (result.ok) setReport(result.value.report)
      else setFailure(result.error)
    })
    return () => {
      live = false
    }
  }, [doctorZone, zone, checks])

  // The certificate is the managed CA's: the hostnames that ask the managed CA are the ones it opens.
  const hostnames = (report?.hostnames ?? []).filter((h) => h.ca === undefined)
  const probe = async (hostname: string) => {
    setProbes((p) => ({ ...p, [hostname]: 'running' }))
    const result = await testAccess({ profileId: zone.profileId, url: `https://${hostname}/`, keyId: keyId!, expect: 'blocked' })
    setProbes((p) => ({ ...p, [hostname]: result.ok ? result.value : result.error }))
  }
  return (
    <section className="revocation-check" aria-labelledby="revocation-check-title">
      <h3 id="revocation-check-title">Does the revocation block it?</h3>
      {failure ? <ErrorBox error={failure} onRetry={() => setChecks((n) => n + 1)} /> : null}
      {!report && !failure ? (
        <p className="muted" role="status">
          Checking the custom rules of {zoneName}…
        </p>
      ) : null}
      {report && hostnames.length === 0 ? (
        <p className="muted">No hostname of {zoneName} asks for a certificate of its managed CA, so Cloudflare checks this one nowhere.</p>
      ) : null}
      <ul className="findings" aria-label="Revocation per hostname">
        {hostnames.map((h) => {
          const finding = report?.findings.find((f) => f.hostname === h.hostname && enforceTargetOf(f) !== null)
          const target = finding ? enforceTargetOf(finding) : null
          const probed = probes[h.hostname]
          return (
            <li key={h.hostname} className={`finding ${h.blocksRevoked ? '' : 'error'}`}>
              <div className="finding-head">
                <strong>{h.hostname}</strong>
                {h.blocksRevoked ? <span className="badge ok">blocked</span> : <span className="badge bad">not blocked</span>}
                <span className="spacer" />
                {enforce.button(target)}
                {cert.status === 'revoked' && keyId ? (
                  <button type="button" disabled={probed === 'running'} onClick={() => void probe(h.hostname)}>
                    {probed === 'running' ? 'Testing…' : 'Test access'}
                  </button>
                ) : null}
              </div>
              <p>
                {h.blocksRevoked
                  ? `Rule "${h.blockingRule ?? 'a custom rule'}" blocks a revoked certificate on ${h.hostname}.`
                  : (finding?.risk ?? `A revoked certificate still reaches ${h.hostname}.`)}
              </p>
              {probed && probed !== 'running' ? (
                'attempts' in probed ? (
                  <ProbeResultView result={probed} />
                ) : (
                  <ErrorBox error={probed} />
                )
              ) : null}
            </li>
          )
        })}
      </ul>
      {cert.status !== 'revoked' && keyId ? (
        <p className="muted small">Test access is offered once Cloudflare has revoked it (it is pending revocation now).</p>
      ) : null}
      {cert.status === 'revoked' && !keyId ? (
        <p className="muted small">Its private key is not in this computer's vault, so Test access cannot present it.</p>
      ) : null}
      {enforce.dialog}
    </section>
  )
}
