import { useEffect, useId, useMemo, useState } from 'react'
import type { Failure, Result } from '../../../../shared/errors'
import type { KeyType, VaultKeyRow } from '../../../../shared/pki-model'
import { ErrorBox } from '../../components/ErrorBox'
import { InlineChoice } from '../../components/ChoiceSelect'
import { ActionDialog } from '../../components/Dialog'
import { RadioRow } from '../../components/Field'
import { KEY_TYPE_CHOICES } from '../../components/keyTypes'
import { parseHostnames } from '../../lib/format'
import { useAppFields, useAppStore } from '../../store'
import type { ZoneScope } from '../../store/scope'
import { vaultCas } from './model'

export const NEW_CA = 'new'
const DAY_CHOICES = [
  { value: 90, label: '90 days' },
  { value: 365, label: '1 year' },
  { value: 730, label: '2 years' },
]

/** The CA an AOP certificate is signed by: a vault CA, or a new local CA made here. */
export interface CaChoice {
  caKeyId: string
  newCaName: string
}

/** The vault's CAs (read on mount). */
export function useVaultCas(): VaultKeyRow[] {
  const { vaultKeys, loadKeys } = useAppFields('vaultKeys', 'loadKeys')
  useEffect(() => {
    void loadKeys()
  }, [loadKeys])
  return useMemo(() => vaultCas(vaultKeys), [vaultKeys])
}

export function CaChooser({ value, onChange, cas }: { value: CaChoice; onChange: (v: CaChoice) => void; cas: VaultKeyRow[] }) {
  const nameId = useId()
  const choices = [
    ...cas.map((k) => ({ value: k.id, label: `${k.certificateInfo?.commonName ?? k.label} (vault)` })),
    { value: NEW_CA, label: 'Make a new local CA' },
  ]
  return (
    <>
      <InlineChoice label="Signing CA" value={value.caKeyId} choices={choices} onChange={(caKeyId) => onChange({ ...value, caKeyId })} />
      {value.caKeyId === NEW_CA ? (
        <div className="field inline">
          <label htmlFor={nameId}>New CA name</label>
          <input id={nameId} value={value.newCaName} onChange={(e) => onChange({ ...value, newCaName: e.target.value })} />
        </div>
      ) : null}
    </>
  )
}

/** The CA's vault key id and certificate: the chosen one, or a new local CA (key vaulted in main). */
export function useResolveCa(): (choice: CaChoice, keyType: KeyType) => Promise<Result<{ keyId: string; pem: string }>> {
  const { startJob, generateLocalRoot } = useAppFields('startJob', 'generateLocalRoot')
  const keys = useAppStore((s) => s.vaultKeys)
  return async (choice, keyType) => {
    if (choice.caKeyId !== NEW_CA) {
      const pem = keys.find((k) => k.id === choice.caKeyId)?.certificate?.pem
      if (pem) return { ok: true, value: { keyId: choice.caKeyId, pem } }
      return { ok: false, error: { code: 'not_found', message: 'The chosen CA is no longer in the vault.', hint: 'Choose another CA.' } }
    }
    const made = await generateLocalRoot(
      { cn: choice.newCaName.trim(), keyType, days: 3650, permittedDns: [] },
      startJob('Making the local CA'),
    )
    return made.ok ? { ok: true, value: { keyId: made.value.key.id, pem: made.value.certificatePem } } : made
  }
}

/** The form both New AOP certificate and Rotate fill in. */
export interface AopForm {
  ca: CaChoice
  cn: string
  keyType: KeyType
  days: number
  /** Zone-level, or presented for these hostnames. */
  kind: 'zone' | 'hostname'
  hostnames: string
}

export const defaultAopForm = (zoneName: string, cas: VaultKeyRow[]): AopForm => ({
  ca: { caKeyId: cas[0]?.id ?? NEW_CA, newCaName: `${zoneName} origin pulls CA` },
  cn: `cloudflare-origin-pull.${zoneName}`,
  keyType: 'ec-p256',
  days: 365,
  kind: 'zone',
  hostnames: '',
})

