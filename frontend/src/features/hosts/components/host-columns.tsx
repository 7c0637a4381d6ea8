// The columns of the one table model behind both views: the table renders them as cells, the
// grid uses the same filtered and sorted rows for its cards.
import { Link } from "@tanstack/react-router";
import { createColumnHelper } from "@tanstack/react-table";
import type { Host } from "../api/queries";
import { sortValue } from "../model/filters";
import type { UsageMetric } from "../model/thresholds";
import { t } from "../messages";
import { AlertsSummary, LabelChips, NetRates, StatusText, UsageMeter, useThresholds } from "./host-parts";
import { Sparkline } from "./sparkline";

const column = createColumnHelper<Host>();

function Usage({ host, metric }: { host: Host; metric: UsageMetric }) {
  const levels = useThresholds(host);
  return <UsageMeter host={host} metric={metric} levels={levels[metric]} />;
}

const usage = (metric: UsageMetric) =>
  column.accessor((host) => sortValue(host, metric), {
    id: metric,
    header: () => t(metric),
    cell: ({ row }) => <Usage host={row.original} metric={metric} />,
    sortDescFirst: true,
    meta: { className: "w-32 shrink-0" },
  });

export const hostColumns = [
  column.accessor("name", {
    id: "name",
    header: () => t("name"),
    cell: ({ row }) => (
      <div className="flex min-w-0 flex-col gap-0.5">
        <Link
          to="/hosts/$agentId"
          params={{ agentId: String(row.original.id) }}
          className="truncate font-medium underline-offset-4 hover:underline"
          data-host-link={row.original.id}
        >
          {row.original.name}
        </Link>
        <LabelChips labels={row.original.labels} />
      </div>
    ),
    sortDescFirst: false,
    meta: { className: "flex-1" },
  }),
  column.accessor((host) => sortValue(host, "status"), {
    id: "status",
    header: () => t("status"),
    cell: ({ row }) => <StatusText host={row.original} stacked className="text-xs" />,
    sortDescFirst: false,
    meta: { className: "w-36 shrink-0" },
  }),
  usage("cpu"),
  usage("memory"),
  usage("disk"),
  column.display({
    id: "network",
    header: () => t("network"),
    cell: ({ row }) => <NetRates host={row.original} className="flex-col items-start gap-0" />,
    meta: { className: "w-24 shrink-0" },
  }),
  column.display({
    id: "trend",
    header: () => t("cpuTrend"),
    cell: ({ row }) => <Sparkline agentId={row.original.id} name={row.original.name} />,
    meta: { className: "w-32 shrink-0 hidden 2xl:flex" },
  }),
  column.display({
    id: "alerts",
    header: () => t("alerts"),
    cell: ({ row }) => <AlertsSummary agentId={row.original.id} />,
    meta: { className: "w-40 shrink-0" },
  }),
];

export function columnClass(meta: unknown): string | undefined {
  if (typeof meta === "object" && meta !== null && "className" in meta && typeof meta.className === "string") return meta.className;
  return undefined;
}
