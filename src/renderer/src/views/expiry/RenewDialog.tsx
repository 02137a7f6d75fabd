/**
 * Renew an item from the radar with the flow that already renews it elsewhere: a client certificate is reissued (the
 * same key's CSR, a CSR the user has, or a new key in the create wizard), then the old one may be revoked once the user
 * confirms the new one is in use; an AOP certificate goes through the rotation steps; an Origin CA certificate is made
 * again from a new key's CSR; a local CA is re-issued with the same key, or gets a new root with a plan. The others
 * open the screen that renews them.
 */
import { useEffect, useId, useState } from 'react'
import type { ClientCertificateSummary } from '../../../../shared/cloudflare-model'
import type { Failure } from '../../../../shared/errors'
import type { ExpiryItem, RenewKind } from '../../../../shared/expiry-model'
import { ChoiceSelect } from '../../components/ChoiceSelect'
import { ActionDialog, CloseButton, Dialog } from '../../components/Dialog'
import { ErrorBox } from '../../components/ErrorBox'
import { Facts } from '../../components/Facts'
import { CertificateDownloads } from '../../components/certificate/CertificateDownloads'
import { dateText } from '../../lib/format'
import { VALIDITY_YEAR_CHOICES, validityDays } from '../../lib/validity'
import { useAppFields, useAppStore } from '../../store'
import type { ReissuedCa } from '../../store/keys'
import type { ZoneScope } from '../../store/scope'
import type { ScreenId } from '../../store/ui'
import { CreateCertificateDialog } from '../client-certs/CreateCertificateDialog'
import { CreateCertificateWizard } from '../client-certs/CreateCertificateWizard'
import { ConfirmStatusChange } from '../client-certs/RevokeDialogs'
import { CreateOriginDialog } from '../origin/OriginCaTab'
import { RotateDialog } from '../origin/RotateDialog'
import { GenerateRootForm } from '../roots/GenerateRootForm'
import { surfaceLabel } from './chart'
import { relativeExpiry } from './ExpiryList'

/** The renewals done on another screen: where to go. */
const ELSEWHERE: Partial<Record<RenewKind, { screen: ScreenId; name: string }>> = {
  replaceAccessRoot: { screen: 'roots', name: 'Roots & CAs' },
  replaceMtlsCert: { screen: 'roots', name: 'Roots & CAs' },
  rotateGatewayRoot: { screen: 'gateway', name: 'Gateway inspection' },
  reissueFromCa: { screen: 'keys', name: 'Keys' },
  replaceInstalledRoot: { screen: 'machine', name: 'This machine' },
}

const zoneOf = (item: ExpiryItem): ZoneScope | null =>
  item.where.profileId && item.where.zoneId ? { profileId: item.where.profileId, zoneId: item.where.zoneId } : null

export function RenewDialog({ item, onClose }: { item: ExpiryItem; onClose: () => void }) {
  const zone = zoneOf(item)
  const zoneName = item.where.zoneName ?? item.where.zoneId ?? ''
  switch (item.renew.kind) {
    case 'reissueClientCert':
      return zone ? (
        <ReissueClientCert item={item} zone={zone} zoneName={zoneName} onClose={onClose} />
      ) : (
        <Elsewhere item={item} onClose={onClose} />
      )
    case 'rotateAop':
      return zone ? (
        <RotateAop item={item} zone={zone} zoneName={zoneName} onClose={onClose} />
      ) : (
        <Elsewhere item={item} onClose={onClose} />
      )
    case 'recreateOriginCa':
      return zone ? <CreateOriginDialog zone={zone} zoneName={zoneName} onClose={onClose} /> : <Elsewhere item={item} onClose={onClose} />
    case 'reissueLocalCa':
      return <RenewLocalCa item={item} onClose={onClose} />
    default:
      return <Elsewhere item={item} onClose={onClose} />
  }
}

/** What the item is, as every renew dialog starts. */
function ItemFacts({ item }: { item: ExpiryItem }) {
  const summary = useAppStore((s) => s.expirySummary)
  return (
    <Facts
      label="Renewing"
      facts={[
        { term: 'What', value: `${surfaceLabel(summary, item.surface)}: ${item.name}` },
        { term: 'Where', value: item.where.text },
        { term: 'Expires', value: `${dateText(item.notAfter)} (${relativeExpiry(item.daysLeft)})` },
        { term: 'Then', value: item.breaks },
      ]}
    />
  )
}

