import type { Failure } from '../../../shared/errors'
import { Hint, Prose } from './Prose'

/** A failure in place of content: what went wrong, what to do, and a way to try again. */
export function ErrorBox({ error, onRetry }: { error: Pick<Failure, 'message' | 'hint'>; onRetry?: () => void }) {
  return (
    <div className="error-box" role="alert">
      <strong>
        <Prose text={error.message} />
      </strong>
      <Hint text={error.hint} className="muted" />
      {onRetry ? (
        <div className="form-actions">
          <button type="button" onClick={onRetry}>
            Try again
          </button>
        </div>
      ) : null}
    </div>
  )
}
