/** Form pieces the dialogs share: a labelled monospace text area, and a link-styled file chooser. */
import type { ReactNode, TextareaHTMLAttributes } from 'react'

type AreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'className' | 'spellCheck'>

/**
 * A text area for PEM, CSRs or one-per-line lists, with its label above it. With `wrap`, label and area
 * stand in a `<div className={wrap}>` (grid forms); without, the label carries the `field` class.
 */
export function PemTextArea({ id, label, wrap, ...area }: { id: string; label: ReactNode; wrap?: string } & AreaProps) {
  const textarea = <textarea id={id} className="pem" spellCheck={false} {...area} />
  return wrap ? (
    <div className={wrap}>
      <label htmlFor={id}>{label}</label>
      {textarea}
    </div>
  ) : (
    <>
      <label className="field" htmlFor={id}>
        {label}
      </label>
      {textarea}
    </>
  )
}

/** "Choose a file" as a link: a label for a hidden file input; `onFile` gets the chosen file, if any. */
export function FileLink({
  id,
  children,
  accept,
  className,
  onFile,
}: {
  id: string
  children: ReactNode
  accept?: string
  className?: string
  onFile: (file: File | undefined) => void
}) {
  return (
    <>
      <label htmlFor={id} className={className ? `link-button ${className}` : 'link-button'}>
        {children}
      </label>
      <input id={id} type="file" className="visually-hidden" accept={accept} onChange={(e) => onFile(e.target.files?.[0])} />
    </>
  )
}

/** A row of radio buttons under a legend, one per choice: `[value, text]`. */
export function RadioRow<T extends string>({
  legend,
  name,
  value,
  choices,
  onChange,
  disabled,
  className,
}: {
  legend: string
  name: string
  value: T
  choices: ReadonlyArray<readonly [T, string]>
  onChange: (value: T) => void
  disabled?: boolean
  className?: string
}) {
  return (
    <fieldset className={className ? `radio-row ${className}` : 'radio-row'} disabled={disabled}>
      <legend>{legend}</legend>
      {choices.map(([choice, text]) => (
        <label key={choice}>
          <input type="radio" name={name} checked={value === choice} onChange={() => onChange(choice)} />
          {text}
        </label>
      ))}
    </fieldset>
  )
}

/** A field's own problem, said next to it (a file that cannot be read, say); nothing when there is none. */
export function FieldWarning({ text }: { text: string | null | undefined }) {
  return text ? (
    <p className="warning" role="alert">
      {text}
    </p>
  ) : null
}
