/** Check a site: the chain this machine is shown for HOST[:PORT], who signed it, and whether it verified. */
import type { Failure } from '../../../../shared/errors'
import { useId, useState } from 'react'
import type { ProbeReport } from '../../../../shared/truststore-model'
import { ErrorBox } from '../../components/ErrorBox'
import { ProgressBar } from '../../components/ProgressBar'
import { dateText } from '../../lib/format'
import { useAppStore } from '../../store'
import { SubmitForm } from '../../components/Field'

/** `host`, `host:port`, `[v6]:port` or a URL; a bare IPv6 address keeps port 443. */
export function parseHostPort(text: string): { host: string; port: number } | null {
  const t = text
    .trim()
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/\/.*$/, '')
  if (!t) return null
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(t)
  if (bracket) return { host: bracket[1]!, port: bracket[2] ? Number(bracket[2]) : 443 }
  const colons = t.split(':').length - 1
  if (colons === 1) {
    const [host, port] = t.split(':') as [string, string]
    return /^\d+$/.test(port) ? { host, port: Number(port) } : { host: `${host}:${port}`, port: 443 }
  }
  return { host: t, port: 443 }
}

export function CheckSitePanel() {
  const probe = useAppStore((s) => s.probeHost)
  const stores = useAppStore((s) => s.trustStores)
  const [target, setTarget] = useState('')
  const [busy, setBusy] = useState(false)
  const [report, setReport] = useState<ProbeReport | null>(null)
  const [error, setError] = useState<Failure | null>(null)
  const hostId = useId()

  const run = async () => {
    const parsed = parseHostPort(target)
    if (!parsed) return
    if (parsed.port < 1 || parsed.port > 65535) {
      setError({
        code: 'bad_input',
        message: `Port ${parsed.port} is out of range.`,
        hint: 'A port is between 1 and 65535, e.g. 443 or 8443.',
      })
      return
    }
    setBusy(true)
    setError(null)
    const result = await probe(parsed.host, parsed.port)
    setBusy(false)
    if (!result.ok) {
      setReport(null)
      setError(result.error)
    } else setReport(result.value)
  }
  const storeLabel = (id: string) => stores.find((s) => s.id === id)?.label ?? id

  return (
    <div className="machine-site">
      <section className="panel" aria-labelledby="site-title">
        <h2 id="site-title">Check a site</h2>
        <SubmitForm className="toolbar" onSubmit={() => void run()}>
          <div className="field inline">
            <label htmlFor={hostId}>Host and port</label>
            <input
              id={hostId}
              value={target}
              onChange={(e) => setTarget(e.target.value)}
              placeholder="intranet.example.com:443"
              size={36}
            />
          </div>
          <button type="submit" className="primary" disabled={busy || !target.trim()}>
            {busy ? 'Connecting…' : 'Check'}
          </button>
        </SubmitForm>
        <p className="muted small">
          Certdesk makes a TLS handshake from this machine and shows the chain it is given — behind Gateway inspection, that is Gateway’s
          certificate.
        </p>
        <div className="site-progress">
          {busy ? <ProgressBar progress={{ jobId: 'probe', label: `Connecting to ${target.trim()}`, done: 0, total: null }} /> : null}
        </div>
      </section>
      {error ? <ErrorBox error={error} onRetry={() => void run()} /> : null}
      {report ? (
        <section className="panel" aria-label="Site check result" aria-live="polite">
          <div className="panel-header">
            <h2>
              {report.host}:{report.port}
            </h2>
            <span className={`badge ${report.verified ? 'ok' : 'bad'}`}>
              {report.verified ? 'verified by this machine' : 'not verified'}
            </span>
          </div>
          {report.verifyError ? <p className="warning">{report.verifyError}</p> : null}
          {report.anchor ? (
            <p>
              Signed by the root <strong>{report.anchor.subject}</strong>
              {report.anchor.storeIds.length
                ? `, found in ${report.anchor.storeIds.map(storeLabel).join(', ')}`
                : ', which no store on this machine holds'}
              .
            </p>
          ) : (
            <p className="muted">No store on this machine holds the root that signed this chain.</p>
          )}
          <table className="data-table compact" aria-label="Chain presented, leaf first">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Subject</th>
                <th scope="col">Issued by</th>
                <th scope="col">Expires</th>
                <th scope="col">SHA-256</th>
              </tr>
            </thead>
            <tbody>
              {report.chain.map((c, i) => (
                <tr key={`${c.sha256}-${i}`}>
                  <td>{i === 0 ? 'leaf' : i}</td>
                  <td className="wrap">{c.subject}</td>
                  <td className="wrap">{c.issuer}</td>
                  <td>{dateText(c.notAfter)}</td>
                  <td>
                    <code title={c.sha256}>{c.sha256.slice(0, 16)}…</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </div>
  )
}
