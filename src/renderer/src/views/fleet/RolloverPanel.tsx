/**
 * The Gateway root rollover runbook of the chosen account: each step with its state, and the one action that
 * moves it on. The switch is offered only at or above the threshold; main asks for the confirmation itself.
 */
import { useEffect, useId, useState } from 'react'
import type { RolloverState } from '../../../../shared/contract/rollover'
import { coverageRatio, DEFAULT_THRESHOLD_PERCENT, percent } from '../../../../shared/coverage'
import { Panel } from '../../components/Panel'
import { shortId } from '../../lib/format'
import { useAppFields, useAppStore } from '../../store'
import type { AccountScope } from '../../store/scope'

type Action = Parameters<ReturnType<typeof useAppFields<'rolloverAction'>>['rolloverAction']>[1]

export function RolloverPanel({ scope }: { scope: AccountScope }) {
  const { rollover, loadRollover, rolloverAction, loadGateway } = useAppFields('rollover', 'loadRollover', 'rolloverAction', 'loadGateway')
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    void loadRollover(scope)
    void loadGateway(scope)
  }, [loadRollover, loadGateway, scope])
  const shown = rollover && rollover.scope.profileId === scope.profileId && rollover.scope.accountId === scope.accountId
  const state = shown ? rollover.state : null
  const act = async (action: Action, extra?: Parameters<typeof rolloverAction>[2]) => {
    setBusy(true)
    await rolloverAction(scope, action, extra)
    setBusy(false)
  }
  return (
    <Panel
      titleId="rollover-title"
      title="Gateway root rollover"
      actions={
        state && !state.confirmedAt ? (
          <button type="button" disabled={busy} onClick={() => void act('abandon')}>
            Abandon
          </button>
        ) : null
      }
    >
      {state ? (
        <Runbook state={state} busy={busy} act={act} />
      ) : shown ? (
        <StartForm busy={busy} act={act} />
      ) : (
        <p className="muted">Loading…</p>
      )}
    </Panel>
  )
}

function StartForm({
  busy,
  act,
}: {
  busy: boolean
  act: (action: Action, extra?: { certificateId?: string; create?: boolean; thresholdPercent?: number }) => Promise<void>
}) {
  const certs = useAppStore((s) => s.gatewayCerts.items)
  const candidates = certs.filter((c) => !c.inUse)
  const [choice, setChoice] = useState('create')
  const [threshold, setThreshold] = useState(DEFAULT_THRESHOLD_PERCENT)
  const ids = { choice: useId(), threshold: useId() }
  return (
    <form
      className="rollover-start"
      onSubmit={(e) => {
        e.preventDefault()
        void act('start', { ...(choice === 'create' ? { create: true } : { certificateId: choice }), thresholdPercent: threshold })
      }}
    >
      <p>
        Move Gateway inspection to a new root without breaking the fleet: deploy it first, watch coverage from the machines’ reports, switch
        only when enough of them trust it. Nothing changes at Cloudflare before you confirm the switch.
      </p>
      <label className="field" htmlFor={ids.choice}>
        New root
      </label>
      <select id={ids.choice} value={choice} onChange={(e) => setChoice(e.target.value)}>
        <option value="create">Create a new Cloudflare-managed root (inactive until the switch)</option>
        {candidates.map((c) => (
          <option key={c.id} value={c.id}>
            {`${c.type === 'custom' ? 'Custom root' : 'Cloudflare root'} ${shortId(c.id)} (${c.bindingStatus ?? 'inactive'})`}
          </option>
        ))}
      </select>
      <label className="field" htmlFor={ids.threshold}>
        Switch when at least this share of reporting machines trust it (%)
      </label>
      <input id={ids.threshold} type="number" min={1} max={100} value={threshold} onChange={(e) => setThreshold(Number(e.target.value))} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy || !(threshold >= 1 && threshold <= 100)}>
          Start rollover
        </button>
      </div>
    </form>
  )
}

type Step = { key: string; done: boolean; title: string; body: React.ReactNode }

