/**
 * "A root generated here": main makes a self-signed root CA (critical basicConstraints CA:TRUE and
 * keyUsage keyCertSign, cRLSign; optional DNS name constraints), keeps its key in the vault and
 * lints it as a root. The renderer sees the certificate and the lint report, never the key.
 */
import type { Failure } from '../../../../shared/errors'
import { useId, useState } from 'react'
import type { KeyType } from '../../../../shared/pki-model'
import { CertificateCheckView } from '../../components/certificate/CertificateCheckView'
import { ErrorBox } from '../../components/ErrorBox'
import { JobProgress } from '../../components/JobProgress'
import { KEY_TYPE_CHOICES } from '../../components/keyTypes'
import { useAppStore } from '../../store'
import { HostnameListField } from '../../components/Field'
import { ChoiceSelect } from '../../components/ChoiceSelect'
import type { LocalRoot } from '../../store/keys'
import { ExportForFleetButton } from '../../components/ExportForFleetButton'

const ROOT_YEARS = [5, 10, 15, 20].map((y) => ({ value: y, label: `${y} years` }))

export function GenerateRootForm({ defaultCn, onGenerated }: { defaultCn: string; onGenerated: (root: LocalRoot) => void }) {
  const startJob = useAppStore((s) => s.startJob)
  const generate = useAppStore((s) => s.generateLocalRoot)
  const [cn, setCn] = useState(defaultCn)
  const [o, setO] = useState('')
  const [keyType, setKeyType] = useState<KeyType>('ec-p256')
  const [years, setYears] = useState<number>(10)
  const [permitted, setPermitted] = useState<string[]>([])
  const [jobId, setJobId] = useState<string | null>(null)
  const [error, setError] = useState<Failure | null>(null)
  const [root, setRoot] = useState<LocalRoot | null>(null)
  const ids = { cn: useId(), o: useId(), key: useId(), years: useId() }

  const run = async () => {
    setError(null)
    const job = startJob('Generating a root CA')
    setJobId(job)
    const result = await generate(
      { cn: cn.trim(), ...(o.trim() ? { o: o.trim() } : {}), keyType, days: years * 365, permittedDns: permitted },
      job,
    )
    setJobId(null)
    if (!result.ok) return setError(result.error)
    setRoot(result.value)
    onGenerated(result.value)
  }

  if (root) {
    return (
      <section className="generated-root" aria-label="Root generated here">
        <p>
          Generated the root <strong>{cn.trim()}</strong>. Its private key is in Certdesk’s vault as “{root.key.label}”: export it from
          there to sign device certificates (<code>certdesk ca sign</code>).
        </p>
        <CertificateCheckView check={root.check} />
        <div className="form-actions">
          <ExportForFleetButton certificatePem={root.certificatePem} name={cn.trim()} />
        </div>
      </section>
    )
  }
  const working = jobId !== null
  return (
    <fieldset className="wizard-grid generate-root" disabled={working} aria-label="New root">
      <div className="field">
        <label htmlFor={ids.cn}>Common name (CN)</label>
        <input id={ids.cn} value={cn} onChange={(e) => setCn(e.target.value)} aria-required />
      </div>
      <div className="field">
        <label htmlFor={ids.o}>Organization (O, optional)</label>
        <input id={ids.o} value={o} onChange={(e) => setO(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={ids.key}>Key type</label>
        <ChoiceSelect id={ids.key} value={keyType} choices={KEY_TYPE_CHOICES} onChange={setKeyType} />
      </div>
      <div className="field">
        <label htmlFor={ids.years}>Valid for</label>
        <ChoiceSelect id={ids.years} value={years} choices={ROOT_YEARS} onChange={setYears} />
      </div>
      <HostnameListField
        wrap="field span-2"
        label="Only for these domains (optional name constraints, one per line)"
        rows={2}
        onHostnames={setPermitted}
        placeholder="example.com"
      />
      <p className="muted small span-2">
        A leaked root can sign anything its clients accept; name constraints limit the damage to your own domains.
      </p>
      <div className="form-actions span-2">
        <button type="button" className="primary" disabled={working || !cn.trim()} onClick={() => void run()}>
          {working ? 'Generating…' : 'Generate root'}
        </button>
      </div>
      <div className="span-2">
        <JobProgress jobId={jobId} />
        {error ? <ErrorBox error={error} /> : null}
      </div>
    </fieldset>
  )
}
