// The host page's charts: where each gets its data (a history panel or any metric), which
// series it draws and how its columns are named.
import type { HistorySchemas } from "@/lib/api/clients";
import { t } from "../messages";
import type { Labels, SeriesPick } from "./shape";
import { type Unit, unitOfMetric } from "./units";

export type Panel = HistorySchemas["schemas"]["Panel"];
export type ChartSource = { panel: Panel } | { metric: string };

export interface ChartSpec extends SeriesPick {
  id: string;
  title: string;
  source: ChartSource;
  unit: Unit;
  /** what a column is called in the legend and table */
  label: (name: string, labels: Labels) => string;
  /** a single line reads better filled */
  fill?: boolean;
}

const NAMES: Record<string, () => string> = {
  cpu_percent: () => t("col_cpu"),
  memory_percent: () => t("col_memory"),
  swap_percent: () => t("col_swap"),
  load_1: () => t("col_load1"),
  load_5: () => t("col_load5"),
  load_15: () => t("col_load15"),
  disk_read_bytes_per_s: () => t("col_read"),
  disk_write_bytes_per_s: () => t("col_write"),
  net_recv_bytes_per_s: () => t("col_received"),
  net_sent_bytes_per_s: () => t("col_sent"),
};

const named = (name: string) => NAMES[name]?.() ?? name;

/** A custom metric's column: its labels (k=v, ...) or, without any, its name. */
export function labelsText(name: string, labels: Labels): string {
  const keys = Object.keys(labels).sort();
  return keys.length === 0 ? name : keys.map((k) => `${k}=${labels[k] ?? ""}`).join(", ");
}

export const CHARTS = {
  cpu: { id: "cpu", title: t("chart_cpu"), source: { panel: "cpu" }, metrics: ["cpu_percent"], unit: "percent", label: named, fill: true },
  cores: {
    id: "cores",
    title: t("chart_cores"),
    source: { panel: "cores" },
    metrics: ["cpu_core_percent"],
    unit: "percent",
    label: (_name, labels) => t("col_core", { core: labels.core ?? "?" }),
  },
  coreFreq: {
    id: "coreFreq",
    title: t("chart_coreFreq"),
    source: { metric: "cpu_core_freq_mhz" },
    metrics: ["cpu_core_freq_mhz"],
    unit: "mhz",
    label: (_name, labels) => t("col_core", { core: labels.core ?? "?" }),
  },
  memory: { id: "memory", title: t("chart_memory"), source: { panel: "memory" }, metrics: ["memory_percent", "swap_percent"], unit: "percent", label: named },
  load: { id: "load", title: t("chart_load"), source: { panel: "cpu" }, metrics: ["load_1", "load_5", "load_15"], unit: "load", label: named },
  partitions: {
    id: "partitions",
    title: t("chart_partitions"),
    source: { panel: "partitions" },
    metrics: ["partition_percent"],
    unit: "percent",
    label: (_name, labels) => labels.mountpoint ?? labels.device ?? "?",
  },
  diskIo: {
    id: "diskIo",
    title: t("chart_diskIo"),
    source: { panel: "disk" },
    metrics: ["disk_read_bytes_per_s", "disk_write_bytes_per_s"],
    unit: "bytesPerSecond",
    label: named,
  },
  network: {
    id: "network",
    title: t("chart_network"),
    source: { panel: "network" },
    metrics: ["net_recv_bytes_per_s", "net_sent_bytes_per_s"],
    unit: "bytesPerSecond",
    label: named,
  },
  interfaces: {
    id: "interfaces",
    title: t("chart_interfaces"),
    source: { panel: "interfaces" },
    metrics: ["net_if_recv_bytes_per_s", "net_if_sent_bytes_per_s"],
    order: "label",
    unit: "bytesPerSecond",
    label: (name, labels) => t(name === "net_if_recv_bytes_per_s" ? "col_interfaceIn" : "col_interfaceOut", { interface: labels.interface ?? "?" }),
  },
  temperatures: {
    id: "temperatures",
    title: t("chart_temperatures"),
    source: { panel: "temperatures" },
    metrics: ["temperature_celsius"],
    unit: "celsius",
    label: (_name, labels) => labels.sensor ?? labelsText("temperature", labels),
  },
} satisfies Record<string, ChartSpec>;

export type ChartId = keyof typeof CHARTS;

/** Charts of the standard view, in page order; the per-core view adds cores and coreFreq after cpu. */
export function pageCharts(perCore: boolean): ChartSpec[] {
  const c: Record<ChartId, ChartSpec> = CHARTS;
  return [c.cpu, ...(perCore ? [c.cores, c.coreFreq] : []), c.memory, c.load, c.partitions, c.diskIo, c.network, c.interfaces, c.temperatures];
}

/** Every metric some chart of the page already draws (the "more metrics" picker leaves them out). */
export const CHARTED_METRICS: ReadonlySet<string> = new Set(Object.values(CHARTS as Record<ChartId, ChartSpec>).flatMap((c) => [...c.metrics]));

/** The chart of any metric the history service stored, custom ones included. */
export function metricChart(name: string): ChartSpec {
  return { id: `metric:${name}`, title: name, source: { metric: name }, metrics: [name], unit: unitOfMetric(name), label: labelsText };
}

export function sourceKey(source: ChartSource): string {
  return "panel" in source ? `panel:${source.panel}` : `metric:${source.metric}`;
}
