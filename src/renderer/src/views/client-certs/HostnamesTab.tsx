import { useEffect, useId, useMemo, useState } from 'react'
import type { HostnamePlan, MtlsCertificateSummary } from '../../../../shared/cloudflare-model'
import { ConfirmDialog } from '../../components/Dialog'
import { ErrorBox } from '../../components/ErrorBox'
import { useAccount } from '../../components/useScope'
import { parseHostnames } from '../../lib/format'
import { useAppFields, useAppStore } from '../../store'
import { PemTextArea } from '../../components/Field'
import type { ZoneScope } from '../../store/scope'

/**
 * Which hostnames of the zone ask for client certificates from a CA. Cloudflare replaces the whole
 * list at once, so the change is shown as a diff first and sent with the list it was computed from.
 */
export function HostnamesTab({ zone, zoneName }: { zone: ZoneScope; zoneName: string }) {
  const { account } = useAccount()
  const cas = useAppStore((s) => s.mtlsCas.items)
  const loadCas = useAppStore((s) => s.loadMtlsCas)
  const { items: hostnames, loading, error } = useAppStore((s) => s.hostnames)
  const { loadHostnames: load, planHostnames, replaceHostnames } = useAppFields('loadHostnames', 'planHostnames', 'replaceHostnames')
  const [caId, setCaId] = useState('')
  const [text, setText] = useState<string | null>(null)
  const [review, setReview] = useState<{ current: string[]; plan: HostnamePlan; wanted: string[] } | null>(null)
  const [busy, setBusy] = useState(false)
  const caSelect = useId()
  const listId = useId()
  const target = useMemo(() => ({ ...zone, ...(caId ? { mtlsCertificateId: caId } : {}) }), [zone, caId])

  useEffect(() => {
    if (account) void loadCas({ profileId: zone.profileId, accountId: account.id })
  }, [account, loadCas, zone.profileId])
  useEffect(() => {
    void load(target)
  }, [load, target])

  const edited = text ?? hostnames.join('\n')
  const byoCas = hostnameCaChoices(cas)

  const startReview = async () => {
    setBusy(true)
    const wanted = parseHostnames(edited)
    const result = await planHostnames(target, wanted)
    setBusy(false)
    if (result.ok) setReview({ ...result.value, wanted })
  }
  const apply = async () => {
    if (!review) return
    setBusy(true)
    const result = await replaceHostnames(target, review.wanted, review.current)
    setBusy(false)
    setReview(null)
    if (result.ok) setText(null)
    void load(target)
  }

  return (
    <section className="panel" aria-labelledby="hostnames-title">
      <h2 id="hostnames-title">mTLS hostnames on {zoneName}</h2>
      <p className="muted">
        Hostnames listed here ask visitors for a client certificate issued by the chosen CA. Enforcement also needs an mTLS rule in the
        zone's WAF.
      </p>
      <div className="toolbar">
        <div className="field inline">
          <label htmlFor={caSelect}>Certificate authority</label>
          <select
            id={caSelect}
            value={caId}
            onChange={(e) => {
              setCaId(e.target.value)
              setText(null)
            }}
          >
            <option value="">Cloudflare-managed CA of {zoneName}</option>
            {byoCas.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name ?? c.id} {c.type === 'gateway_managed' ? '(Cloudflare managed)' : '(your CA)'}
              </option>
            ))}
          </select>
        </div>
      </div>
      {error ? <ErrorBox error={error} onRetry={() => void load(target)} /> : null}
      <PemTextArea
        id={listId}
        label="Hostnames, one per line"
        rows={8}
        value={edited}
        disabled={loading && text === null}
        onChange={(e) => setText(e.target.value)}
        placeholder={`api.${zoneName}`}
        aria-describedby={`${listId}-help`}
      />
      <p id={`${listId}-help`} className="muted small">
        {loading
          ? 'Loading the current list…'
          : `${hostnames.length} hostname${hostnames.length === 1 ? '' : 's'} associated now. An empty list removes them all.`}
      </p>
      <div className="form-actions">
        <button type="button" className="primary" disabled={busy || loading} onClick={() => void startReview()}>
          Review changes
        </button>
        <button type="button" disabled={busy || text === null} onClick={() => setText(null)}>
          Discard edits
        </button>
      </div>
      {review ? (
        <ConfirmDialog
          open
          title={`Replace the hostnames on ${zoneName}?`}
          confirmLabel={busy ? 'Saving…' : 'Replace hostnames'}
          danger={review.plan.removed.length > 0}
          busy={busy}
          onConfirm={() => void apply()}
          onCancel={() => setReview(null)}
        >
          <p>Cloudflare replaces the whole list. This is what changes:</p>
          <div className="diff" aria-label="Changes">
            <DiffList title="Added" kind="added" items={review.plan.added} />
            <DiffList title="Removed" kind="removed" items={review.plan.removed} />
            <DiffList title="Kept" kind="kept" items={review.plan.kept} />
          </div>
          {review.plan.added.length + review.plan.removed.length === 0 ? <p className="muted">Nothing changes.</p> : null}
        </ConfirmDialog>
      ) : null}
    </section>
  )
}

function DiffList({ title, kind, items }: { title: string; kind: 'added' | 'removed' | 'kept'; items: string[] }) {
  return (
    <section className={`diff-col ${kind}`} aria-label={`${title} (${items.length})`}>
      <h3>
        {title} ({items.length})
      </h3>
      {items.length ? (
        <ul>
          {items.map((h) => (
            <li key={h}>
              <span aria-hidden="true">{kind === 'added' ? '+ ' : kind === 'removed' ? '− ' : '  '}</span>
              {h}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">none</p>
      )}
    </section>
  )
}

/**
 * The CAs a zone's hostnames can be associated with: each uploaded CA, and Cloudflare's managed
 * Gateway CA once — the account lists one "Gateway CA - Cloudflare Managed" entry per Gateway
 * certificate, all with the same name, which the picker would otherwise repeat.
 */
export function hostnameCaChoices(cas: readonly MtlsCertificateSummary[]): MtlsCertificateSummary[] {
  const managed = new Set<string>()
  return cas.filter((c) => {
    if (!c.ca) return false
    if (c.type !== 'gateway_managed') return true
    const label = c.name ?? c.id
    if (managed.has(label)) return false
    managed.add(label)
    return true
  })
}
