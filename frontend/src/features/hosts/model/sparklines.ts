// Each host's recent CPU values for its card's sparkline: a small fixed ring per host, fed by
// the live handler and read by the sparkline component through useSyncExternalStore. Not in
// React state nor in the query cache (a new array per host per report would churn both).
import type { QueryClient } from "@tanstack/react-query";

export const SPARK_POINTS = 36; // 3 minutes at the usual 5 s report interval

class Ring {
  readonly times = new Float64Array(SPARK_POINTS);
  readonly values = new Float32Array(SPARK_POINTS);
  start = 0;
  size = 0;
  version = 0;

  push(time: number, value: number): boolean {
    if (this.size > 0 && time <= (this.times[(this.start + this.size - 1) % SPARK_POINTS] ?? 0)) return false;
    const index = (this.start + this.size) % SPARK_POINTS;
    this.times[index] = time;
    this.values[index] = value;
    if (this.size < SPARK_POINTS) this.size += 1;
    else this.start = (this.start + 1) % SPARK_POINTS;
    this.version += 1;
    return true;
  }

  /** Oldest first. */
  read(): number[] {
    const out = new Array<number>(this.size);
    for (let i = 0; i < this.size; i += 1) out[i] = this.values[(this.start + i) % SPARK_POINTS] ?? 0;
    return out;
  }
}

export class SparkStore {
  private readonly rings = new Map<number, Ring>();
  private readonly listeners = new Map<number, Set<() => void>>();

  /** A CPU value reported at `time` (unix seconds); repeats and older values are ignored. */
  push(agentId: number, time: number, value: number | null): void {
    if (value === null || !Number.isFinite(value)) return;
    let ring = this.rings.get(agentId);
    if (!ring) {
      ring = new Ring();
      this.rings.set(agentId, ring);
    }
    if (ring.push(time, value)) this.listeners.get(agentId)?.forEach((listener) => listener());
  }

  /** Keeps only these hosts (the others were deleted). */
  retain(agentIds: ReadonlySet<number>): void {
    for (const id of this.rings.keys()) if (!agentIds.has(id)) this.rings.delete(id);
  }

  values(agentId: number): number[] {
    return this.rings.get(agentId)?.read() ?? [];
  }

  version(agentId: number): number {
    return this.rings.get(agentId)?.version ?? 0;
  }

  get hostCount(): number {
    return this.rings.size;
  }

  subscribe(agentId: number, listener: () => void): () => void {
    let set = this.listeners.get(agentId);
    if (!set) {
      set = new Set();
      this.listeners.set(agentId, set);
    }
    set.add(listener);
    return () => {
      const current = this.listeners.get(agentId);
      current?.delete(listener);
      if (current?.size === 0) this.listeners.delete(agentId);
    };
  }
}

// One store per query client (one per tab; tests get their own): it lives and dies with the
// cache it accompanies rather than with the module.
const stores = new WeakMap<QueryClient, SparkStore>();

export function sparkStoreOf(queryClient: QueryClient): SparkStore {
  let store = stores.get(queryClient);
  if (!store) {
    store = new SparkStore();
    stores.set(queryClient, store);
  }
  return store;
}

/** SVG polyline points for `values` (0–100 %) in a width × height box. */
export function sparkPoints(values: readonly number[], width: number, height: number): string {
  if (values.length < 2) return "";
  const step = width / (SPARK_POINTS - 1);
  const offset = width - step * (values.length - 1); // newest at the right edge
  return values
    .map((value, i) => {
      const clamped = Math.min(100, Math.max(0, value));
      return `${(offset + i * step).toFixed(1)},${(height - (clamped / 100) * height).toFixed(1)}`;
    })
    .join(" ");
}
