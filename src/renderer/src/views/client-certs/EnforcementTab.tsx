import { useEffect, useMemo, useState, type ReactNode } from 'react'
import type { ProbeResult } from '../../../../shared/probe-model'
import { ConfirmDialog } from '../../components/Dialog'
import { ErrorBox } from '../../components/ErrorBox'
import { DataTable, type Column, type RowKey } from '../../components/DataTable'
import { InlineChoice } from '../../components/ChoiceSelect'
import { useAppFields, useAppStore } from '../../store'
import type { CustomRuleset, DoctorCa, EnforcePlan, EnforceTarget, ZoneDoctorReport } from '../../store/enforcement'
import type { ZoneScope } from '../../store/scope'

type Finding = ZoneDoctorReport['findings'][number]
type Verdict = ZoneDoctorReport['hostnames'][number]
type Rule = CustomRuleset['rules'][number]

const KIND_WORDS: Record<Finding['kind'], string> = {
  not_enforced: 'Not enforced',
  revocation_ignored: 'Revocation ignored',
  never_matches: 'Never matches',
  unassociated_hostname: 'Hostname not associated',
  not_evaluated: 'Not evaluated',
}

/** What Enforce writes for a finding: the revocation clause added to its rule when that can be done, else a new rule. */
export function enforceTargetOf(finding: Finding): EnforceTarget | null {
  if (finding.hostname === undefined || (finding.kind !== 'not_enforced' && finding.kind !== 'revocation_ignored')) return null
  const addClause = finding.kind === 'revocation_ignored' && finding.ruleId !== undefined && finding.expression !== undefined
  return { hostnames: [finding.hostname], ...(addClause ? { ruleId: finding.ruleId } : {}) }
}

export const caName = (verdict: Verdict, cas: readonly DoctorCa[]): string =>
  verdict.ca === undefined ? 'Cloudflare-managed CA' : (cas.find((c) => c.id === verdict.ca)?.name ?? verdict.ca)

/** A table of the tab, its rows keyed by `rowKey`. */
interface TableProps<T> {
  label: string
  columns: Column<T>[]
  rows: readonly T[]
  rowKey: RowKey<T>
}
// DataTable's conditional rowKey prop cannot tell that a generic row has its rowKey given.
const KeyedTable = DataTable as <T>(props: TableProps<T> & { className: string }) => ReactNode

/** One of the tab's compact tables, or the sentence that says it has no rows. */
function CompactTable<T>({ empty, ...table }: TableProps<T> & { empty: string }) {
  return table.rows.length ? <KeyedTable {...table} className="compact" /> : <p className="muted">{empty}</p>
}

/**
 * Whether the zone's WAF custom rules really block what its hostname associations ask for: the hostnames (managed CA
 * and BYO CAs), the rules, the doctor's findings with Enforce, and Test access (Cloudflare docs: "Configure mTLS").
 */
