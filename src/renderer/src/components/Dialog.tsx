/**
 * A modal built on <dialog>: the browser traps focus, Escape closes it, and the rest of the page is
 * inert while it is open. Mount it only while it is needed (`{open ? <Dialog …/> : null}`) or keep
 * it mounted with `open`; each instance has its own title id.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react'

export function Dialog({
  title,
  open,
  onClose,
  children,
  actions,
  wide,
}: {
  title: string
  open: boolean
  onClose: () => void
  children: ReactNode
  actions: ReactNode
  wide?: boolean
}) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    if (open && !dialog.open) dialog.showModal()
    if (!open && dialog.open) dialog.close()
  }, [open])
  return (
    <dialog ref={ref} className={`dialog${wide ? ' wide' : ''}`} aria-labelledby={titleId} onClose={onClose}>
      <h2 id={titleId}>{title}</h2>
      <div className="dialog-body">{children}</div>
      <div className="dialog-actions">{actions}</div>
    </dialog>
  )
}

/** A yes/no confirmation that names exactly what will happen. */
export function ConfirmDialog({
  title,
  open,
  confirmLabel,
  danger,
  busy,
  confirmDisabled,
  onConfirm,
  onCancel,
  children,
}: {
  title: string
  open: boolean
  confirmLabel: string
  danger?: boolean
  busy?: boolean
  /** The confirm button alone is disabled (e.g. after a refusal); Cancel stays available. */
  confirmDisabled?: boolean
  onConfirm: () => void
  onCancel: () => void
  children: ReactNode
}) {
  return (
    <Dialog
      title={title}
      open={open}
      onClose={onCancel}
      actions={
        <>
          <button type="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
          <button type="button" className={danger ? 'danger' : 'primary'} onClick={onConfirm} disabled={busy || confirmDisabled}>
            {confirmLabel}
          </button>
        </>
      }
    >
      {children}
    </Dialog>
  )
}
