/**
 * A sortable, selectable table that stays smooth at tens of thousands of rows: TanStack Table owns
 * sorting and selection, TanStack Virtual renders only the rows in view (plus a few), and padding
 * on the body keeps the scrollbar honest. Row height is fixed so nothing jumps while scrolling.
 *
 * It is an ARIA table built from divs, each row a contained CSS grid on shared columns: a <table>
 * re-laid out every row whenever the rows in view changed, and with that (plus building a
 * screenful of rows per frame and rendering inside the scroll event) scrolling 10,000 rows a
 * screenful per frame had long tasks over 50 ms; now it has none (`npm run bench`). Absolutely
 * placed rows with translateY were measured slower: software compositing repaints them.
 */
import {
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type Row,
  type RowSelectionState,
  type SortingState,
} from '@tanstack/react-table'
import { useVirtualizer } from '@tanstack/react-virtual'
import { memo, useRef, useState } from 'react'

export interface VirtualTableProps<T> {
  label: string
  rows: T[]
  columns: Array<ColumnDef<T, unknown>>
  getRowId: (row: T) => string
  rowHeight?: number
  selection?: RowSelectionState
  onSelectionChange?: (selection: RowSelectionState) => void
  onActivate?: (row: T) => void
  initialSorting?: SortingState
}

export function VirtualTable<T>({
  label,
  rows,
  columns,
  getRowId,
  rowHeight = 36,
  selection,
  onSelectionChange,
  onActivate,
  initialSorting = [],
}: VirtualTableProps<T>) {
  const [sorting, setSorting] = useState<SortingState>(initialSorting)
  const scrollRef = useRef<HTMLDivElement>(null)
  // TanStack Table returns functions that the React Compiler must not memoize.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data: rows,
    columns,
    getRowId,
    state: { sorting, ...(selection ? { rowSelection: selection } : {}) },
    onSortingChange: setSorting,
    enableRowSelection: Boolean(onSelectionChange),
    onRowSelectionChange: (updater) => {
      if (!onSelectionChange) return
      onSelectionChange(typeof updater === 'function' ? updater(selection ?? {}) : updater)
    },
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
  })
  const model = table.getRowModel().rows
  const virtualizer = useVirtualizer({
    count: model.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    // Six rows (216 px) beyond the viewport cover a few wheel notches in one frame; more would
    // re-render that many more rows per frame when scrolling a screenful at a time.
    overscan: 6,
    // Render after the scroll event, in React's own task, not synchronously inside it: it keeps
    // each frame's work short. A fling faster than the overscan may show one frame of empty rows.
    useFlushSync: false,
  })
  const items = virtualizer.getVirtualItems()
  const padTop = items[0]?.start ?? 0
  const padBottom = items.length ? virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0) : 0
  // Rows are keyed by slot, not by id (as VS Code's list recycles row templates): a row that scrolls
  // out hands its DOM to the row scrolling in, which React patches instead of building anew. A row
  // that stays in view keeps its slot (consecutive indices have distinct remainders), so it is not
  // touched at all. Creating and dropping a screenful of rows per frame was what made long tasks.
  const slots = Math.max(64, items.length)

  // Column widths as fractions of the width, like a fixed-layout table: every row lays out alike
  // without measuring its neighbours.
  const gridTemplateColumns = table
    .getVisibleLeafColumns()
    .map((c) => `minmax(0, ${c.getSize()}fr)`)
    .join(' ')

  return (
    <div className="virtual-table" ref={scrollRef} role="region" aria-label={label} tabIndex={0}>
      <div className="vt" role="table" aria-label={label} aria-rowcount={model.length + 1} style={{ '--vt-columns': gridTemplateColumns } as React.CSSProperties}>
        <div className="vt-head" role="rowgroup">
          {table.getHeaderGroups().map((group) => (
            <div key={group.id} className="vt-row" role="row" aria-rowindex={1}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted()
                return (
                  <div key={header.id} className="vt-cell" role="columnheader" aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}>
                    {header.column.getCanSort() ? (
                      <button type="button" className="sort-button" onClick={header.column.getToggleSortingHandler()}>
                        {flexRender(header.column.columnDef.header, header.getContext())}
                        <span aria-hidden="true">{sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}</span>
                      </button>
                    ) : (
                      flexRender(header.column.columnDef.header, header.getContext())
                    )}
                  </div>
                )
              })}
            </div>
          ))}
        </div>
        <div className="vt-body" role="rowgroup" style={{ paddingTop: padTop, paddingBottom: padBottom }}>
          {items.map((item) => {
            const row = model[item.index]!
            return (
              <VirtualRow
                key={item.index % slots}
                row={row}
                index={item.index}
                height={rowHeight}
                selected={row.getIsSelected()}
                selectable={Boolean(onSelectionChange)}
                onActivate={onActivate}
              />
            )
          })}
        </div>
      </div>
    </div>
  )
}

/**
 * One row, memoised: while scrolling, rows already on screen are not rendered again; only rows
 * coming into view are. `selected` is passed so a selection change re-renders just that row.
 */
const VirtualRow = memo(function VirtualRow<T>({
  row,
  index,
  height,
  selected,
  selectable,
  onActivate,
}: {
  row: Row<T>
  index: number
  height: number
  selected: boolean
  selectable: boolean
  onActivate: ((row: T) => void) | undefined
}) {
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selectable ? selected : undefined}
      className={selected ? 'vt-row selected' : 'vt-row'}
      style={{ height }}
      onDoubleClick={onActivate ? () => onActivate(row.original) : undefined}
      onKeyDown={
        onActivate
          ? (event) => {
              if (event.key === 'Enter' && event.target === event.currentTarget) onActivate(row.original)
            }
          : undefined
      }
    >
      {row.getVisibleCells().map((cell) => (
        <div key={cell.column.id} className="vt-cell" role="cell">
          {flexRender(cell.column.columnDef.cell, cell.getContext())}
        </div>
      ))}
    </div>
  )
}) as <T>(props: { row: Row<T>; index: number; height: number; selected: boolean; selectable: boolean; onActivate: ((row: T) => void) | undefined }) => React.JSX.Element
