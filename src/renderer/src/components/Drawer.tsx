import { useEffect, useId, useRef, type ReactNode } from 'react'

/**
 * A side panel for details. Escape closes it (unless a dialog is open on top); focus moves into it
 * when it opens and back to where it was when it closes.
 */
export function Drawer({
  title,
  onClose,
  children,
  actions,
}: {
  title: string
  onClose: () => void
  children: ReactNode
  actions?: ReactNode
}) {
  const ref = useRef<HTMLElement>(null)
  const titleId = useId()
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null
    ref.current?.focus()
    return () => previous?.focus?.()
  }, [])
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !document.querySelector('dialog[open]')) onClose()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [onClose])
  return (
    <aside className="drawer" aria-labelledby={titleId} ref={ref} tabIndex={-1}>
      <header className="drawer-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-button" aria-label="Close details" onClick={onClose}>
          ×
        </button>
      </header>
      {actions ? <div className="drawer-actions">{actions}</div> : null}
      <div className="drawer-body" tabIndex={0} role="region" aria-label={`${title}: details`}>
        {children}
      </div>
    </aside>
  )
}
