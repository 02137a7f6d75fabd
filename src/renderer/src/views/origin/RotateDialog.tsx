import { useEffect, useState } from 'react'
import type { Failure } from '../../../../shared/errors'
import type { AopCertificate } from '../../../../shared/origin-model'
import { Dialog } from '../../components/Dialog'
import { ErrorBox } from '../../components/ErrorBox'
import { ProgressSteps, type StepState } from '../../components/Steps'
import { CertificateDownloads } from '../../components/certificate/CertificateDownloads'
import { PemBlock } from '../../components/certificate/KeyExports'
import { parseHostnames } from '../../lib/format'
import { useAppFields, useAppStore } from '../../store'
import { startPolling } from '../../store/poll'
import type { ZoneScope } from '../../store/scope'
import { AopStatusBadge, DeleteAopDialog } from './AopTab'
import { aopName, caBundle, caOfIssuer } from './model'
import { AopFields, CaChooser, NEW_CA, defaultAopForm, formReady, useIssueAndUpload, useResolveCa, useVaultCas } from './NewAopDialog'
import { SnippetBlock } from './SnippetBlock'

const STEPS = [
  'The origin trusts both CAs',
  'Issue and upload the new certificate',
  'Switch to the new certificate',
  'Wait until it is active',
  'Delete the old certificate',
] as const

/** Where the bundle goes in the snippet: the file the origin reads its client-certificate CAs from. */
const BUNDLE_FILE = '/etc/ssl/certdesk/aop-ca.pem'

/**
 * Rotate an AOP certificate without downtime (Cloudflare docs: "Authenticated Origin Pulls"), as visible steps: the
 * origin trusts the old and the new CA, the new certificate is uploaded, switched to, active, and the old one deleted.
 */
