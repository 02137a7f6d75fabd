import { useEffect, useState } from 'react'
import { EmptyState } from '../../components/EmptyState'
import { ScreenHeader } from '../../components/ScreenHeader'
import { useAppStore } from '../../store'

export function ActivityView() {
  const activity = useAppStore((s) => s.activity)
  const loadActivity = useAppStore((s) => s.loadActivity)
  const [text, setText] = useState('')

  useEffect(() => {
    const timer = setTimeout(() => void loadActivity(text ? { text } : {}), 150)
    return () => clearTimeout(timer)
  }, [loadActivity, text])

  return (
    <>
      <ScreenHeader title="Activity" subtitle="Every change Certdesk made, on this computer. Never secrets." />
      <div className="toolbar">
        <label className="field inline">
          <span>Filter</span>
          <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="action, object or user" />
        </label>
      </div>
      {activity.length === 0 ? (
        <EmptyState title="Nothing here yet">Changes you make (profiles, certificates, trust stores) are recorded here.</EmptyState>
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
            {activity.map((entry, i) => (
              <tr key={`${entry.at}-${i}`}>
                <td>
                  <time dateTime={entry.at}>{new Date(entry.at).toLocaleString()}</time>
                </td>
                <td>{entry.actor}</td>
                <td>
                  <code>{entry.action}</code>
                </td>
                <td>{entry.target}</td>
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
