import { useId, type ReactNode } from 'react'

export interface Choice<T extends string | number> {
  value: T
  label: string
}

/** A select over a fixed list of choices; `onChange` gets the chosen value with its type (a number stays a number). */
export function ChoiceSelect<T extends string | number>({
  id,
  value,
  choices,
  onChange,
  disabled,
}: {
  id: string
  value: T
  choices: ReadonlyArray<Choice<T>>
  onChange: (value: T) => void
  disabled?: boolean
}) {
  return (
    <select
      id={id}
      value={value}
      disabled={disabled}
      onChange={(e) => {
        const choice = choices[e.target.selectedIndex]
        if (choice) onChange(choice.value)
      }}
    >
      {choices.map((c) => (
        <option key={c.value} value={c.value}>
          {c.label}
        </option>
      ))}
    </select>
  )
}

/** A ChoiceSelect with its label beside it (a `field inline` row); it makes its own id to tie the label to the select. */
export function InlineChoice<T extends string | number>({
  label,
  ...select
}: {
  label: ReactNode
  value: T
  choices: ReadonlyArray<Choice<T>>
  onChange: (value: T) => void
  disabled?: boolean
}) {
  const id = useId()
  return (
    <div className="field inline">
      <label htmlFor={id}>{label}</label>
      <ChoiceSelect id={id} {...select} />
    </div>
  )
}
