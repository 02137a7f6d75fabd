import { useState, type ReactNode } from 'react'
import { useMissingPermission, type WriteNeed } from './usePermission'

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

/**
 * A WriteButton that opens a dialog or a wizard: `dialog(close)` is shown from a click until it closes itself. It is
 * refused (disabled, saying why) when the token lacks the permission for `need` on `where`.
 */
export function OpenButton({
  need,
  where,
  dialog,
  ...button
}: Omit<Parameters<typeof WriteButton>[0], 'onClick' | 'missing'> & {
  need: WriteNeed
  where: string
  dialog: (close: () => void) => ReactNode
}) {
  const missing = useMissingPermission(need, where)
  const [open, setOpen] = useState(false)
  return (
    <>
      <WriteButton {...button} missing={missing} onClick={() => setOpen(true)} />
      {open ? dialog(() => setOpen(false)) : null}
    </>
  )
}
