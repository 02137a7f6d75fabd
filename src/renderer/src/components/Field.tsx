/** Form pieces the dialogs share: a labelled monospace text area, a link-styled file chooser, a form that submits in place. */
import { useId, useState, type FormHTMLAttributes, type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes } from 'react'
import { parseHostnames } from '../lib/format'

type AreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'className' | 'spellCheck'>

/**
 * A text area for PEM, CSRs or one-per-line lists, with its label above it. With `wrap`, label and area
 * stand in a `<div className={wrap}>` (grid forms); without, the label carries the `field` class. Without an `id`, it
 * makes its own to tie the label to the area.
 */
export function PemTextArea({ id: given, label, wrap, ...area }: { id?: string; label: ReactNode; wrap?: string } & AreaProps) {
  const own = useId()
  const id = given ?? own
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

/**
 * A hostname list typed one per line (or separated by commas or spaces): the parent gets it parsed (trimmed, lower-cased,
 * without repeats) as the user types, and never has to parse the text itself.
 */
export function HostnameListField({
  onHostnames,
  initial = '',
  ...area
}: {
  label: ReactNode
  wrap?: string
  rows: number
  placeholder?: string
  /** The text it starts with (the parent starts from the same list parsed). */
  initial?: string
  onHostnames: (hostnames: string[]) => void
}) {
  const [text, setText] = useState(initial)
  return (
    <PemTextArea
      {...area}
      value={text}
      onChange={(e) => {
        setText(e.target.value)
        onHostnames(parseHostnames(e.target.value))
      }}
    />
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

/** A form whose submit (Enter in a field, or its submit button) runs `onSubmit` instead of loading a page. */
export function SubmitForm({ onSubmit, ...form }: { onSubmit: () => void } & Omit<FormHTMLAttributes<HTMLFormElement>, 'onSubmit'>) {
  return (
    <form
      {...form}
      onSubmit={(e) => {
        e.preventDefault()
        onSubmit()
      }}
    />
  )
}

type SecretProps = { id: string; label: ReactNode; value: string; onValue: (value: string) => void }
type SecretInputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'type' | 'autoComplete' | 'value' | 'onChange'>

/** A new password or passphrase with its label: never filled from saved passwords; the parent keeps the text. */
export function NewSecretField({ id, label, value, onValue, ...input }: SecretProps & SecretInputProps) {
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <input id={id} type="password" autoComplete="new-password" value={value} onChange={(e) => onValue(e.target.value)} {...input} />
    </>
  )
}

/** The same secret typed again: marked invalid while `mismatch`, with `message` (or a blank line) said live below it. */
export function RepeatSecretField({ mismatch, message, ...field }: SecretProps & { mismatch: boolean; message: string | null }) {
  return (
    <>
      <NewSecretField {...field} aria-invalid={mismatch || undefined} aria-describedby={`${field.id}-e`} />
      <span id={`${field.id}-e`} className="field-error" aria-live="polite">
        {message ?? '\u00a0'}
      </span>
    </>
  )
}
