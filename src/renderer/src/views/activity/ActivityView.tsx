import { useEffect, useId, useMemo, useState } from 'react'
import { OUTCOME_WORDS, objectLabel } from '../../../../shared/activity'
import type { ActivityOutcome, ActivityRow } from '../../../../shared/model'
import { type Choice, InlineChoice } from '../../components/ChoiceSelect'
import { DataTable, type Column } from '../../components/DataTable'
import { EmptyState } from '../../components/EmptyState'
import { ScreenHeader } from '../../components/ScreenHeader'
import { downloadText, toCsv } from '../../lib/download'
import { shownCount } from '../../lib/format'
import { useAppFields } from '../../store'

const LIMIT = 5000

const OUTCOME_BADGE: Record<ActivityOutcome, string> = { ok: 'ok', failed: 'bad', cancelled: 'neutral', unknown: 'warn' }

const OUTCOME_CHOICES: Choice<'' | ActivityOutcome>[] = [
  { value: '', label: 'Any' },
  ...(Object.keys(OUTCOME_WORDS) as ActivityOutcome[]).map((o) => ({ value: o, label: OUTCOME_WORDS[o] })),
]

function detailText(entry: ActivityRow): string {
  return entry.detail
    ? Object.entries(entry.detail)
        .map(([k, v]) => `${k}=${v === null ? '' : String(v)}`)
        .join('; ')
    : ''
}

const COLUMNS: Column<ActivityRow>[] = [
  { header: 'When', cell: (entry) => <time dateTime={entry.at}>{new Date(entry.at).toLocaleString()}</time> },
  { header: 'Who', cell: (entry) => entry.actor },
  { header: 'Action', title: (entry) => entry.action, cell: (entry) => entry.words },
  {
    header: 'Object',
    className: 'wrap',
    title: (entry) => detailText(entry) || undefined,
    cell: (entry) => (
      <>
        {objectLabel(entry)}
        {entry.objectId && entry.objectId !== objectLabel(entry) ? (
          <div className="muted small">
            <code>{entry.objectId}</code>
          </div>
        ) : null}
      </>
    ),
  },
  { header: 'Profile', cell: (entry) => entry.profile ?? (entry.profileId ? <span className="muted">removed profile</span> : '—') },
  {
    header: 'Outcome',
    className: 'wrap',
    cell: (entry) => (
      <>
        <span className={`badge ${OUTCOME_BADGE[entry.outcome]}`}>{OUTCOME_WORDS[entry.outcome]}</span>
        {entry.reason ? <div className="small">{entry.reason}</div> : null}
      </>
    ),
  },
]

const stamp = () => new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')

export function ActivityView() {
  const { activity, loadActivity, toast } = useAppFields('activity', 'loadActivity', 'toast')
  const [text, setText] = useState('')
  const [action, setAction] = useState('')
  const [outcome, setOutcome] = useState<'' | ActivityOutcome>('')
  const textId = useId()

  useEffect(() => {
    const timer = setTimeout(() => void loadActivity({ ...(text ? { text } : {}), limit: LIMIT }), 150)
    return () => clearTimeout(timer)
  }, [loadActivity, text])

  const actionChoices = useMemo(
    (): Choice<string>[] => [
      { value: '', label: 'All actions' },
      ...[...new Map(activity.map((e) => [e.action, e.words]))]
        .map(([key, words]) => ({ value: key, label: words }))
        .sort((a, b) => a.label.localeCompare(b.label)),
    ],
    [activity],
  )
  const rows = useMemo(
    () => activity.filter((e) => (!action || e.action === action) && (!outcome || e.outcome === outcome)),
    [activity, action, outcome],
  )

  const exportAs = (format: 'csv' | 'json') => {
    const name = `certdesk-activity-${stamp()}.${format}`
    if (format === 'json') downloadText(name, 'application/json', `${JSON.stringify(rows, null, 2)}\n`)
    else
      downloadText(
        name,
        'text/csv',
        toCsv(
          ['at', 'actor', 'action', 'description', 'object', 'objectId', 'profile', 'outcome', 'reason', 'target', 'detail'],
          rows.map((e) => [
            e.at,
            e.actor,
            e.action,
            e.words,
            objectLabel(e),
            e.objectId,
            e.profile ?? e.profileId,
            OUTCOME_WORDS[e.outcome],
            e.reason,
            e.target,
            detailText(e),
          ]),
        ),
      )
    toast('success', `Exported ${rows.length} entr${rows.length === 1 ? 'y' : 'ies'} as ${name}.`)
  }

  return (
    <>
      <ScreenHeader
        title="Activity"
        subtitle="Every change Certdesk made or tried on this computer, and how it ended. Never secrets."
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
          <input
            id={textId}
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="name, id, profile, user or reason"
          />
        </div>
        <InlineChoice label="Action" value={action} choices={actionChoices} onChange={setAction} />
        <InlineChoice label="Outcome" value={outcome} choices={OUTCOME_CHOICES} onChange={setOutcome} />
        <span className="muted small" aria-live="polite">
          {shownCount(rows.length, activity.length, 'entries')}
        </span>
      </div>
      {activity.length === 0 ? (
        <EmptyState title="Nothing here yet">Changes you make (profiles, certificates, trust stores) are recorded here.</EmptyState>
      ) : rows.length === 0 ? (
        <EmptyState title="No entry matches">Change the filter, action or outcome.</EmptyState>
      ) : (
        <DataTable label="Activity log" columns={COLUMNS} rows={rows} rowKey={(entry, i) => `${entry.at}-${i}`} />
      )}
    </>
  )
}
