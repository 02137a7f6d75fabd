import { useEffect, type ReactNode } from 'react'

/** A side panel for details; Escape closes it. */
export function Drawer({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [onClose])
  return (
    <aside className="drawer" aria-label={title}>
      <header className="drawer-header">
        <h2>{title}</h2>
        <button type="button" className="icon-button" aria-label="Close details" onClick={onClose}>
          ×
        </button>
      </header>
      <div className="drawer-body">{children}</div>
    </aside>
  )
}