export function AopFields({
  form,
  onChange,
  cas,
  inRotation,
}: {
  form: AopForm
  onChange: (f: AopForm) => void
  cas: VaultKeyRow[]
  inRotation?: boolean
}) {
  const cnId = useId()
  const hostId = useId()
  return (
    <div className="form-stack">
      {inRotation ? null : <CaChooser value={form.ca} cas={cas} onChange={(ca) => onChange({ ...form, ca })} />}
      <div className="field inline">
        <label htmlFor={cnId}>Common name</label>
        <input id={cnId} value={form.cn} onChange={(e) => onChange({ ...form, cn: e.target.value })} />
      </div>
      <InlineChoice
        label="Key type"
        value={form.keyType}
        choices={KEY_TYPE_CHOICES}
        onChange={(keyType) => onChange({ ...form, keyType })}
      />
      <InlineChoice label="Validity" value={form.days} choices={DAY_CHOICES} onChange={(days) => onChange({ ...form, days })} />
      {inRotation ? null : (
        <RadioRow
          legend="Presented"
          name={`${hostId}-kind`}
          value={form.kind}
          choices={[
            ['zone', 'Zone-level (every hostname)'],
            ['hostname', 'For these hostnames'],
          ]}
          onChange={(kind) => onChange({ ...form, kind })}
        />
      )}
      {form.kind === 'hostname' ? (
        <>
          <label className="field" htmlFor={hostId}>
            Hostnames (one per line, up to 100)
          </label>
          <textarea id={hostId} rows={3} value={form.hostnames} onChange={(e) => onChange({ ...form, hostnames: e.target.value })} />
        </>
      ) : null}
    </div>
  )
}

export const formReady = (form: AopForm): boolean =>
  form.cn.trim() !== '' &&
  (form.ca.caKeyId !== NEW_CA || form.ca.newCaName.trim() !== '') &&
  (form.kind === 'zone' || parseHostnames(form.hostnames).length > 0)

/** Issues the AOP certificate for a vault key signed by the CA, then uploads it: the uploaded certificate's id. */
export function useIssueAndUpload(zone: ZoneScope): (form: AopForm, caKeyId: string) => Promise<Result<string>> {
  const { startJob, newAopCertificate, uploadAop } = useAppFields('startJob', 'newAopCertificate', 'uploadAop')
  return async (form, caKeyId) => {
    const issued = await newAopCertificate(
      { caKeyId, cn: form.cn.trim(), keyType: form.keyType, days: form.days },
      startJob('Issuing the AOP certificate'),
    )
    if (!issued.ok) return issued
    const hostnames = form.kind === 'hostname' ? parseHostnames(form.hostnames) : undefined
    const uploaded = await uploadAop(zone, issued.value.key.id, hostnames)
    return uploaded.ok ? { ok: true, value: uploaded.value.certificate.id } : uploaded
  }
}

/** New AOP certificate: a vault key with a client certificate signed by a vault CA (or one made here), uploaded. */
export function NewAopDialog({ zone, zoneName, onClose }: { zone: ZoneScope; zoneName: string; onClose: () => void }) {
  const cas = useVaultCas()
  const [form, setForm] = useState<AopForm>(() => defaultAopForm(zoneName, cas))
  const resolveCa = useResolveCa()
  const issueAndUpload = useIssueAndUpload(zone)
  const [failed, setFailed] = useState<Failure | null>(null)
  const run = async () => {
    setFailed(null)
    const ca = await resolveCa(form.ca, form.keyType)
    if (!ca.ok) {
      setFailed(ca.error)
      return false
    }
    // A CA made here stays chosen: a retry signs with it instead of making another one.
    if (form.ca.caKeyId === NEW_CA) setForm({ ...form, ca: { ...form.ca, caKeyId: ca.value.keyId } })
    const uploaded = await issueAndUpload(form, ca.value.keyId)
    if (!uploaded.ok) setFailed(uploaded.error)
    return uploaded.ok
  }
  return (
    <ActionDialog
      title={`New AOP certificate for ${zoneName}`}
      confirmLabel="Issue and upload"
      runningLabel="Working…"
      confirmDisabled={!formReady(form)}
      run={run}
      onClose={onClose}
    >
      <p>
        Certdesk makes a key in its vault and a client certificate for it (digital signature, client authentication) signed by the CA, then
        uploads both to Cloudflare. The origin must trust the CA. Zone-level certificates are presented once zone-level AOP is on.
      </p>
      <AopFields form={form} cas={cas} onChange={setForm} />
      {failed ? <ErrorBox error={failed} /> : null}
    </ActionDialog>
  )
}