export function EnforcementTab({ zone: given, zoneName }: { zone: ZoneScope; zoneName: string }) {
  // The scope object is rebuilt when the profile is (a refresh of the profiles): the zone is the same while its ids are.
  const zone = useMemo(() => ({ profileId: given.profileId, zoneId: given.zoneId }), [given.profileId, given.zoneId])
  const view = useAppStore((s) => s.enforcement)
  const { loadEnforcement: load } = useAppFields('loadEnforcement')
  const enforce = useEnforce(zone, zoneName)
  useEffect(() => {
    void load(zone)
  }, [load, zone])

  const report = view.report?.zoneId === zone.zoneId ? view.report : null
  const rules = report ? (view.rules?.rules ?? []) : []
  const hostnames = report?.hostnames ?? []
  const hostnameColumns: Column<Verdict>[] = [
    { header: 'Hostname', cell: (h) => h.hostname },
    { header: 'CA', className: 'wrap', cell: (h) => caName(h, view.cas) },
    { header: 'Protected by', className: 'wrap', cell: (h) => h.blockingRule ?? <span className="muted">no rule</span> },
    { header: 'Without a certificate', cell: (h) => <Outcome blocked={h.blocksMissing && h.blocksUnverified} /> },
    { header: 'Revoked certificate', cell: (h) => <Outcome blocked={h.blocksRevoked} /> },
  ]
  const ruleLabel = (rule: Rule) => rule.description || rule.ref || rule.id || rule.expression
  const ruleColumns: Column<Rule>[] = [
    {
      header: 'Rule',
      className: 'wrap',
      cell: (rule) => (
        <>
          {ruleLabel(rule)}
          {rule.enabled === false ? <span className="badge neutral">disabled</span> : null}
        </>
      ),
    },
    { header: 'Action', cell: (rule) => rule.action },
    { header: 'Expression', className: 'wrap', cell: (rule) => <code>{rule.expression}</code> },
    {
      header: 'Protects',
      className: 'wrap-words',
      cell: (rule) => {
        const protects = hostnames.filter((h) => h.blockingRule === ruleLabel(rule)).map((h) => h.hostname)
        return protects.length ? protects.join(', ') : <span className="muted">—</span>
      },
    },
  ]
  return (
    <section className="panel enforcement" aria-labelledby="enforcement-title">
      <div className="panel-header">
        <h2 id="enforcement-title">mTLS enforcement on {zoneName}</h2>
        <button type="button" disabled={view.loading} onClick={() => void load(zone)}>
          {view.loading ? 'Checking…' : 'Check again'}
        </button>
      </div>
      <p className="muted">
        A hostname association only makes Cloudflare ask for a client certificate; a WAF custom rule is what blocks. A revoked certificate
        still counts as verified, so the rule must also block <code>cf.tls_client_auth.cert_revoked</code>.
      </p>
      {view.error ? <ErrorBox error={view.error} onRetry={() => void load(zone)} /> : null}
      {report?.error ? <ErrorBox error={report.error} onRetry={() => void load(zone)} /> : null}
      {view.notes.map((note) => (
        <p key={note} className="warning">
          {note}
        </p>
      ))}
      {!report && view.loading ? (
        <p className="muted" role="status">
          Reading the hostnames and custom rules…
        </p>
      ) : null}
      {report && !report.error ? (
        <>
          <h3>Hostnames that ask for a client certificate</h3>
          <CompactTable
            label="Associated hostnames"
            columns={hostnameColumns}
            rows={hostnames}
            rowKey={(h) => h.hostname}
            empty={`No hostname of ${zoneName} asks for a client certificate (see Hostnames).`}
          />
          <h3>Custom rules</h3>
          <CompactTable
            label="Custom rules"
            columns={ruleColumns}
            rows={rules}
            rowKey={(rule, i) => rule.id ?? String(i)}
            empty="The zone has no WAF custom rule: nothing is blocked for lack of a certificate."
          />
          <h3>Findings</h3>
          {report.findings.length ? (
            <ul className="findings" aria-label="Findings">
              {report.findings.map((f, i) => {
                const target = enforceTargetOf(f)
                return (
                  <li key={`${f.kind}-${f.hostname ?? ''}-${f.rule ?? ''}-${i}`} className="finding error">
                    <div className="finding-head">
                      <span className="badge bad">{KIND_WORDS[f.kind]}</span>
                      {f.hostname ? <strong>{f.hostname}</strong> : null}
                      <span className="muted">{f.rule ? `rule "${f.rule}"` : 'no rule'}</span>
                      <span className="spacer" />
                      {enforce.button(target)}
                    </div>
                    <p>{f.risk}</p>
                    <p className="muted small">Fix: {f.fix}</p>
                  </li>
                )
              })}
            </ul>
          ) : (
            <p role="status">
              <span className="badge ok">Enforced</span> Every associated hostname blocks missing, unverified and revoked certificates.
            </p>
          )}
          <h3>Test access</h3>
          <TestAccess profileId={zone.profileId} hostnames={hostnames.map((h) => h.hostname)} />
        </>
      ) : null}
      {enforce.dialog}
    </section>
  )
}

/**
 * Enforce from a list of findings: `button(target)` is a finding's Enforce button (none without a target), `dialog` the
 * Enforce dialog it opens (null while closed); `onWritten` runs once a rule was written.
 */
export function useEnforce(zone: ZoneScope, zoneName: string, onWritten?: () => void) {
  const [enforcing, setEnforcing] = useState<EnforceTarget | null>(null)
  const button = (target: EnforceTarget | null) =>
    target ? (
      <button type="button" className="primary" onClick={() => setEnforcing(target)}>
        Enforce
      </button>
    ) : null
  const dialog = enforcing ? (
    <EnforceDialog
      zone={zone}
      zoneName={zoneName}
      target={enforcing}
      onClose={(written) => {
        setEnforcing(null)
        if (written) onWritten?.()
      }}
    />
  ) : null
  return { button, dialog }
}

function Outcome({ blocked }: { blocked: boolean }) {
  return blocked ? <span className="badge ok">blocked</span> : <span className="badge bad">passes</span>
}

/**
 * Enforce: the plan first (the one rule before and after, as a diff; nothing else changes), then the write, which main
 * confirms in its own dialog and refuses when the rules changed since the plan.
 */
