import { useWindowVirtualizer } from "@tanstack/react-virtual";
import { useRef } from "react";
import { cn } from "@/lib/utils";
import type { Monitor, Uptime } from "../api/types";
import { useListTop } from "../hooks/use-list-top";
import { t } from "../messages";
import { MonitorRow, ROW_GRID } from "./monitor-row";

const ESTIMATED_ROW = 72;

/**
 * The monitors as rows under one header; only the rows near the viewport are mounted (an
 * organization may have thousands), each measured as it renders (rows wrap on phones).
 */
export function MonitorList({
  monitors,
  uptimes,
  selected,
  selectable,
  onSelect,
  onSelectAll,
  onLabel,
}: {
  monitors: readonly Monitor[];
  uptimes: ReadonlyMap<number, Uptime> | undefined;
  selected: ReadonlySet<number>;
  selectable: boolean;
  onSelect: (id: number, selected: boolean) => void;
  onSelectAll: (selected: boolean) => void;
  onLabel: (pair: string) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const top = useListTop(ref);
  const virtualizer = useWindowVirtualizer({
    count: monitors.length,
    estimateSize: () => ESTIMATED_ROW,
    overscan: 6,
    scrollMargin: top,
    getItemKey: (index) => monitors[index]?.id ?? index,
    useFlushSync: false,
  });
  const items = virtualizer.getVirtualItems();
  const allSelected = monitors.length > 0 && monitors.every((monitor) => selected.has(monitor.id));
  const someSelected = !allSelected && monitors.some((monitor) => selected.has(monitor.id));
  return (
    <div ref={ref} className="rounded-lg border bg-card" data-monitors-list={monitors.length}>
      <div className={cn(ROW_GRID, "border-b bg-muted/40 px-3 py-2 text-xs font-medium text-muted-foreground")}>
        <div className="[grid-area:pick]">
          {selectable ? (
            <input
              type="checkbox"
              className="size-4 accent-primary"
              checked={allSelected}
              ref={(input) => {
                if (input) input.indeterminate = someSelected;
              }}
              onChange={(event) => onSelectAll(event.target.checked)}
              aria-label={t("selectAll")}
            />
          ) : null}
        </div>
        <span aria-hidden="true" className="[grid-area:name]">
          {t("colMonitor")}
        </span>
        <span aria-hidden="true" className="hidden [grid-area:labels] lg:block">
          {t("colLabels")}
        </span>
        <span aria-hidden="true" className="hidden [grid-area:beats] lg:block">
          {t("colHeartbeat")}
        </span>
        <span aria-hidden="true" className="hidden [grid-area:spark] lg:block">
          {t("colResponse")}
        </span>
        <span aria-hidden="true" className="hidden text-right [grid-area:uptime] lg:block">
          {t("colUptime")}
        </span>
      </div>
      <ul aria-label={t("title")} className="relative" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const monitor = monitors[item.index];
          if (!monitor) return null;
          return (
            <MonitorRow
                key={item.key}
                monitor={monitor}
                uptime={uptimes?.get(monitor.id)}
                selected={selected.has(monitor.id)}
                selectable={selectable}
                onSelect={onSelect}
                onLabel={onLabel}
                measureRef={virtualizer.measureElement}
                index={item.index}
                start={item.start - top}
              />
          );
        })}
      </ul>
    </div>
  );
}
