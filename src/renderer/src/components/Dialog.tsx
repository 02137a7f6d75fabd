/**
 * A modal built on <dialog>: the browser traps focus, Escape closes it, and the rest of the page is
 * inert while it is open. Mount it only while it is needed (`{open ? <Dialog …/> : null}`) or keep
 * it mounted with `open`; each instance has its own title id.
 */
import { useEffect, useId, useRef, useState, useSyncExternalStore, type ReactNode } from 'react'

/**
 * The open modal dialogs, newest last. While a modal is open everything outside it is inert, so
 * whatever must stay clickable above it (toasts) is rendered inside the newest one.
 */
const openModals: HTMLDialogElement[] = []
const modalListeners = new Set<() => void>()
function setModalOpen(dialog: HTMLDialogElement, open: boolean): void {
  const at = openModals.indexOf(dialog)
  if (open && at === -1) openModals.push(dialog)
  else if (!open && at !== -1) openModals.splice(at, 1)
  else return
  for (const listener of modalListeners) listener()
}

/** The newest open modal dialog, or null; re-renders the caller when it changes. */
export function useTopModal(): HTMLDialogElement | null {
  return useSyncExternalStore(
    (listener) => {
      modalListeners.add(listener)
      return () => modalListeners.delete(listener)
    },
    () => openModals[openModals.length - 1] ?? null,
  )
}

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
    setModalOpen(dialog, dialog.open)
    return () => setModalOpen(dialog, false)
  }, [open])
  return (
    <dialog
      ref={ref}
      className={`dialog${wide ? ' wide' : ''}`}
      aria-labelledby={titleId}
      onClose={(event) => {
        setModalOpen(event.currentTarget, false)
        onClose()
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <div className="dialog-body">{children}</div>
      <div className="dialog-actions">{actions}</div>
    </dialog>
  )
}

/** The action that only closes a dialog: "Close", or "Done" (the primary action) once the dialog's work is done. */
export function CloseButton({ onClose, done = false, disabled }: { onClose: () => void; done?: boolean; disabled?: boolean }) {
  return (
    <button type="button" className={done ? 'primary' : undefined} disabled={disabled} onClick={onClose}>
      {done ? 'Done' : 'Close'}
    </button>
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
  wide,
}: {
  title: string
  open: boolean
  confirmLabel: string
  danger?: boolean
  busy?: boolean
  wide?: boolean
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
      wide={wide}
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

/**
 * A dialog whose confirm button runs an action: both buttons wait while it runs (the confirm button says
 * `runningLabel`), and the dialog closes when the action returns true.
 */
export function ActionDialog({
  title,
  confirmLabel,
  runningLabel,
  run,
  onClose,
  children,
  ...rest
}: {
  title: string
  confirmLabel: string
  runningLabel: string
  run: () => Promise<boolean>
  onClose: () => void
  children: ReactNode
  danger?: boolean
  wide?: boolean
  confirmDisabled?: boolean
}) {
  const [busy, setBusy] = useState(false)
  const confirm = async () => {
    setBusy(true)
    const done = await run()
    setBusy(false)
    if (done) onClose()
  }
  return (
    <ConfirmDialog
      open
      title={title}
      confirmLabel={busy ? runningLabel : confirmLabel}
      busy={busy}
      onConfirm={() => void confirm()}
      onCancel={onClose}
      {...rest}
    >
      {children}
    </ConfirmDialog>
  )
}
