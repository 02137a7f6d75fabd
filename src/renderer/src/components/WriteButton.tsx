import type { ReactNode } from 'react'

/**
 * A button for a change the token may lack the permission for (`missing`, from useMissingPermission):
 * then it is disabled, says why in its title, and (unless `note` is false) the need stands next to it.
 */
export function WriteButton({
  missing,
  note = true,
  className,
  disabled,
  onClick,
  children,
  keyShortcuts,
}: {
  missing: string | null
  note?: boolean
  className?: string
  disabled?: boolean
  onClick: () => void
  children: ReactNode
  keyShortcuts?: string
}) {
  return (
    <>
      {note && missing ? <span className="needs-permission">{missing}</span> : null}
      <button
        type="button"
        className={className}
        disabled={disabled || missing !== null}
        title={missing ?? undefined}
        onClick={onClick}
        aria-keyshortcuts={keyShortcuts}
      >
        {children}
      </button>
    </>
  )
}
