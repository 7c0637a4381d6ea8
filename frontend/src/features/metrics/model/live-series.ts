// One live chart's data: a capped ring of per-report rows, fed by socket frames outside React,
// seeded (and after a reconnect, gap-filled) from a history answer of the last minutes.
// The chart reads it through the LiveSource interface at most once per animation frame;
// React hears only of column changes (a new core, interface or partition), which are rare.
import type { AlignedData, LiveSource } from "@/components/charts/uplot-chart";
import { RingSeries } from "@/lib/realtime/ring-buffer";
import { type LiveReport, pickSamples } from "./report";
import { type Aligned, type ColumnSpec, compareColumns, lastValueTime, type SeriesPick, type Shaped } from "./shape";

/** Ten minutes of one report a second: more than the five minutes shown. */
export const LIVE_CAPACITY = 600;
/** A report later than this many intervals after the previous one leaves a gap in the line. */
const GAP_INTERVALS = 3;

export class LiveSeries implements LiveSource {
  private ring: RingSeries;
  private specs: ColumnSpec[] = [];
  private cache: AlignedData | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly columnListeners = new Set<() => void>();

  constructor(
    private readonly pick: SeriesPick,
    private readonly capacity = LIVE_CAPACITY,
  ) {
    this.ring = new RingSeries(capacity, 0);
  }

  /** Stable until the set of columns changes (for useSyncExternalStore). */
  get columns(): readonly ColumnSpec[] {
    return this.specs;
  }

  get size(): number {
    return this.ring.size;
  }

  read(): AlignedData {
    this.cache ??= this.ring.toAligned();
    return this.cache;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  subscribeColumns(listener: () => void): () => void {
    this.columnListeners.add(listener);
    return () => this.columnListeners.delete(listener);
  }

  /** One report: a row of this chart's values (null for a column the report lacks). */
  push(report: LiveReport): void {
    const samples = pickSamples(this.pick, report);
    if (samples.size === 0) return;
    const added = [...samples.values()].map((s) => s.spec).filter((spec) => !this.specs.some((c) => c.key === spec.key));
    if (added.length > 0) this.widen(added);
    const last = this.ring.lastTime();
    if (this.ring.size > 0 && report.ts <= last) return;
    const interval = report.interval ?? 1;
    if (this.ring.size > 0 && report.ts - last > GAP_INTERVALS * Math.max(interval, 1)) {
      this.ring.push(
        last + interval,
        this.specs.map(() => null),
      );
    }
    this.ring.push(
      report.ts,
      this.specs.map((spec) => samples.get(spec.key)?.value ?? null),
    );
    this.changed(added.length > 0);
  }

  /**
   * A history answer of the last minutes: its rows up to its newest value, then the live rows
   * newer than that. Run on the first answer and again after a reconnect, it fills the gap the
   * socket missed without losing the frames that came meanwhile.
   */
  merge(history: Shaped): void {
    const before = this.ring.toAligned();
    const added = history.columns.filter((spec) => !this.specs.some((c) => c.key === spec.key));
    const specs = [...this.specs, ...added].sort((a, b) => compareColumns(this.pick, a, b));
    const cut = lastValueTime(history.data);
    const ring = new RingSeries(this.capacity, specs.length);
    if (cut !== null) copyRows(ring, history.columns, history.data, specs, (t) => t <= cut);
    copyRows(ring, this.specs, before, specs, (t) => cut === null || t > cut);
    const structure = added.length > 0 || specs.some((spec, i) => spec.key !== this.specs[i]?.key);
    this.specs = specs;
    this.ring = ring;
    this.changed(structure);
  }

  private widen(added: readonly ColumnSpec[]): void {
    const before = this.ring.toAligned();
    const specs = [...this.specs, ...added].sort((a, b) => compareColumns(this.pick, a, b));
    const ring = new RingSeries(this.capacity, specs.length);
    copyRows(ring, this.specs, before, specs, () => true);
    this.specs = specs;
    this.ring = ring;
  }

  private changed(structure: boolean): void {
    this.cache = null;
    if (structure) for (const listener of this.columnListeners) listener();
    for (const listener of this.listeners) listener();
  }
}

/** Pushes the rows of `data` (columns `from`) that `keep` accepts into `ring` (columns `to`). */
function copyRows(
  ring: RingSeries,
  from: readonly ColumnSpec[],
  data: Aligned | AlignedData,
  to: readonly ColumnSpec[],
  keep: (time: number) => boolean,
): void {
  const times = data[0] as ArrayLike<number>;
  const source = to.map((spec) => from.findIndex((c) => c.key === spec.key));
  for (let i = 0; i < times.length; i += 1) {
    const time = times[i];
    if (time === undefined || !keep(time)) continue;
    const row = source.map((c) => (c < 0 ? null : ((data[c + 1] as ArrayLike<number | null | undefined> | undefined)?.[i] ?? null)));
    ring.push(time, row);
  }
}
