// The per-agent frames of the live socket: the Report JSON the ingestion service normalised
// (core/reports.py), unchanged. Frames have no "type" key; `target_id` is the agent.
import type { ColumnSpec, Labels, SeriesPick } from "./shape";
import { seriesKey } from "./shape";

export type Sample = readonly [name: string, value: number, labels: Labels];

export interface LiveReport {
  agentId: number;
  /** unix seconds */
  ts: number;
  /** seconds between the agent's reports */
  interval: number | null;
  metrics: Readonly<Record<string, number>>;
  series: readonly Sample[];
  hostInfo: Readonly<Record<string, unknown>> | null;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function isLabels(value: unknown): value is Labels {
  return isRecord(value) && Object.values(value).every((v) => typeof v === "string");
}

function isSample(value: unknown): value is readonly [string, number, Labels | undefined] {
  return Array.isArray(value) && typeof value[0] === "string" && typeof value[1] === "number" && (value[2] === undefined || isLabels(value[2]));
}

/** A report frame of an agent, or null for anything else (topic frames, acks, errors). */
export function parseReport(message: Record<string, unknown>): LiveReport | null {
  if ("type" in message) return null;
  const { target_type, target_id, ts, interval, metrics, series, host_info } = message;
  if (target_type !== "agent" || typeof target_id !== "number" || typeof ts !== "number") return null;
  if (!isRecord(metrics)) return null;
  const values: Record<string, number> = {};
  for (const [name, value] of Object.entries(metrics)) if (typeof value === "number") values[name] = value;
  const samples: Sample[] = Array.isArray(series) ? series.filter(isSample).map(([name, value, labels]) => [name, value, labels ?? {}] as const) : [];
  return {
    agentId: target_id,
    ts,
    interval: typeof interval === "number" && interval > 0 ? interval : null,
    metrics: values,
    series: samples,
    hostInfo: isRecord(host_info) ? host_info : null,
  };
}

/** The values a chart takes from one report, by column key. */
export function pickSamples(pick: SeriesPick, report: LiveReport): Map<string, { spec: ColumnSpec; value: number }> {
  const found = new Map<string, { spec: ColumnSpec; value: number }>();
  for (const name of pick.metrics) {
    const value = report.metrics[name];
    if (value !== undefined) found.set(name, { spec: { key: name, name, labels: {} }, value });
  }
  for (const [name, value, labels] of report.series) {
    if (!pick.metrics.includes(name)) continue;
    const key = seriesKey(name, labels);
    found.set(key, { spec: { key, name, labels }, value });
  }
  return found;
}

/** The metric of the latest report: unlabelled, or the first sample of that name. */
export function metricOf(report: LiveReport | null | undefined, name: string): number | null {
  if (!report) return null;
  const value = report.metrics[name];
  return value ?? null;
}

/** Every sample of `name` in the report, with its labels. */
export function samplesOf(report: LiveReport | null | undefined, name: string): { labels: Labels; value: number }[] {
  if (!report) return [];
  return report.series.filter(([n]) => n === name).map(([, value, labels]) => ({ labels, value }));
}
