import type { ReactNode } from 'react'

/** One labelled fact; `code` shows the value as an identifier (serials, ids, paths) in monospace. */
export interface Fact {
  term: string
  value: ReactNode
  code?: boolean
}

/** A definition list of facts about one object, as the detail panes and dialogs show them. */
export function Facts({ facts, label }: { facts: readonly Fact[]; label?: string }) {
  return (
    <dl className="facts" aria-label={label}>
      {facts.map((f) => (
        <FactRow key={f.term} fact={f} />
      ))}
    </dl>
  )
}

function FactRow({ fact }: { fact: Fact }) {
  return (
    <>
      <dt>{fact.term}</dt>
      <dd>{fact.code ? <code>{fact.value}</code> : fact.value}</dd>
    </>
  )
}
