// The one TanStack Table model behind the grid and the table: search, status and labels filter
// it, the URL's sort orders it (nulls last either way, a total order so rows never jump).
import {
  createRow,
  getFilteredRowModel,
  memo,
  type OnChangeFn,
  type Row,
  type RowModel,
  type SortingState,
  type Table,
  useReactTable,
} from "@tanstack/react-table";
import { useMemo } from "react";
import type { Host } from "../api/queries";
import { hostColumns } from "../components/host-columns";
import { compareHosts, type HostFilter, type HostsSearch, matchesHost, SORT_KEYS, type SortKey, toHostFilter } from "../model/filters";

/**
 * TanStack's core row model, except that a host object that did not change keeps its Row:
 * a live frame replaces a few hundred hosts, and 2,000 fresh Rows (each with its dozens of
 * closures) every second would be pure garbage.
 */
function reusingCoreRowModel(table: Table<Host>): () => RowModel<Host> {
  let previous = new Map<number, Row<Host>>(); // the last model's rows, by agent id
  return memo(
    () => [table.options.data] as const,
    (data) => {
      const rows: Row<Host>[] = new Array<Row<Host>>(data.length);
      const rowsById: Record<string, Row<Host>> = {};
      const next = new Map<number, Row<Host>>();
      data.forEach((host, index) => {
        let row = previous.get(host.id);
        if (row?.original !== host || row.index !== index) row = createRow(table, getRowId(host), host, index, 0);
        next.set(host.id, row);
        rows[index] = row;
        rowsById[row.id] = row;
      });
      previous = next;
      return { rows, flatRows: rows, rowsById };
    },
    { key: "hosts-core", debug: () => false },
  );
}

function sortedRowModel(table: Table<Host>): () => RowModel<Host> {
  return memo(
    () => [table.getState().sorting, table.getPreSortedRowModel()] as const,
    (sorting, rowModel) => {
      const first = sorting[0];
      const key = SORT_KEYS.find((candidate) => candidate === first?.id);
      if (!first || !key) return rowModel;
      const rows = [...rowModel.rows].sort((a, b) => compareHosts(a.original, b.original, key, first.desc));
      return { rows, flatRows: rows, rowsById: rowModel.rowsById };
    },
    { key: "hosts-sorted", debug: () => false },
  );
}

const getRowId = (host: Host) => String(host.id);
const filterHosts = (row: { original: Host }, _columnId: string, filter: HostFilter) => matchesHost(row.original, filter);

export function useHostsTable(
  hosts: Host[],
  search: HostsSearch,
  onSortChange: (sort: SortKey, desc: boolean) => void,
): Table<Host> {
  const labelsKey = (search.labels ?? []).join("\n");
  const filter = useMemo(
    () => toHostFilter({ q: search.q, status: search.status, labels: labelsKey ? labelsKey.split("\n") : [] }),
    [search.q, search.status, labelsKey],
  );
  const sorting = useMemo<SortingState>(() => [{ id: search.sort ?? "name", desc: search.desc ?? false }], [search.sort, search.desc]);
  const onSortingChange: OnChangeFn<SortingState> = (updater) => {
    const next = (typeof updater === "function" ? updater(sorting) : updater)[0];
    const key = SORT_KEYS.find((candidate) => candidate === next?.id);
    if (next && key) onSortChange(key, next.desc);
  };
  // TanStack Table keeps its own mutable instance and memoises its row models itself; this
  // app does not run the React Compiler, whose memoisation the warning is about.
  // eslint-disable-next-line react-hooks/incompatible-library -- see above
  return useReactTable<Host>({
    data: hosts,
    columns: hostColumns,
    getRowId,
    state: { sorting, globalFilter: filter },
    onSortingChange,
    enableSortingRemoval: false,
    enableMultiSort: false,
    manualSorting: false,
    globalFilterFn: filterHosts,
    getColumnCanGlobalFilter: (column) => column.id === "name",
    getCoreRowModel: reusingCoreRowModel,
    getFilteredRowModel: getFilteredRowModel(),
    getSortedRowModel: sortedRowModel,
  });
}
