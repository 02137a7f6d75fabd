import { useEffect, useRef } from 'react'
import { createPortal } from 'react-dom'
import { useAppStore } from '../store'
import { useTopModal } from './Dialog'
import { Hint, Prose } from './Prose'

/**
 * Outcome toasts. They live in the top layer (a manual popover) so they show above an open modal
 * dialog, which is in the top layer too; re-showing on every change keeps them on top of a dialog
 * opened after them. While a modal is open the page behind it is inert, so the toasts are rendered
 * inside that dialog: still on top, and their Dismiss buttons still work.
 */
export function Toasts() {
  const toasts = useAppStore((s) => s.toasts)
  const dismiss = useAppStore((s) => s.dismissToast)
  const modal = useTopModal()
  const ref = useRef<HTMLDivElement>(null)

  useEffect(() => {
    const el = ref.current
    // A toast raised in the same update that closes its dialog renders into that dialog as it leaves
    // the page; showing a disconnected popover throws (and took the whole window down). The dialog's
    // cleanup re-renders the toasts outside it, and this effect runs again there.
    if (!el || !el.isConnected || typeof el.showPopover !== 'function') return
    if (el.matches(':popover-open')) el.hidePopover()
    if (toasts.length > 0) el.showPopover()
  }, [toasts, modal])

  const region = (
    <div ref={ref} popover="manual" className={modal ? 'toasts over-modal' : 'toasts'} role="region" aria-label="Notifications">
      {toasts.map((t) => (
        <div key={t.id} className={`toast ${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>
          <div>
            <div className="toast-message">
              <Prose text={t.message} />
            </div>
            <Hint text={t.hint} className="toast-hint" />
          </div>
          <button type="button" className="icon-button" aria-label="Dismiss notification" onClick={() => dismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  )
  return modal ? createPortal(region, modal) : region
}
