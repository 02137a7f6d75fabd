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
 *
 * Keyboard: the grid is one Tab stop. It keeps an active row (aria-activedescendant, so focus
 * never has to move into a recycled row): ArrowUp/Down, Home/End and PageUp/PageDown move it and
 * scroll it into view, Space toggles its selection, Enter opens it. Controls inside rows are out
 * of the Tab order (tabIndex -1 in their column definitions) but still work with the mouse.
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
import { memo, useId, useRef, useState, type KeyboardEvent } from 'react'

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
  const [activeIndex, setActiveIndex] = useState(0)
  const scrollRef = useRef<HTMLDivElement>(null)
  const idPrefix = useId()
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
  // The active row stays inside the list when it shrinks (a filter, a refresh).
  const active = Math.min(activeIndex, Math.max(0, model.length - 1))
  const rowId = (index: number) => `${idPrefix}-row-${index}`
  const activeRendered = model.length > 0 && items.some((i) => i.index === active)

  const moveTo = (index: number) => {
    const next = Math.max(0, Math.min(model.length - 1, index))
    setActiveIndex(next)
    virtualizer.scrollToIndex(next, { align: 'auto' })
  }
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget || event.altKey || event.ctrlKey || event.metaKey || model.length === 0) return
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? rowHeight * 10) / rowHeight) - 2)
    const moves: Record<string, number> = {
      ArrowDown: active + 1,
      ArrowUp: active - 1,
      Home: 0,
      End: model.length - 1,
      PageDown: active + page,
      PageUp: active - page,
    }
    const target = moves[event.key]
    if (target !== undefined) {
      event.preventDefault()
      moveTo(target)
    } else if (event.key === ' ' && onSelectionChange) {
      event.preventDefault()
      model[active]?.toggleSelected()
    } else if (event.key === 'Enter' && onActivate && model[active]) {
      event.preventDefault()
      onActivate(model[active].original)
    }
  }

  // Column widths as fractions of the width, like a fixed-layout table: every row lays out alike
  // without measuring its neighbours.
  const gridTemplateColumns = table
    .getVisibleLeafColumns()
    .map((c) => `minmax(0, ${c.getSize()}fr)`)
    .join(' ')

  return (
    <div className="virtual-table" ref={scrollRef} role="region" aria-label={label}>
      <div
        className="vt"
        role="grid"
        aria-label={label}
        aria-rowcount={model.length + 1}
        aria-multiselectable={onSelectionChange ? true : undefined}
        aria-activedescendant={activeRendered ? rowId(active) : undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
        style={{ '--vt-columns': gridTemplateColumns } as React.CSSProperties}
      >
        <div className="vt-head" role="rowgroup">
          {table.getHeaderGroups().map((group) => (
            <div key={group.id} className="vt-row" role="row" aria-rowindex={1}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted()
                return (
                  <div
                    key={header.id}
                    className="vt-cell"
                    role="columnheader"
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                  >
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
                id={rowId(item.index)}
                row={row}
                index={item.index}
                active={item.index === active}
                onPick={setActiveIndex}
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
const VirtualRow = memo(function VirtualRow<T>({ id, row, index, active, height, selected, selectable, onActivate, onPick }: RowProps<T>) {
  return (
    <div
      id={id}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selectable ? selected : undefined}
      className={`vt-row${selected ? ' selected' : ''}${active ? ' active' : ''}`}
      style={{ height }}
      // A click makes the row the active one; the grid keeps focus for the keys.
      onMouseDown={() => onPick(index)}
      onDoubleClick={onActivate ? () => onActivate(row.original) : undefined}
    >
      {row.getVisibleCells().map((cell) => (
        <div key={cell.column.id} className="vt-cell" role="gridcell">
          {flexRender(cell.column.columnDef.cell, cell.getContext())}
        </div>
      ))}
    </div>
  )
}) as <T>(props: RowProps<T>) => React.JSX.Element

interface RowProps<T> {
  id: string
  row: Row<T>
  index: number
  active: boolean
  height: number
  selected: boolean
  selectable: boolean
  onActivate: ((row: T) => void) | undefined
  onPick: (index: number) => void
}