/** A step done at a time: once `done.at` is set, "<word> <that time>."; until then `todo` (the controls that do it). */
function timedStep(key: string, title: string, done: { at: string | null; word: string }, todo: React.ReactNode): Step {
  const at = done.at
  return {
    key,
    title,
    done: at !== null,
    body: at ? <span className="small">{`${done.word} ${new Date(at).toLocaleString()}.`}</span> : todo,
  }
}

function Runbook({
  state,
  busy,
  act,
}: {
  state: RolloverState
  busy: boolean
  act: (action: Action, extra?: { thresholdPercent?: number }) => Promise<void>
}) {
  const [threshold, setThreshold] = useState(state.thresholdPercent)
  const thresholdId = useId()
  const c = state.coverage
  const ratio = c ? coverageRatio(c) : 0
  const enough = c !== null && c.total > 0 && ratio * 100 >= state.thresholdPercent
  const locked = state.confirmedAt !== null
  const steps: Step[] = [
    {
      key: 'root',
      done: state.newCertificate !== null,
      title: 'New root chosen',
      body: state.newCertificate ? (
        <span className="small">
          Gateway certificate <code>{state.newCertificate.id}</code>
          {state.newCertificate.expiresOn ? `, expires ${state.newCertificate.expiresOn.slice(0, 10)}` : ''}; now inspecting with{' '}
          {state.oldCertificateId ? <code>{state.oldCertificateId}</code> : 'Cloudflare’s own certificate'}.
        </span>
      ) : (
        <span className="small">Being created: start again to finish.</span>
      ),
    },
    timedStep(
      'kit',
      'Fleet kit exported',
      { at: state.kitExportedAt, word: 'Done' },
      <>
        <button type="button" disabled={busy || locked} onClick={() => void act('exportKit')}>
          Export kit…
        </button>
        <button type="button" disabled={busy || locked} onClick={() => void act('kitExported')}>
          Mark kit exported
        </button>
      </>,
    ),
    {
      key: 'coverage',
      done: enough,
      title: 'Coverage',
      body: (
        <>
          <span className="small">
            {c
              ? `${c.trusted} of ${c.total} reporting machines trust it (${percent(ratio)}), recorded ${new Date(c.at).toLocaleString()}.`
              : 'None recorded yet.'}{' '}
            Threshold {state.thresholdPercent} %.
          </span>
          {locked ? null : (
            <div className="inline-form">
              <button type="button" disabled={busy} onClick={() => void act('recordCoverage')}>
                Use imported reports
              </button>
              <label htmlFor={thresholdId}>Threshold %</label>
              <input
                id={thresholdId}
                type="number"
                min={1}
                max={100}
                value={threshold}
                onChange={(e) => setThreshold(Number(e.target.value))}
              />
              <button
                type="button"
                disabled={busy || threshold === state.thresholdPercent || !(threshold >= 1 && threshold <= 100)}
                onClick={() => void act('setThreshold', { thresholdPercent: threshold })}
              >
                Save threshold
              </button>
            </div>
          )}
        </>
      ),
    },
    timedStep(
      'switch',
      'Switch Gateway to the new root',
      { at: state.switchedAt, word: 'Switched' },
      <>
        {!enough && !locked ? <span className="small">Offered once coverage reaches the threshold.</span> : null}
        <button type="button" className="primary" disabled={busy || (!enough && !locked)} onClick={() => void act('switch')}>
          {locked ? 'Resume the switch' : 'Switch…'}
        </button>
      </>,
    ),
    timedStep(
      'retire',
      'Retire the old root',
      { at: state.retiredAt, word: 'Done' },
      <button type="button" className="danger" disabled={busy || state.step !== 'switched'} onClick={() => void act('retire')}>
        Retire old root…
      </button>,
    ),
  ]
  return (
    <ol className="rollover-steps" aria-label="Rollover steps">
      {steps.map((s) => (
        <li key={s.key} className={s.done ? 'done' : ''}>
          <span className={`badge ${s.done ? 'ok' : 'neutral'}`}>{s.done ? 'done' : 'to do'}</span> <strong>{s.title}</strong>
          <div className="rollover-step-body">{s.body}</div>
        </li>
      ))}
    </ol>
  )
}
