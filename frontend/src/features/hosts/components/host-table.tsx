import { flexRender, type Header, type Row, type SortingState, type Table } from "@tanstack/react-table";
import { useWindowVirtualizer } from "@tanstack/react-virtual";
import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import { memo, useRef } from "react";
import { cn } from "@/lib/utils";
import type { Host } from "../api/queries";
import { useListGeometry } from "../hooks/use-list-geometry";
import { t } from "../messages";
import { columnClass } from "./host-columns";

const ROW_HEIGHT = 52;

function SortHeader({ header }: { header: Header<Host, unknown> }) {
  const label = flexRender(header.column.columnDef.header, header.getContext());
  if (!header.column.getCanSort()) return <>{label}</>;
  const sorted = header.column.getIsSorted();
  const Icon = sorted === "asc" ? ArrowUp : sorted === "desc" ? ArrowDown : ArrowUpDown;
  return (
    <button
      type="button"
      onClick={header.column.getToggleSortingHandler()}
      className="-mx-1 inline-flex items-center gap-1 rounded px-1 py-0.5 hover:text-foreground focus-visible:outline-2"
    >
      {label}
      <Icon className={cn("size-3.5", sorted ? "text-foreground" : "opacity-50")} aria-hidden="true" />
    </button>
  );
}

// A row re-renders only when its host changed (a new report), not on every frame.
// (Row objects are new whenever the data changes; the host object only when it did.)
const HostRow = memo(
  function HostRow({ row, index, start }: { row: Row<Host>; host: Host; index: number; start: number }) {
    return (
      <tr
        role="row"
        data-host-row={row.original.id}
        aria-rowindex={index + 2}
        className="absolute top-0 left-0 flex w-full items-center border-b hover:bg-muted/40"
        style={{ height: ROW_HEIGHT, transform: `translateY(${start}px)` }}
      >
        {row.getVisibleCells().map((cell) => (
          <td key={cell.id} role="cell" className={cn("flex min-w-0 items-center px-3", columnClass(cell.column.columnDef.meta))}>
            {flexRender(cell.column.columnDef.cell, cell.getContext())}
          </td>
        ))}
      </tr>
    );
  },
  (before, after) => before.host === after.host && before.index === after.index && before.start === after.start,
);

/** The header row; re-rendered when the sort changes, not on every scrolled frame. */
const TableHead = memo(function TableHead({ table }: { table: Table<Host>; sorting: SortingState }) {
  return (
    <thead role="rowgroup" className="grid border-b bg-muted/40 text-left text-xs text-muted-foreground">
      {table.getHeaderGroups().map((group) => (
        <tr key={group.id} role="row" aria-rowindex={1} className="flex w-full">
          {group.headers.map((header) => {
            const sorted = header.column.getIsSorted();
            return (
              <th
                key={header.id}
                role="columnheader"
                scope="col"
                aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                className={cn("flex h-10 items-center px-3 font-medium", columnClass(header.column.columnDef.meta))}
              >
                <SortHeader header={header} />
              </th>
            );
          })}
        </tr>
      ))}
    </thead>
  );
});

/** The table view: the same model's rows, virtualised, sortable from the headers. */
export function HostTable({ table, rows }: { table: Table<Host>; rows: Row<Host>[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const { top } = useListGeometry(ref);
  const virtualizer = useWindowVirtualizer({
    count: rows.length,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    scrollMargin: top,
    useFlushSync: false, // scrolling renders with React's batching, not inside the scroll event
  });
  const items = virtualizer.getVirtualItems();
  // Rows are placed with transforms (no table layout per scrolled frame); the roles keep
  // what a screen reader announces a table.
  return (
    <div ref={ref} className="overflow-x-auto rounded-lg border bg-card" data-hosts-table="">
      <table role="table" className="grid min-w-[60rem] text-sm" aria-rowcount={rows.length + 1}>
        <caption className="sr-only">{t("title")}</caption>
        <TableHead table={table} sorting={table.getState().sorting} />
        <tbody role="rowgroup" className="relative grid [contain:strict]" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index];
            return row ? <HostRow key={row.id} row={row} host={row.original} index={item.index} start={item.start - top} /> : null;
          })}
        </tbody>
      </table>
    </div>
  );
}
