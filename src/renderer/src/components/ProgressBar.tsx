import type { Progress } from '../../../shared/model'

/** Determinate when the total is known, indeterminate otherwise; with a cancel button for jobs. */
export function ProgressBar({ progress, onCancel }: { progress: Progress; onCancel?: () => void }) {
  const { label, done, total, message } = progress
  return (
    <div className="progress" role="group" aria-label={label}>
      <div className="progress-label">
        <span>{label}</span>
        <span className="muted">{total ? `${done} of ${total}` : done ? `${done}` : ''}</span>
      </div>
      <progress value={total ? done : undefined} max={total ?? undefined} aria-label={label} />
      <div className="muted small progress-message" aria-live="polite">
        {message ?? '\u00a0'}
      </div>
      {onCancel ? (
        <div>
          <button type="button" aria-label={`Cancel: ${label}`} onClick={onCancel}>
            Cancel
          </button>
        </div>
      ) : null}
    </div>
  )
}