export function RotateDialog({
  zone,
  zoneName,
  old,
  onClose,
}: {
  zone: ZoneScope
  zoneName: string
  old: AopCertificate
  onClose: () => void
}) {
  const cas = useVaultCas()
  const { loadAop, setAopEnabled, associateAop } = useAppFields('loadAop', 'setAopEnabled', 'associateAop')
  const overview = useAppStore((s) => s.aop.overview)
  const resolveCa = useResolveCa()
  const issueAndUpload = useIssueAndUpload(zone)
  const [asked, setStep] = useState(0)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<Failure | null>(null)
  const [ca, setCa] = useState({ caKeyId: NEW_CA, newCaName: `${zoneName} origin pulls CA ${new Date().getFullYear()}` })
  const [newCa, setNewCa] = useState<{ keyId: string; pem: string } | null>(null)
  const [form, setForm] = useState(() => ({ ...defaultAopForm(zoneName, cas), kind: old.kind }))
  const [newId, setNewId] = useState<string | null>(null)
  const [deleting, setDeleting] = useState(false)
  const [done, setDone] = useState(false)

  const all = overview ? [...overview.zoneCertificates, ...overview.hostnameCertificates] : []
  const current = all.find((c) => c.id === newId)
  const oldCa = caOfIssuer(old.issuer, cas)
  // Waiting (step 4) ends once the new certificate is active.
  const step = asked === 3 && current?.status === 'active' ? 4 : asked
  // Step 4: read the zone again until the new certificate is active.
  useEffect(() => {
    if (step !== 3) return undefined
    return startPolling(() => loadAop(zone), 1_000, 4_000)
  }, [step, loadAop, zone])

  const work = async (run: () => Promise<boolean>) => {
    setBusy(true)
    setError(null)
    const ok = await run()
    setBusy(false)
    if (ok) setStep(step + 1)
  }
  const prepareCa = () =>
    work(async () => {
      const made = await resolveCa(ca, form.keyType)
      if (!made.ok) setError(made.error)
      else setNewCa(made.value)
      return false
    })
  const upload = () =>
    work(async () => {
      const uploaded = await issueAndUpload(form, newCa!.keyId)
      if (!uploaded.ok) setError(uploaded.error)
      else setNewId(uploaded.value)
      return uploaded.ok
    })
  const switchOver = () =>
    work(async () => {
      const result =
        old.kind === 'hostname'
          ? await associateAop(zone, newId!, parseHostnames(form.hostnames))
          : overview?.enabled
            ? { ok: true as const, value: null }
            : await setAopEnabled(zone, true)
      if (!result.ok) setError(result.error)
      return result.ok
    })
  const states: StepState[] = STEPS.map((_, i) => (done || i < step ? 'done' : i === step ? (error ? 'failed' : 'current') : 'waiting'))
  return (
    <Dialog
      title={`Rotate ${aopName(old)}`}
      open
      wide
      onClose={onClose}
      actions={
        <button type="button" onClick={onClose} disabled={busy}>
          {done ? 'Close' : 'Cancel'}
        </button>
      }
    >
      <ProgressSteps label="Rotation steps" steps={STEPS.map((label, i) => ({ label, state: states[i]! }))} />
      {error ? <ErrorBox error={error} /> : null}
      {step === 0 ? (
        <section aria-label="Step 1: the origin trusts both CAs" className="form-stack">
          <p>
            Until the switch, Cloudflare presents the old certificate; after it, the new one. So before anything changes, the origin must
            trust the CA of both: add the new CA to its client-certificate CA bundle, next to the old one, and reload it.
          </p>
          {newCa ? (
            <>
              <PemBlock label="CA bundle (old and new CA)" pem={caBundle(oldCa?.certificate?.pem, newCa.pem)} copyLabel="Copy CA bundle" />
              {oldCa ? null : (
                <p className="warning">
                  The CA of the current certificate ({old.issuer ?? 'unknown issuer'}) is not in this vault: keep it in the origin’s bundle
                  and add the new CA after it.
                </p>
              )}
              <CertificateDownloads pem={newCa.pem} name="aop-new-ca" label="New CA" />
              <SnippetBlock paths={{ aopCaFile: BUNDLE_FILE, hostname: zoneName }} />
              <div className="form-actions">
                <button type="button" className="primary" onClick={() => setStep(1)}>
                  The origin trusts both CAs
                </button>
              </div>
            </>
          ) : (
            <>
              <CaChooser value={ca} cas={cas} onChange={setCa} />
              <div className="form-actions">
                <button
                  type="button"
                  className="primary"
                  disabled={busy || (ca.caKeyId === NEW_CA && !ca.newCaName.trim())}
                  onClick={() => void prepareCa()}
                >
                  {busy ? 'Working…' : 'Show the CA bundle'}
                </button>
              </div>
            </>
          )}
        </section>
      ) : null}
      {step === 1 ? (
        <section aria-label="Step 2: issue and upload" className="form-stack">
          <p>
            A new vault key and client certificate signed by the new CA, uploaded {old.kind === 'zone' ? 'zone-level' : 'for the hostnames'}
            .
          </p>
          <AopFields form={form} cas={cas} inRotation onChange={setForm} />
          <div className="form-actions">
            <button type="button" className="primary" disabled={busy || !formReady(form)} onClick={() => void upload()}>
              {busy ? 'Uploading…' : 'Issue and upload'}
            </button>
          </div>
        </section>
      ) : null}
      {step === 2 ? (
        <section aria-label="Step 3: switch" className="form-stack">
          <p>
            {old.kind === 'zone'
              ? `Cloudflare presents the newest active zone-level certificate${overview?.enabled ? '' : ' once zone-level AOP is on: switching turns it on'}.`
              : `The hostnames ${parseHostnames(form.hostnames).join(', ')} present the new certificate.`}
          </p>
          <div className="form-actions">
            <button type="button" className="primary" disabled={busy} onClick={() => void switchOver()}>
              {busy ? 'Switching…' : 'Switch'}
            </button>
          </div>
        </section>
      ) : null}
      {step === 3 ? (
        <p role="status" aria-label="Step 4: wait until active">
          Cloudflare is deploying certificate <code>{newId}</code>: <AopStatusBadge status={current?.status} />
        </p>
      ) : null}
      {step === 4 && !done ? (
        <section aria-label="Step 5: delete the old certificate" className="form-stack">
          <p>
            The new certificate <code>{newId}</code> is active. Delete the old one; then the origin may drop the old CA from its bundle.
          </p>
          <div className="form-actions">
            <button type="button" className="danger" onClick={() => setDeleting(true)}>
              Delete the old certificate
            </button>
          </div>
        </section>
      ) : null}
      {done ? (
        <p role="status" aria-label="Rotation result">
          <span className="badge ok">Rotated</span> {zoneName} presents <code>{newId}</code>; the old certificate is being deleted.
        </p>
      ) : null}
      {deleting ? (
        <DeleteAopDialog
          zone={zone}
          cert={old}
          onClose={(deleted) => {
            setDeleting(false)
            if (deleted) setDone(true)
          }}
        >
          <p>Cloudflare stops presenting it and deletes it. The origin no longer needs the old CA afterwards.</p>
        </DeleteAopDialog>
      ) : null}
    </Dialog>
  )
}
