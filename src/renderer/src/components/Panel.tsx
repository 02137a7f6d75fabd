import type { ReactNode } from 'react'

/** A titled panel of a screen: the section is named by its heading (`titleId`), with the panel's buttons beside it. */
export function Panel({
  titleId,
  title,
  actions,
  children,
}: {
  titleId: string
  title: ReactNode
  actions: ReactNode
  children: ReactNode
}) {
  return (
    <section className="panel" aria-labelledby={titleId}>
      <div className="panel-header">
        <h2 id={titleId}>{title}</h2>
        <div className="header-actions">{actions}</div>
      </div>
      {children}
    </section>
  )
}