type ReissueStep = 'choose' | 'wizard' | 'csr' | 'revoke'

/**
 * Reissue a client certificate: with the same key (its CSR in the vault, or one the user pastes) or a new key (the
 * create wizard); then, once the user confirms devices use the new one, revoke the old one (the existing confirmation).
 */
function ReissueClientCert({
  item,
  zone,
  zoneName,
  onClose,
}: {
  item: ExpiryItem
  zone: ZoneScope
  zoneName: string
  onClose: () => void
}) {
  const { loadKeys, issueForKey, readClientCert } = useAppFields('loadKeys', 'issueForKey', 'readClientCert')
  const vaultKeys = useAppStore((s) => s.vaultKeys)
  const defaultYears = useAppStore((s) => s.settings?.defaultValidityYears ?? 10)
  const key = vaultKeys.find((k) => k.certificate?.cloudflareId === item.id && k.csrPem)
  const [step, setStep] = useState<ReissueStep>('choose')
  const [how, setHow] = useState<'same' | 'new'>('same')
  const [years, setYears] = useState<number>(defaultYears)
  const [error, setError] = useState<Failure | null>(null)
  const [issued, setIssued] = useState<ClientCertificateSummary | null>(null)
  const [inUse, setInUse] = useState(false)
  const [old, setOld] = useState<ClientCertificateSummary | null>(null)
  const [revoked, setRevoked] = useState(false)
  const ids = { years: useId(), inUse: useId() }
  useEffect(() => {
    void loadKeys()
  }, [loadKeys])

  if (step === 'wizard') return <CreateCertificateWizard zone={zone} zoneName={zoneName} onClose={() => setStep('revoke')} />
  if (step === 'csr') return <CreateCertificateDialog zone={zone} zoneName={zoneName} onClose={() => setStep('revoke')} />

  const reissue = async (): Promise<boolean> => {
    setError(null)
    if (how === 'new') {
      setStep('wizard')
      return false
    }
    if (!key?.csrPem) {
      setStep('csr')
      return false
    }
    // The key's link moves to the new certificate; the old one's id stays in the key's activity for the revoke step.
    const result = await issueForKey({ ...zone, keyId: key.id, validityDays: validityDays(years), replace: true })
    if (!result.ok) {
      setError(result.error)
      return false
    }
    setIssued(result.value.certificate)
    setStep('revoke')
    return false
  }
  const askRevoke = async () => {
    setError(null)
    const result = await readClientCert(zone, item.id)
    if (result.ok) setOld(result.value)
    else setError(result.error)
  }

  if (step === 'revoke') {
    if (old) {
      return (
        <ConfirmStatusChange
          zone={zone}
          zoneName={zoneName}
          cert={old}
          action="revoke"
          onClose={(done) => {
            setOld(null)
            if (done) setRevoked(true)
          }}
        />
      )
    }
    return (
      <Dialog
        open
        wide
        title={`Reissued ${item.name}: revoke the old one?`}
        onClose={onClose}
        actions={
          <>
            <button type="button" onClick={onClose}>
              {revoked ? 'Done' : 'Keep the old one for now'}
            </button>
            {revoked ? null : (
              <button type="button" className="danger" disabled={!inUse} onClick={() => void askRevoke()}>
                Revoke the old certificate…
              </button>
            )}
          </>
        }
      >
        {issued ? (
          <>
            <p role="status">
              Issued the new certificate <code>{issued.id}</code> with the same key, valid until {dateText(issued.expiresOn)}. Install it in
              place of the old one.
            </p>
            <CertificateDownloads pem={issued.certificate} name={issued.commonName || issued.id} label="New certificate" />
          </>
        ) : null}
        {revoked ? (
          <p role="status">The old certificate is being revoked: devices still presenting it will be refused.</p>
        ) : (
          <>
            <p>
              The old certificate (<code>{item.id}</code>) stays valid until {dateText(item.notAfter)}. Revoke it only once every device
              presents the new one: a device still using it is refused at once.
            </p>
            <label htmlFor={ids.inUse} className="checkbox-row">
              <input id={ids.inUse} type="checkbox" checked={inUse} onChange={(e) => setInUse(e.target.checked)} />
              The new certificate is installed and in use
            </label>
          </>
        )}
        {error ? <ErrorBox error={error} /> : null}
      </Dialog>
    )
  }

  return (
    <ActionDialog
      title={`Reissue ${item.name}`}
      confirmLabel={how === 'new' ? 'Continue with a new key' : key ? 'Reissue with the same key' : 'Continue with its CSR'}
      runningLabel="Reissuing…"
      wide
      run={reissue}
      onClose={onClose}
    >
      <ItemFacts item={item} />
      <fieldset className="radio-stack">
        <legend>Key</legend>
        <label>
          <input type="radio" name="reissue-key" checked={how === 'same'} onChange={() => setHow('same')} />
          The same key{' '}
          <span className="muted small">
            {key
              ? `(its CSR is in the vault: “${key.label}”; devices keep their key)`
              : '(its key is not in this vault: paste the CSR made with it)'}
          </span>
        </label>
        <label>
          <input type="radio" name="reissue-key" checked={how === 'new'} onChange={() => setHow('new')} />A new key{' '}
          <span className="muted small">(made in the vault; the device gets the key and the certificate)</span>
        </label>
      </fieldset>
      {how === 'same' && key ? (
        <div className="field">
          <label htmlFor={ids.years}>Validity</label>
          <ChoiceSelect id={ids.years} value={years} choices={VALIDITY_YEAR_CHOICES} onChange={setYears} />
        </div>
      ) : null}
      {error ? <ErrorBox error={error} /> : null}
    </ActionDialog>
  )
}

