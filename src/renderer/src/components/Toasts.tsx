import { useEffect, useRef } from 'react'
import { useAppStore } from '../store'

/**
 * Outcome toasts. They live in the top layer (a manual popover) so they show above an open modal
 * dialog, which is in the top layer too; re-showing on every change keeps them on top of a dialog
 * opened after them.
 */
export function Toasts() {
  const toasts = useAppStore((s) => s.toasts)
  const dismiss = useAppStore((s) => s.dismissToast)
  const ref = useRef<HTMLDivElement>(null)

  useEffect(() => {
    const el = ref.current
    if (!el || typeof el.showPopover !== 'function') return
    if (el.matches(':popover-open')) el.hidePopover()
    if (toasts.length > 0) el.showPopover()
  }, [toasts])

  return (
    <div ref={ref} popover="manual" className="toasts" role="region" aria-label="Notifications">
      {toasts.map((t) => (
        <div key={t.id} className={`toast ${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>
          <div>
            <div className="toast-message">{t.message}</div>
            {t.hint ? <div className="toast-hint">{t.hint}</div> : null}
          </div>
          <button type="button" className="icon-button" aria-label="Dismiss notification" onClick={() => dismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  )
}
