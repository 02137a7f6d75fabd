import { useEffect, useId, useMemo, useState } from 'react'
import type { ActivityEntry } from '../../../../shared/model'
import { EmptyState } from '../../components/EmptyState'
import { ScreenHeader } from '../../components/ScreenHeader'
import { downloadText, toCsv } from '../../lib/download'
import { useAppStore } from '../../store'

const LIMIT = 5000

function detailText(entry: ActivityEntry): string {
  return entry.detail
    ? Object.entries(entry.detail)
        .map(([k, v]) => `${k}=${v === null ? '' : String(v)}`)
        .join('; ')
    : ''
}

const stamp = () => new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')

export function ActivityView() {
  const activity = useAppStore((s) => s.activity)
  const loadActivity = useAppStore((s) => s.loadActivity)
  const toast = useAppStore((s) => s.toast)
  const [text, setText] = useState('')
  const [action, setAction] = useState('')
  const [outcome, setOutcome] = useState<'' | 'ok' | 'failed'>('')
  const textId = useId()
  const actionId = useId()
  const outcomeId = useId()

  useEffect(() => {
    const timer = setTimeout(() => void loadActivity({ ...(text ? { text } : {}), limit: LIMIT }), 150)
    return () => clearTimeout(timer)
  }, [loadActivity, text])

  const actions = useMemo(() => [...new Set(activity.map((e) => e.action))].sort(), [activity])
  const rows = useMemo(() => activity.filter((e) => (!action || e.action === action) && (!outcome || e.outcome === outcome)), [activity, action, outcome])

  const exportAs = (format: 'csv' | 'json') => {
    const name = `certdesk-activity-${stamp()}.${format}`
    if (format === 'json') downloadText(name, 'application/json', `${JSON.stringify(rows, null, 2)}\n`)
    else
      downloadText(
        name,
        'text/csv',
        toCsv(
          ['at', 'actor', 'action', 'target', 'outcome', 'profileId', 'detail'],
          rows.map((e) => [e.at, e.actor, e.action, e.target, e.outcome, e.profileId, detailText(e)]),
        ),
      )
    toast('success', `Exported ${rows.length} entr${rows.length === 1 ? 'y' : 'ies'} as ${name}.`)
  }

  return (
    <>
      <ScreenHeader
        title="Activity"
        subtitle="Every change Certdesk made, on this computer. Never secrets."
        actions={
          <>
            <button type="button" disabled={rows.length === 0} onClick={() => exportAs('csv')}>
              Export CSV
            </button>
            <button type="button" disabled={rows.length === 0} onClick={() => exportAs('json')}>
              Export JSON
            </button>
          </>
        }
      />
      <div className="toolbar wrap">
        <div className="field inline">
          <label htmlFor={textId}>Filter</label>
          <input id={textId} type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="action, object or user" />
        </div>
        <div className="field inline">
          <label htmlFor={actionId}>Action</label>
          <select id={actionId} value={action} onChange={(e) => setAction(e.target.value)}>
            <option value="">All actions</option>
            {actions.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div className="field inline">
          <label htmlFor={outcomeId}>Outcome</label>
          <select id={outcomeId} value={outcome} onChange={(e) => setOutcome(e.target.value as '' | 'ok' | 'failed')}>
            <option value="">Any</option>
            <option value="ok">ok</option>
            <option value="failed">failed</option>
          </select>
        </div>
        <span className="muted small" aria-live="polite">
          {rows.length === activity.length ? `${activity.length} entries` : `Showing ${rows.length} of ${activity.length} entries`}
        </span>
      </div>
      {activity.length === 0 ? (
        <EmptyState title="Nothing here yet">Changes you make (profiles, certificates, trust stores) are recorded here.</EmptyState>
      ) : rows.length === 0 ? (
        <EmptyState title="No entry matches">Change the filter, action or outcome.</EmptyState>
      ) : (
        <table className="data-table" aria-label="Activity log">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Object</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((entry, i) => (
              <tr key={`${entry.at}-${i}`}>
                <td>
                  <time dateTime={entry.at}>{new Date(entry.at).toLocaleString()}</time>
                </td>
                <td>{entry.actor}</td>
                <td>
                  <code>{entry.action}</code>
                </td>
                <td className="wrap" title={detailText(entry) || undefined}>
                  {entry.target}
                </td>
                <td>
                  <span className={`badge ${entry.outcome === 'ok' ? 'ok' : 'bad'}`}>{entry.outcome}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}
