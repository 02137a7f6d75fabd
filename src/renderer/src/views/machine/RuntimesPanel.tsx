/**
 * Under the verify report's runtimes: Fix for each runtime that does not trust the root (Node.js, Python, git,
 * Java — for this user, no administrator password), and Undo when Certdesk's fix is in place. Main asks for
 * confirmation and names every file it changes; the report is checked again afterwards.
 */
import { useState } from 'react'
import type { FixRuntimeName } from '../../../../shared/contract/runtimes'
import type { VerifyReport } from '../../../../shared/truststore-model'
import { useAppFields } from '../../store'

const NAMES: Record<FixRuntimeName, string> = { node: 'Node.js', python: 'Python', java: 'Java', git: 'git' }

export function RuntimesPanel({ report, pem, onChanged }: { report: VerifyReport; pem?: string | undefined; onChanged?: () => void }) {
  const { fixRuntimes, undoRuntimes } = useAppFields('fixRuntimes', 'undoRuntimes')
  const [busy, setBusy] = useState<string | null>(null)
  const failing = report.runtimes.filter((r) => r.trusts === false || r.drift)
  const fixed = report.runtimes.some((r) => r.fixed)
  if (!failing.length && !fixed) return null
  if (!pem) {
    return (
      <p className="muted small runtimes-panel">
        To fix these runtimes, verify the root’s certificate file (drop it above): the fix needs the certificate, not only its fingerprint.
      </p>
    )
  }
  const act = async (key: string, work: () => Promise<{ ok: boolean }>) => {
    setBusy(key)
    const result = await work()
    setBusy(null)
    if (result.ok) onChanged?.()
  }
  return (
    <div className="form-actions runtimes-panel" role="group" aria-label="Fix runtimes">
      {failing.map((r) => (
        <button
          key={r.runtime}
          type="button"
          className={r.drift ? 'primary' : ''}
          disabled={busy !== null}
          onClick={() => void act(r.runtime, () => fixRuntimes(pem, [r.runtime]))}
        >
          {busy === r.runtime ? 'Fixing…' : `${r.drift ? 'Fix again' : 'Fix'} ${NAMES[r.runtime]}`}
        </button>
      ))}
      {failing.length > 1 ? (
        <button
          type="button"
          className="primary"
          disabled={busy !== null}
          onClick={() =>
            void act('all', () =>
              fixRuntimes(
                pem,
                failing.map((r) => r.runtime),
              ),
            )
          }
        >
          {busy === 'all' ? 'Fixing…' : `Fix all ${failing.length}`}
        </button>
      ) : null}
      {fixed ? (
        <button type="button" className="danger" disabled={busy !== null} onClick={() => void act('undo', () => undoRuntimes(pem))}>
          {busy === 'undo' ? 'Undoing…' : 'Undo runtime fix'}
        </button>
      ) : null}
    </div>
  )
}
