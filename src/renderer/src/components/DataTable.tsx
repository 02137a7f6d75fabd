/**
 * The app's plain data table: a header row from column definitions, one row per item, and an optional
 * actions column (hidden header, a row of buttons). Long or virtualised lists use VirtualTable instead.
 */
import type { ReactNode } from 'react'

export interface Column<T> {
  header: string
  cell: (row: T) => ReactNode
  /** The cell's class; a function picks it per row. */
  className?: string | ((row: T) => string | undefined)
  title?: (row: T) => string | undefined
  /** The cell names its row (`<th scope="row">`). */
  rowHeader?: boolean
}

export type RowKey<T> = (row: T, index: number) => string

/** Rows that carry an `id` are keyed by it unless told otherwise; any other row type needs a `rowKey`. */
type RowKeyProp<T> = T extends { id: string } ? { rowKey?: RowKey<T> } : { rowKey: RowKey<T> }

const byId = (row: unknown): string => (row as { id: string }).id

export function DataTable<T>({
  label,
  columns,
  rows,
  rowKey = byId,
  actions,
  className,
  busy,
}: {
  label: string
  columns: Column<T>[]
  rows: readonly T[]
  /** The buttons at the end of each row. */
  actions?: (row: T) => ReactNode
  /** Extra classes after `data-table`. */
  className?: string
  busy?: boolean
} & RowKeyProp<T>) {
  return (
    <table className={className ? `data-table ${className}` : 'data-table'} aria-label={label} aria-busy={busy}>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.header} scope="col">
              {c.header}
            </th>
          ))}
          {actions ? (
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr key={rowKey(row, i)}>
            {columns.map((c) => {
              const props = { className: typeof c.className === 'function' ? c.className(row) : c.className, title: c.title?.(row) }
              return c.rowHeader ? (
                <th key={c.header} scope="row" {...props}>
                  {c.cell(row)}
                </th>
              ) : (
                <td key={c.header} {...props}>
                  {c.cell(row)}
                </td>
              )
            })}
            {actions ? (
              <td className="actions">
                <div className="row-actions">{actions(row)}</div>
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  )
}
