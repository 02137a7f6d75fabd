import { useRef, type KeyboardEvent, type ReactNode } from 'react'

/**
 * WAI-ARIA tabs: arrow keys move between tabs, the current one is the only tab stop. `children` is the current tab's
 * content, shown in its tab panel (with `panelClassName`).
 */
export function Tabs<T extends string>({
  label,
  tabs,
  current,
  onChange,
  idPrefix,
  panelClassName,
  children,
}: {
  label: string
  tabs: ReadonlyArray<{ id: T; label: string }>
  current: T
  onChange: (id: T) => void
  idPrefix: string
  panelClassName?: string
  children: ReactNode
}) {
  const refs = useRef<Array<HTMLButtonElement | null>>([])
  const onKey = (event: KeyboardEvent, index: number) => {
    const delta = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0
    if (!delta) return
    event.preventDefault()
    const next = (index + delta + tabs.length) % tabs.length
    onChange(tabs[next]!.id)
    refs.current[next]?.focus()
  }
  return (
    <>
      <div className="tabs" role="tablist" aria-label={label}>
        {tabs.map((t, i) => (
          <button
            key={t.id}
            ref={(el) => {
              refs.current[i] = el
            }}
            type="button"
            role="tab"
            id={`${idPrefix}-tab-${t.id}`}
            aria-controls={t.id === current ? `${idPrefix}-panel-${t.id}` : undefined}
            aria-selected={t.id === current}
            tabIndex={t.id === current ? 0 : -1}
            className="tab"
            onClick={() => onChange(t.id)}
            onKeyDown={(e) => onKey(e, i)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${idPrefix}-panel-${current}`} aria-labelledby={`${idPrefix}-tab-${current}`} className={panelClassName}>
        {children}
      </div>
    </>
  )
}
