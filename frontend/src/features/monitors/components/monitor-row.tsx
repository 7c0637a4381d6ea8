import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { memo, type Ref, useMemo, useRef } from "react";
import { cn } from "@/lib/utils";
import { heartbeatQuery } from "../api/queries";
import { isKnownType, type Monitor, type Uptime } from "../api/types";
import { useOnScreen } from "../hooks/use-on-screen";
import { beatsOf, formatMs } from "../model/uptime";
import { FILTERABLE_LABEL } from "../search";
import { t } from "../messages";
import { HeartbeatBar, HeartbeatSkeleton } from "./heartbeat-bar";
import { ResponseSparkline } from "./response-sparkline";
import { StatusBadge, UptimeValue } from "./status";

export const ROW_GRID =
  "grid gap-x-4 gap-y-2 [grid-template-areas:'pick_name_name'_'pick_beats_beats'_'pick_spark_uptime'_'pick_labels_labels'] [grid-template-columns:1.5rem_minmax(0,1fr)_auto] lg:items-center lg:[grid-template-areas:'pick_name_labels_beats_spark_uptime'] lg:[grid-template-columns:1.5rem_minmax(12rem,2fr)_minmax(0,1fr)_minmax(9rem,1.6fr)_8.5rem_8rem]";

/** The type's short name and what it checks, e.g. "HTTP · https://example.com". */
export function targetLine(monitor: Pick<Monitor, "type" | "target">): string {
  const type = isKnownType(monitor.type) ? t(`typeShort_${monitor.type}`) : monitor.type.toUpperCase();
  return monitor.target ? `${type} · ${monitor.target}` : type;
}

/** One monitor in the list; its heartbeat and sparkline load once it has been on screen. */
export const MonitorRow = memo(function MonitorRow({
  monitor,
  uptime,
  selected,
  selectable,
  onSelect,
  onLabel,
  measureRef,
  index,
  start,
}: {
  monitor: Monitor;
  uptime: Uptime | undefined;
  selected: boolean;
  selectable: boolean;
  onSelect: (id: number, selected: boolean) => void;
  onLabel: (pair: string) => void;
  measureRef?: Ref<HTMLLIElement>;
  index: number;
  /** px from the list's top (the list is virtualised) */
  start: number;
}) {
  const rowRef = useRef<HTMLDivElement>(null);
  const visible = useOnScreen(rowRef);
  const heartbeat = useQuery({ ...heartbeatQuery(monitor.id), enabled: visible });
  const beats = useMemo(() => (heartbeat.data ? beatsOf(heartbeat.data) : null), [heartbeat.data]);
  const labels = Object.entries(monitor.labels);
  const nameId = `monitor-${monitor.id}`;
  return (
    <li
      ref={measureRef}
      data-index={index}
      data-monitor={monitor.name}
      className="absolute top-0 left-0 w-full border-b"
      style={{ transform: `translateY(${start}px)` }}
    >
      <div ref={rowRef} className={cn(ROW_GRID, "p-3", selected && "bg-primary/5")}>
        <div className="pt-0.5 [grid-area:pick] lg:pt-0">
          {selectable ? (
            <input
              type="checkbox"
              className="size-4 accent-primary"
              checked={selected}
              onChange={(event) => onSelect(monitor.id, event.target.checked)}
              aria-label={t("selectOne", { name: monitor.name })}
            />
          ) : null}
        </div>
        <div className="min-w-0 [grid-area:name]">
          <p className="flex min-w-0 items-center gap-2">
            <StatusBadge status={monitor.status} className="shrink-0" />
            <Link id={nameId} to="/monitors/$monitorId" params={{ monitorId: String(monitor.id) }} className="truncate font-medium hover:underline">
              {monitor.name}
            </Link>
          </p>
          <p className="mt-1 truncate text-xs text-muted-foreground" title={targetLine(monitor)}>
            {targetLine(monitor)}
          </p>
        </div>
        <div className="flex min-w-0 flex-wrap gap-1 [grid-area:labels]" role="group" aria-label={t("labelsOf", { name: monitor.name })}>
          {labels.map(([key, value]) =>
            FILTERABLE_LABEL.test(`${key}:`) ? (
              <button
                key={key}
                type="button"
                onClick={() => onLabel(`${key}:${value}`)}
                title={t("filterByLabel", { label: `${key}=${value}` })}
                className="max-w-full truncate rounded-full border bg-muted px-2 py-0.5 font-mono text-xs hover:border-primary"
              >
                {key}={value}
              </button>
            ) : (
              <span key={key} className="max-w-full truncate rounded-full border bg-muted px-2 py-0.5 font-mono text-xs">
                {key}={value}
              </span>
            ),
          )}
        </div>
        <div className="min-w-0 [grid-area:beats]">
          {beats ? <HeartbeatBar beats={beats} /> : <HeartbeatSkeleton />}
        </div>
        <div className="flex items-center gap-2 [grid-area:spark]">
          {heartbeat.data ? <ResponseSparkline responseMs={heartbeat.data.recent_ms} name={monitor.name} /> : <span className="h-6 w-24" />}
          <span className="text-xs text-muted-foreground tabular-nums" title={t("lastResponse")}>
            {formatMs(monitor.last_response_ms)}
          </span>
        </div>
        <dl className="grid grid-cols-2 gap-x-3 text-right text-xs [grid-area:uptime]">
          <div>
            <dt className="text-muted-foreground">{t("window_24h")}</dt>
            <dd className="font-medium">
              <UptimeValue percent={uptime?.uptime["24h"]} />
            </dd>
          </div>
          <div>
            <dt className="text-muted-foreground">{t("window_30d")}</dt>
            <dd className="font-medium">
              <UptimeValue percent={uptime?.uptime["30d"]} />
            </dd>
          </div>
        </dl>
      </div>
    </li>
  );
});
