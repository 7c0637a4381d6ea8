/** A fixed-size series of (time, values) for live charts: old points fall off, nothing grows. */
export class RingSeries {
  private readonly times: Float64Array;
  private readonly columns: Float64Array[];
  private start = 0;
  private length = 0;

  constructor(readonly capacity: number, readonly width: number) {
    this.times = new Float64Array(capacity);
    this.columns = Array.from({ length: width }, () => new Float64Array(capacity).fill(Number.NaN));
  }

  get size(): number {
    return this.length;
  }

  push(time: number, values: readonly (number | null | undefined)[]): void {
    if (this.length > 0 && time <= this.lastTime()) return; // duplicates and reordering
    const index = (this.start + this.length) % this.capacity;
    this.times[index] = time;
    this.columns.forEach((column, i) => {
      const value = values[i];
      column[index] = value == null ? Number.NaN : value;
    });
    if (this.length < this.capacity) this.length += 1;
    else this.start = (this.start + 1) % this.capacity;
  }

  lastTime(): number {
    return this.times[(this.start + this.length - 1) % this.capacity] ?? Number.NaN;
  }

  /** Oldest first, in uPlot's shape: [times, series1, series2, ...]; NaN becomes null. */
  toAligned(): [number[], ...(number | null)[][]] {
    const times: number[] = new Array<number>(this.length);
    const series: (number | null)[][] = this.columns.map(() => new Array<number | null>(this.length));
    for (let i = 0; i < this.length; i += 1) {
      const index = (this.start + i) % this.capacity;
      times[i] = this.times[index] ?? 0;
      this.columns.forEach((column, c) => {
        const value = column[index] ?? Number.NaN;
        (series[c] as (number | null)[])[i] = Number.isNaN(value) ? null : value;
      });
    }
    return [times, ...series];
  }

  clear(): void {
    this.start = 0;
    this.length = 0;
  }
}