/** The AOP rotation steps for the row's certificate, once the zone's AOP overview is read. */
function RotateAop({ item, zone, zoneName, onClose }: { item: ExpiryItem; zone: ZoneScope; zoneName: string; onClose: () => void }) {
  const { loadAop, aop } = useAppFields('loadAop', 'aop')
  useEffect(() => {
    void loadAop(zone)
  }, [loadAop, zone.profileId, zone.zoneId]) // eslint-disable-line react-hooks/exhaustive-deps
  const all = aop.overview ? [...aop.overview.zoneCertificates, ...aop.overview.hostnameCertificates] : []
  const old = all.find((c) => c.id === item.id)
  if (old) return <RotateDialog zone={zone} zoneName={zoneName} old={old} onClose={onClose} />
  const missing = aop.overview && !aop.loading
  return (
    <Dialog open title={`Rotate ${item.name}`} onClose={onClose} actions={<CloseButton onClose={onClose} />}>
      {aop.error ? (
        <ErrorBox error={aop.error} onRetry={() => void loadAop(zone)} />
      ) : missing ? (
        <ErrorBox
          error={{
            message: `AOP certificate ${item.id} is no longer on ${zoneName}.`,
            hint: 'Refresh the radar: it was deleted or replaced since the last refresh.',
          }}
        />
      ) : (
        <p role="status">Reading the zone’s AOP certificates…</p>
      )}
    </Dialog>
  )
}

/**
 * A local CA: its certificate re-issued with the same key (so every certificate it issued stays valid), or a new root
 * made in the vault with the plan to move to it.
 */
