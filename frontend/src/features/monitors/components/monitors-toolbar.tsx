import { Search, X } from "lucide-react";
import { type ReactNode, useCallback, useEffect, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input, Label, NativeSelect } from "@/components/ui/input";
import { isKnownType, type MonitorFilters, STATUSES, type Status } from "../api/types";
import { t } from "../messages";

/** The search box: typing is local and reaches the URL after a pause. */
function SearchBox({ q, onChange }: { q: string | undefined; onChange: (q: string | undefined) => void }) {
  const id = useId();
  const [text, setText] = useState(q ?? "");
  const [synced, setSynced] = useState(q);
  const [pushed, setPushed] = useState<string | undefined>(undefined);
  if (q !== synced) {
    // The URL changed: back/forward or "clear filters" (not what this box just sent).
    setSynced(q);
    if (q !== pushed && (q ?? "") !== text.trim()) setText(q ?? "");
  }
  useEffect(() => {
    const next = text.trim() === "" ? undefined : text.trim();
    if (next === q) return;
    const timer = setTimeout(() => {
      setPushed(next);
      onChange(next);
    }, 250);
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

function Select({ label, value, onChange, children }: { label: string; value: string; onChange: (value: string) => void; children: ReactNode }) {
  const id = useId();
  return (
    <div>
      <Label htmlFor={id} className="sr-only">
        {label}
      </Label>
      <NativeSelect id={id} value={value} onChange={(event) => onChange(event.target.value)} className="w-auto max-w-56">
        {children}
      </NativeSelect>
    </div>
  );
}

/** Search, status, type and label filters; all of them live in the URL. */
export function MonitorsToolbar({
  filters,
  onChange,
  types,
  labels,
}: {
  filters: MonitorFilters;
  onChange: (patch: MonitorFilters) => void;
  types: readonly { type: string; title: string }[];
  /** `key:value` pairs to offer */
  labels: readonly string[];
}) {
  const filtered = Boolean(filters.q || filters.status || filters.type || filters.label);
  const onQuery = useCallback((q: string | undefined) => onChange({ q }), [onChange]);
  return (
    <div className="flex flex-wrap items-center gap-2" role="search">
      <SearchBox q={filters.q} onChange={onQuery} />
      <Select label={t("filterStatus")} value={filters.status ?? ""} onChange={(value) => onChange({ status: STATUSES.find((status): status is Status => status === value) })}>
        <option value="">{t("anyStatus")}</option>
        {STATUSES.map((status) => (
          <option key={status} value={status}>
            {t(`status_${status}`)}
          </option>
        ))}
      </Select>
      <Select label={t("filterType")} value={filters.type ?? ""} onChange={(value) => onChange({ type: value === "" ? undefined : value })}>
        <option value="">{t("anyType")}</option>
        {types.map(({ type, title }) => (
          <option key={type} value={type}>
            {isKnownType(type) ? t(`type_${type}`) : title}
          </option>
        ))}
      </Select>
      <Select label={t("filterLabel")} value={filters.label ?? ""} onChange={(value) => onChange({ label: value === "" ? undefined : value })}>
        <option value="">{t("anyLabel")}</option>
        {labels.map((pair) => (
          <option key={pair} value={pair}>
            {pair.replace(":", "=")}
          </option>
        ))}
      </Select>
      {filtered ? (
        <Button variant="ghost" onClick={() => onChange({ q: undefined, status: undefined, type: undefined, label: undefined })}>
          <X aria-hidden="true" />
          {t("clearFilters")}
        </Button>
      ) : null}
    </div>
  );
}
