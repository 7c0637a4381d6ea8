import { ArrowDownWideNarrow, ArrowUpNarrowWide, ChevronDown, LayoutGrid, Search, Table2, Tag, X } from "lucide-react";
import { DropdownMenu as Menu } from "radix-ui";
import { useCallback, useEffect, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { DropdownMenu, DropdownMenuContent, DropdownMenuLabel, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { Input, Label, NativeSelect } from "@/components/ui/input";
import { formatNumber } from "@/lib/i18n/format";
import { cn } from "@/lib/utils";
import type { HostsView } from "../hooks/use-hosts-view";
import { type HostsSearch, SORT_KEYS, type SortKey, STATUS_FILTERS, type StatusFilter } from "../model/filters";
import { t } from "../messages";

export type SearchChange = { [K in keyof HostsSearch]?: HostsSearch[K] | undefined };

/** The search box: typing is local and reaches the URL after a pause. */
function SearchBox({ q, onChange }: { q: string | undefined; onChange: (q: string) => void }) {
  const id = useId();
  const [text, setText] = useState(q ?? "");
  const [synced, setSynced] = useState(q);
  const [pushed, setPushed] = useState<string | null>(null);
  if (q !== synced) {
    // The URL changed: back/forward or "clear filters" (not what this box just sent).
    setSynced(q);
    if ((q ?? "") !== (pushed ?? "") && (q ?? "") !== text) setText(q ?? "");
  }
  useEffect(() => {
    if (text === (q ?? "")) return;
    const timer = setTimeout(() => {
      setPushed(text);
      onChange(text);
    }, 200);
    return () => clearTimeout(timer);
  }, [text, q, onChange]);
  return (
    <div className="relative min-w-48 flex-1 sm:max-w-xs">
      <Label htmlFor={id} className="sr-only">
        {t("search")}
      </Label>
      <Search className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground" aria-hidden="true" />
      <Input id={id} type="search" value={text} onChange={(event) => setText(event.target.value)} placeholder={t("searchPlaceholder")} className="pl-8" autoComplete="off" />
    </div>
  );
}

function LabelFilter({ available, selected, onChange }: { available: { pair: string; count: number }[]; selected: string[]; onChange: (labels: string[]) => void }) {
  const chosen = new Set(selected);
  const toggle = (pair: string, on: boolean) => onChange(on ? [...selected, pair] : selected.filter((p) => p !== pair));
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="outline" className={cn(selected.length > 0 && "border-primary")}>
          <Tag aria-hidden="true" />
          {selected.length > 0 ? t("labelsCount", { count: selected.length }) : t("labels")}
          <ChevronDown aria-hidden="true" className="opacity-60" />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" className="max-h-80 max-w-[calc(100vw-2rem)] overflow-y-auto">
        <DropdownMenuLabel>{t("labels")}</DropdownMenuLabel>
        {available.length === 0 ? <p className="px-2 py-1.5 text-sm text-muted-foreground">{t("noLabels")}</p> : null}
        {available.map(({ pair, count }) => (
          <Menu.CheckboxItem
            key={pair}
            checked={chosen.has(pair)}
            onCheckedChange={(on) => toggle(pair, on)}
            onSelect={(event) => event.preventDefault()}
            aria-label={`${pair} (${formatNumber(count, 0)})`}
            className="flex cursor-default items-center gap-2 rounded-sm px-2 py-1.5 text-sm outline-none select-none data-[highlighted]:bg-muted"
          >
            <span aria-hidden="true" className={cn("flex size-4 shrink-0 items-center justify-center rounded border", chosen.has(pair) && "border-primary bg-primary text-primary-foreground")}>
              {chosen.has(pair) ? "✓" : null}
            </span>
            <span className="truncate">{pair}</span>
            <span className="ml-auto pl-3 text-xs text-muted-foreground tabular-nums">{formatNumber(count, 0)}</span>
          </Menu.CheckboxItem>
        ))}
        {selected.length > 0 ? (
          <>
            <DropdownMenuSeparator />
            <Menu.Item onSelect={() => onChange([])} className="flex items-center gap-2 rounded-sm px-2 py-1.5 text-sm outline-none select-none data-[highlighted]:bg-muted">
              <X className="size-4" aria-hidden="true" />
              {t("clearLabels")}
            </Menu.Item>
          </>
        ) : null}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

export function HostsToolbar({
  search,
  onChange,
  labels,
  statusCounts,
  view,
  onViewChange,
}: {
  search: HostsSearch;
  onChange: (change: SearchChange) => void;
  labels: { pair: string; count: number }[];
  statusCounts: Record<StatusFilter, number>;
  view: HostsView;
  onViewChange: (view: HostsView) => void;
}) {
  const statusId = useId();
  const sortId = useId();
  const sort = search.sort ?? "name";
  const desc = search.desc ?? false;
  const filtered = Boolean(search.q || search.status || search.labels?.length);
  const onQuery = useCallback((q: string) => onChange({ q: q.trim() === "" ? undefined : q }), [onChange]);
  return (
    <div className="flex flex-wrap items-center gap-2" role="search">
      <SearchBox q={search.q} onChange={onQuery} />
      <div>
        <Label htmlFor={statusId} className="sr-only">
          {t("status")}
        </Label>
        <NativeSelect id={statusId} value={search.status ?? ""} onChange={(event) => onChange({ status: (event.target.value || undefined) as StatusFilter | undefined })} className="w-auto">
          <option value="">{t("anyStatus")}</option>
          {STATUS_FILTERS.map((status) => (
            <option key={status} value={status}>
              {t(status)} ({formatNumber(statusCounts[status], 0)})
            </option>
          ))}
        </NativeSelect>
      </div>
      <LabelFilter available={labels} selected={search.labels ?? []} onChange={(next) => onChange({ labels: next.length > 0 ? next : undefined })} />
      <div className="flex items-center gap-1">
        <Label htmlFor={sortId} className="sr-only">
          {t("sortBy")}
        </Label>
        <NativeSelect id={sortId} value={sort} onChange={(event) => onChange({ sort: event.target.value as SortKey, desc: event.target.value !== "name" && event.target.value !== "status" ? true : undefined })} className="w-auto">
          {SORT_KEYS.map((key) => (
            <option key={key} value={key}>
              {t("sortBy")}: {t(`sort_${key}`)}
            </option>
          ))}
        </NativeSelect>
        <Button variant="outline" size="icon" aria-label={t("toggleDirection")} aria-pressed={desc} title={desc ? t("descending") : t("ascending")} onClick={() => onChange({ desc: desc ? undefined : true })}>
          {desc ? <ArrowDownWideNarrow aria-hidden="true" /> : <ArrowUpNarrowWide aria-hidden="true" />}
        </Button>
      </div>
      {filtered ? (
        <Button variant="ghost" onClick={() => onChange({ q: undefined, status: undefined, labels: undefined })}>
          <X aria-hidden="true" />
          {t("clearFilters")}
        </Button>
      ) : null}
      <div role="group" aria-label={t("view")} className="ml-auto flex rounded-md border bg-card p-0.5">
        {(["grid", "table"] as const).map((option) => {
          const Icon = option === "grid" ? LayoutGrid : Table2;
          return (
            <Button
              key={option}
              variant="ghost"
              size="sm"
              aria-pressed={view === option}
              onClick={() => onViewChange(option)}
              className={cn("h-7 px-2.5", view === option && "bg-muted text-foreground")}
            >
              <Icon aria-hidden="true" />
              {t(option)}
            </Button>
          );
        })}
      </div>
    </div>
  );
}
