// History answers and live reports → the columns a uPlot chart draws.
//
// A chart's columns are series picked by metric name (cpu_percent; cpu_core_percent for each
// core, ...). History answers share one time grid per answer, with null where there is no data;
// those nulls stay nulls, so uPlot breaks the line there (a gap, not a line across it).
import type { HistorySchemas } from "@/lib/api/clients";

export type ChartAnswer = HistorySchemas["schemas"]["ChartOut"];
export type AnswerSeries = HistorySchemas["schemas"]["ChartSeriesOut"];
export type Labels = Readonly<Record<string, string>>;
export type Column = (number | null)[];
export type Aligned = [number[], ...Column[]];

export interface ColumnSpec {
  /** metric name plus labels: stable across answers and live frames */
  key: string;
  name: string;
  labels: Labels;
}

/** Which series a chart takes and in which order. */
export interface SeriesPick {
  /** metric names, in the order their columns come */
  metrics: readonly string[];
  /** "label": columns grouped by their labels first (eth0 in, eth0 out, lo in, ...) */
  order?: "metric" | "label";
}

export interface Shaped {
  columns: ColumnSpec[];
  data: Aligned;
}

export function seriesKey(name: string, labels: Labels): string {
  const names = Object.keys(labels).sort();
  if (names.length === 0) return name;
  return `${name}{${names.map((k) => `${k}=${JSON.stringify(labels[k])}`).join(",")}}`;
}

const DIGITS = /(\d+)/;

/** "core 2" before "core 10", "eth1" before "eth10". */
export function naturalCompare(a: string, b: string): number {
  const left = a.split(DIGITS);
  const right = b.split(DIGITS);
  for (let i = 0; i < Math.min(left.length, right.length); i += 1) {
    const x = left[i] ?? "";
    const y = right[i] ?? "";
    if (x === y) continue;
    const numeric = i % 2 === 1; // split with a capture group: odd parts are the digits
    if (numeric) return Number(x) - Number(y) || x.length - y.length;
    return x < y ? -1 : 1;
  }
  return left.length - right.length;
}

function labelText(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k] ?? ""}`)
    .join(",");
}

export function compareColumns(pick: SeriesPick, a: ColumnSpec, b: ColumnSpec): number {
  const byMetric = pick.metrics.indexOf(a.name) - pick.metrics.indexOf(b.name);
  const byLabels = naturalCompare(labelText(a.labels), labelText(b.labels));
  return pick.order === "label" ? byLabels || byMetric : byMetric || byLabels;
}

/** The chart's columns from one history answer; series of other grids are joined on time. */
export function shapeAnswer(pick: SeriesPick, answer: Pick<ChartAnswer, "series">): Shaped {
  const picked = answer.series
    .filter((s) => pick.metrics.includes(s.name))
    .map((s) => ({ spec: { key: seriesKey(s.name, s.labels), name: s.name, labels: s.labels }, series: s }))
    .sort((a, b) => compareColumns(pick, a.spec, b.spec));
  const columns = picked.map((p) => p.spec);
  if (picked.length === 0) return { columns, data: [[]] };
  const first = picked[0]?.series.timestamps ?? [];
  const shared = picked.every((p) => sameGrid(p.series.timestamps, first));
  if (shared) {
    return { columns, data: [first.slice(), ...picked.map((p) => p.series.values.slice())] };
  }
  return { columns, data: join(picked.map((p) => p.series)) };
}

function sameGrid(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a[0] === b[0] && a[a.length - 1] === b[b.length - 1];
}

/** Outer join on time: each series' values where it has them, null elsewhere. */
function join(series: readonly Pick<AnswerSeries, "timestamps" | "values">[]): Aligned {
  const times = [...new Set(series.flatMap((s) => s.timestamps))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const columns = series.map((s) => {
    const column: Column = new Array<number | null>(times.length).fill(null);
    s.timestamps.forEach((t, i) => {
      const at = index.get(t);
      if (at !== undefined) column[at] = s.values[i] ?? null;
    });
    return column;
  });
  return [times, ...columns];
}

/** Whether any column has a value: an answer of only nulls is "no data in this range". */
export function hasValues(data: Aligned): boolean {
  for (let c = 1; c < data.length; c += 1) {
    const column = data[c] ?? [];
    for (const value of column) if (value != null) return true;
  }
  return false;
}

/** The time of the newest row that has any value (history trails nulls for the newest seconds). */
export function lastValueTime(data: Aligned): number | null {
  const times = data[0];
  for (let i = times.length - 1; i >= 0; i -= 1) {
    for (let c = 1; c < data.length; c += 1) {
      if (data[c]?.[i] != null) return times[i] ?? null;
    }
  }
  return null;
}