export function EnforceDialog({
  zone,
  zoneName,
  target,
  onClose,
}: {
  zone: ZoneScope
  zoneName: string
  target: EnforceTarget
  onClose: (written: boolean) => void
}) {
  const { planEnforce, enforce } = useAppFields('planEnforce', 'enforce')
  const [plan, setPlan] = useState<EnforcePlan | null>(null)
  const [failed, setFailed] = useState(false)
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    let live = true
    void planEnforce(zone, target).then((result) => {
      if (!live) return
      if (result.ok) setPlan(result.value)
      else setFailed(true)
    })
    return () => {
      live = false
    }
  }, [planEnforce, zone, target])
  const unchanged = plan?.before !== undefined && plan.before.expression === plan.after.expression
  const write = async () => {
    if (!plan) return
    setBusy(true)
    const result = await enforce(zone, target, plan.version)
    setBusy(false)
    onClose(result.ok)
  }
  const label = (rule: EnforcePlan['after']) => rule.description || rule.id || 'new rule'
  return (
    <ConfirmDialog
      open
      wide
      title={`Enforce mTLS on ${target.hostnames.join(', ')}?`}
      confirmLabel={busy ? 'Writing…' : 'Write the rule'}
      busy={busy}
      confirmDisabled={!plan || unchanged}
      onConfirm={() => void write()}
      onCancel={() => onClose(false)}
    >
      {!plan && !failed ? (
        <p className="muted" role="status">
          Reading the custom rules of {zoneName}…
        </p>
      ) : null}
      {failed ? <p>The plan could not be made; see the message in the corner. Nothing was changed.</p> : null}
      {plan ? (
        <>
          <p>
            {plan.before === undefined ? `Add the rule "${label(plan.after)}"` : `Change the rule "${label(plan.before)}"`} in the custom
            rules of {zoneName} (version {plan.version}). No other rule changes.
          </p>
          <div className="rule-diff" aria-label="Rule before and after">
            {plan.before ? (
              <pre className="removed">
                − {plan.before.action}: {plan.before.expression}
              </pre>
            ) : null}
            <pre className="added">
              + {plan.after.action}: {plan.after.expression}
            </pre>
          </div>
          {unchanged ? <p>The rule already blocks revoked certificates: nothing to change.</p> : null}
        </>
      ) : null}
    </ConfirmDialog>
  )
}

/** The vault keys whose certificate can be presented. */
function usePresentableKeys() {
  const keys = useAppStore((s) => s.vaultKeys)
  const loadKeys = useAppStore((s) => s.loadKeys)
  useEffect(() => {
    void loadKeys()
  }, [loadKeys])
  return useMemo(() => keys.filter((k) => k.certificate !== undefined), [keys])
}

/** Test access: a real HTTPS request to a hostname with a vault key's certificate (and one without), or without one. */
function TestAccess({ profileId, hostnames }: { profileId: string; hostnames: string[] }) {
  const keys = usePresentableKeys()
  const testAccess = useAppStore((s) => s.testAccess)
  const [host, setHost] = useState('')
  const [keyId, setKeyId] = useState('')
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<ProbeResult | null>(null)
  const [error, setError] = useState<{ message: string; hint?: string } | null>(null)
  const hostname = host || hostnames[0] || ''
  const run = async () => {
    setBusy(true)
    setError(null)
    const outcome = await testAccess({ profileId, url: `https://${hostname}/`, ...(keyId ? { keyId } : { noCert: true }) })
    setBusy(false)
    if (outcome.ok) setResult(outcome.value)
    else {
      setResult(null)
      setError(outcome.error)
    }
  }
  if (hostnames.length === 0)
    return <p className="muted">Associate a hostname first: Test access asks a hostname that wants a certificate.</p>
  return (
    <div className="test-access">
      <div className="toolbar">
        <InlineChoice label="Hostname" value={hostname} choices={hostnames.map((h) => ({ value: h, label: h }))} onChange={setHost} />
        <InlineChoice
          label="Certificate"
          value={keyId}
          choices={[
            { value: '', label: 'No certificate' },
            ...keys.map((k) => ({ value: k.id, label: `${k.certificateInfo?.commonName ?? k.label} (vault key ${k.label})` })),
          ]}
          onChange={setKeyId}
        />
        <button type="button" className="primary" disabled={busy || !hostname} onClick={() => void run()}>
          {busy ? 'Testing…' : 'Test access'}
        </button>
      </div>
      {error ? <ErrorBox error={error} /> : null}
      {result ? <ProbeResultView result={result} /> : null}
    </div>
  )
}

/** Each request's outcome: allowed or blocked, the status, the ray id and the rule the edge named. */
export function ProbeResultView({ result }: { result: ProbeResult }) {
  return (
    <div className="probe-result" role="status" aria-label="Test access result">
      <p>
        <strong>{result.verdict}</strong>
      </p>
      <table className="data-table compact" aria-label="Requests sent">
        <thead>
          <tr>
            <th>Request</th>
            <th>Outcome</th>
            <th>Status</th>
            <th>Ray ID</th>
            <th>Rule</th>
          </tr>
        </thead>
        <tbody>
          {result.attempts.map((a) => (
            <tr key={String(a.withCertificate)}>
              <td className="wrap-words">
                {a.withCertificate ? `With ${a.clientCertificate?.subject ?? 'the certificate'}` : 'Without a certificate'}
              </td>
              <td>
                <span className={`badge ${a.outcome === 'blocked' ? 'warn' : 'info'}`}>{a.outcome}</span>
              </td>
              <td>{a.status ?? 'no answer'}</td>
              <td>
                <code>{a.rayId ?? '—'}</code>
              </td>
              <td className="wrap-words">{a.rule?.description ?? a.rule?.id ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {result.attempts.length > 1 ? (
        <ul className="small muted">
          {result.attempts.map((a) => (
            <li key={String(a.withCertificate)}>{a.verdict}</li>
          ))}
        </ul>
      ) : null}
    </div>
  )
}