function RenewLocalCa({ item, onClose }: { item: ExpiryItem; onClose: () => void }) {
  const [how, setHow] = useState<'same' | 'new'>('same')
  const [made, setMade] = useState(false)
  return (
    <Dialog open wide title={`Renew the local CA ${item.name}`} onClose={onClose} actions={<CloseButton onClose={onClose} done={made} />}>
      <ItemFacts item={item} />
      <fieldset className="radio-stack" disabled={made}>
        <legend>Key</legend>
        <label>
          <input type="radio" name="renew-ca-key" checked={how === 'same'} onChange={() => setHow('same')} />
          Same key (issued certificates stay valid){' '}
          <span className="muted small">(the same name, key and key identifier; a new serial and dates)</span>
        </label>
        <label>
          <input type="radio" name="renew-ca-key" checked={how === 'new'} onChange={() => setHow('new')} />A new key, with a plan{' '}
          <span className="muted small">(a new root; everything the old one signed is issued again)</span>
        </label>
      </fieldset>
      {how === 'same' ? (
        <SameKeyCa keyId={item.id} onDone={() => setMade(true)} />
      ) : (
        <>
          <ol className="plan">
            <li>Make the new root here (below); its key stays in the vault.</li>
            <li>Trust it beside the old one wherever the old one is trusted: Access, account mTLS, Gateway, this machine’s stores.</li>
            <li>Issue every certificate the old CA signed again from the new root, and install them.</li>
            <li>Remove the old root once nothing presents a certificate it signed.</li>
          </ol>
          <GenerateRootForm defaultCn={item.name} onGenerated={() => setMade(true)} />
        </>
      )}
    </Dialog>
  )
}

/** The CA certificate of vault key `keyId` re-issued with its own key, for as many days as the user says (empty: as before). */
function SameKeyCa({ keyId, onDone }: { keyId: string; onDone: () => void }) {
  const { startJob, reissueCa } = useAppFields('startJob', 'reissueCa')
  const [days, setDays] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<Failure | null>(null)
  const [renewed, setRenewed] = useState<ReissuedCa | null>(null)
  const id = useId()
  const wanted = days.trim() === '' ? undefined : Number(days)
  const valid = wanted === undefined || (Number.isInteger(wanted) && wanted >= 1 && wanted <= 36_500)

  const run = async () => {
    setError(null)
    setBusy(true)
    const result = await reissueCa(keyId, wanted, startJob('Re-issuing the CA certificate'))
    setBusy(false)
    if (!result.ok) return setError(result.error)
    setRenewed(result.value)
    onDone()
  }

  if (renewed) {
    const { serialNumber, notAfter } = renewed
    return (
      <section aria-label="CA certificate re-issued">
        <p role="status">
          Re-issued the CA certificate of “{renewed.key.label}” with the same key: serial <code>{serialNumber}</code>, valid until{' '}
          {dateText(notAfter)}. Every certificate it issued stays valid. Install the new CA certificate wherever the old one is trusted
          (Access, account mTLS, this machine); the old one is kept in the key’s activity.
        </p>
        <CertificateDownloads pem={renewed.certificatePem} name={renewed.key.label} label="New CA certificate" />
      </section>
    )
  }
  return (
    <>
      <div className="field">
        <label htmlFor={id}>Valid for (days)</label>
        <input
          id={id}
          type="number"
          min={1}
          max={36_500}
          step={1}
          value={days}
          placeholder="as long as before"
          aria-invalid={!valid}
          onChange={(e) => setDays(e.target.value)}
        />
        <span className="muted small">{valid ? 'Leave empty to keep the original’s length.' : 'A whole number from 1 to 36,500.'}</span>
      </div>
      <div className="form-actions">
        <button type="button" className="primary" disabled={!valid || busy} onClick={() => void run()}>
          {busy ? 'Re-issuing…' : 'Re-issue with the same key'}
        </button>
      </div>
      {error ? <ErrorBox error={error} /> : null}
    </>
  )
}

/** Renewed on another screen: say how, and go there with the row's zone or account chosen. */
function Elsewhere({ item, onClose }: { item: ExpiryItem; onClose: () => void }) {
  const { go, chooseZone, chooseAccount } = useAppFields('go', 'chooseZone', 'chooseAccount')
  const target = ELSEWHERE[item.renew.kind]
  const open = () => {
    const { profileId, zoneId, accountId } = item.where
    if (profileId && zoneId) chooseZone(profileId, zoneId)
    if (profileId && accountId) chooseAccount(profileId, accountId)
    if (target) go(target.screen)
    onClose()
  }
  return (
    <Dialog
      open
      title={`Renew ${item.name}`}
      onClose={onClose}
      actions={
        <>
          <CloseButton onClose={onClose} />
          {target ? (
            <button type="button" className="primary" onClick={open}>
              Open {target.name}
            </button>
          ) : null}
        </>
      }
    >
      <ItemFacts item={item} />
      <p>{item.renew.label}.</p>
    </Dialog>
  )
}
