// The one uPlot wrapper. The chart is created once from a ref; new data goes through
// `setData`, new sizes through `setSize` (ResizeObserver), and it is destroyed on unmount.
// Series that come and go are added or removed in place, never by recreating the chart.
//
// Two ways in: `data` (a history answer, set when it changes) or `live`, a source the caller
// pushes into outside React (a ring buffer): the chart reads it at most once per animation
// frame. A chart off screen (IntersectionObserver) never draws; it catches up when it scrolls
// into view. Colours come from the theme's CSS variables and follow light/dark.
//
// Accessible: the canvas is a role="img" with a label summarising the latest values, and a
// visually hidden table lists each series' last, minimum, average and maximum.
import { useEffect, useId, useRef } from "react";
import uPlot from "uplot";
import { readChartTheme, watchChartTheme, type ChartTheme } from "./chart-theme";

export type AlignedData = uPlot.AlignedData;

export interface ChartSeriesSpec {
  /** legend, table and summary label */
  label: string;
  /** any CSS colour; default: the theme palette's colour at the series' position */
  color?: string;
  /** fill the area under the line */
  fill?: boolean;
  dash?: number[];
}

/** Data pushed from outside React: `read` returns the current columns, `subscribe` tells when they change. */
export interface LiveSource {
  read(): AlignedData;
  subscribe(onChange: () => void): () => void;
}

export interface ChartText {
  time: string;
  last: string;
  min: string;
  avg: string;
  max: string;
  series: string;
  noData: string;
}

const DEFAULT_TEXT: ChartText = {
  time: "Time",
  last: "Last",
  min: "Min",
  avg: "Average",
  max: "Max",
  series: "Series",
  noData: "no data",
};

export interface UplotChartProps {
  /** the chart's accessible name and the hidden table's caption */
  title: string;
  series: readonly ChartSeriesSpec[];
  /** [timestamps (unix seconds), ...one column per series]; null is a gap */
  data?: AlignedData;
  live?: LiveSource;
  /** CSS pixels of the plot and axes (the legend adds to it) */
  height?: number;
  /** y values on the axis, legend and table */
  format?: (value: number) => string;
  /** the y axis always covers at least [yMin, yMax] (0–100 for percentages) */
  yMin?: number;
  yMax?: number;
  /** fixed x domain in unix seconds (a history range), else the data's own */
  xDomain?: readonly [number, number];
  /** live: show this many seconds ending at the newest point */
  xWindow?: number;
  /** charts with the same key share the cursor */
  syncKey?: string;
  /** a drag across the plot selected [from, to] (unix seconds); without it, dragging does nothing */
  onSelectRange?: (from: number, to: number) => void;
  /** translated words of the table and summary */
  text?: Partial<ChartText>;
  className?: string;
}

const FONT_PX = 11;
const FONT_FAMILY = "ui-sans-serif, system-ui, sans-serif";
const SUMMARY_EVERY_MS = 1000;
const MIN_SELECT_PX = 8;

const defaultFormat = (value: number) => uPlot.fmtNum(value);

interface Stats {
  last: number | null;
  min: number | null;
  avg: number | null;
  max: number | null;
}

/** Last, min, average and max of one column, nulls skipped. */
export function columnStats(values: ArrayLike<number | null | undefined>): Stats {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  let count = 0;
  let last: number | null = null;
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i];
    if (value == null || !Number.isFinite(value)) continue;
    if (value < min) min = value;
    if (value > max) max = value;
    sum += value;
    count += 1;
    last = value;
  }
  return count === 0 ? { last: null, min: null, avg: null, max: null } : { last, min, avg: sum / count, max };
}

function xRange(props: UplotChartProps, min: number | null, max: number | null): uPlot.Range.MinMax {
  if (props.xWindow !== undefined && max != null) return [max - props.xWindow, max];
  if (props.xDomain) return [props.xDomain[0], props.xDomain[1]];
  if (min == null || max == null) {
    const now = Date.now() / 1000;
    return [now - 60, now];
  }
  return min === max ? [min - 1, max + 1] : [min, max];
}

function yRange(props: UplotChartProps, min: number | null, max: number | null): uPlot.Range.MinMax {
  const { yMin, yMax } = props;
  let lo = min ?? yMin ?? 0;
  let hi = max ?? yMax ?? lo + 1;
  if (yMin !== undefined) lo = Math.min(lo, yMin);
  if (yMax !== undefined && hi <= yMax) return [lo, yMax];
  if (hi <= lo) hi = lo + 1;
  const [paddedLo, paddedHi] = uPlot.rangeNum(lo, hi, 0.1, true);
  return [yMin !== undefined ? lo : paddedLo, paddedHi];
}

/** The y axis as wide as its longest label, so "1.5 GB/s" is never cut. */
function axisSize(self: uPlot, values: string[] | null): number {
  const longest = (values ?? []).reduce((a, b) => (b.length > a.length ? b : a), "");
  self.ctx.font = `${FONT_PX * uPlot.pxRatio}px ${FONT_FAMILY}`;
  const width = longest ? self.ctx.measureText(longest).width / uPlot.pxRatio : 0;
  return Math.ceil(width + 14);
}

export function UplotChart(props: UplotChartProps) {
  const frameRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<HTMLDivElement>(null);
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const chartRef = useRef<Chart | null>(null);
  const propsRef = useRef(props);
  const captionId = useId();

  useEffect(() => {
    propsRef.current = props;
  });

  // Create once; everything the options need later is read through propsRef.
  useEffect(() => {
    const frame = frameRef.current;
    const plot = plotRef.current;
    const body = bodyRef.current;
    if (!frame || !plot || !body) return;
    const chart = new Chart(frame, plot, body, propsRef);
    chartRef.current = chart;
    return () => {
      chart.destroy();
      chartRef.current = null;
    };
  }, []);

  const { data, series, live } = props;
  const seriesKey = series.map((s) => `${s.label}\u0000${s.color ?? ""}\u0000${s.fill ? 1 : 0}\u0000${String(s.dash)}`).join("\u0001");

  useEffect(() => {
    chartRef.current?.setSeries(propsRef.current.series);
  }, [seriesKey]);

  useEffect(() => {
    if (data) chartRef.current?.show(data);
  }, [data, seriesKey]);

  useEffect(() => {
    const chart = chartRef.current;
    if (!live || !chart) return;
    chart.follow(live);
    return live.subscribe(() => chart.follow(live));
  }, [live, seriesKey]);

  const text = { ...DEFAULT_TEXT, ...props.text };
  return (
    <div ref={frameRef} className={props.className ? `relative ${props.className}` : "relative"} data-chart="">
      <div ref={plotRef} role="img" aria-label={props.title} className="min-h-0 w-full" />
      <div className="sr-only">
        <table aria-labelledby={captionId}>
          <caption id={captionId}>{props.title}</caption>
          <thead>
            <tr>
              <th scope="col">{text.series}</th>
              <th scope="col">{text.last}</th>
              <th scope="col">{text.min}</th>
              <th scope="col">{text.avg}</th>
              <th scope="col">{text.max}</th>
            </tr>
          </thead>
          <tbody ref={bodyRef} />
        </table>
      </div>
    </div>
  );
}

/** The imperative side: one uPlot instance and the observers around it. */
class Chart {
  readonly u: uPlot;
  private theme: ChartTheme;
  private visible = false;
  private pending: AlignedData | null = null;
  private live: LiveSource | null = null;
  private liveDirty = false;
  private frameRequest = 0;
  private lastSummary = 0;
  private selecting = false;
  private readonly cleanups: (() => void)[] = [];
  private specs: readonly ChartSeriesSpec[];

  constructor(
    private readonly frame: HTMLDivElement,
    private readonly plot: HTMLDivElement,
    private readonly body: HTMLTableSectionElement,
    private readonly props: { readonly current: UplotChartProps },
  ) {
    this.theme = readChartTheme();
    this.specs = this.props.current.series;
    const width = Math.max(120, Math.floor(frame.clientWidth));
    const initial: AlignedData = [[], ...this.props.current.series.map(() => [])];
    this.u = new uPlot(this.options(width), initial, plot);

    const onDown = () => {
      this.selecting = true;
    };
    this.u.over.addEventListener("mousedown", onDown);
    this.cleanups.push(() => this.u.over.removeEventListener("mousedown", onDown));

    const resize = new ResizeObserver((entries) => {
      const entry = entries[entries.length - 1];
      if (!entry) return;
      const next = Math.max(120, Math.floor(entry.contentRect.width));
      const height = this.props.current.height ?? 200;
      if (next !== this.u.width || height !== this.u.height) this.u.setSize({ width: next, height });
    });
    resize.observe(frame);
    this.cleanups.push(() => resize.disconnect());

    const intersection = new IntersectionObserver(
      (entries) => {
        const entry = entries[entries.length - 1];
        if (!entry) return;
        this.visible = entry.isIntersecting;
        if (this.visible) this.catchUp();
      },
      { rootMargin: "200px 0px" },
    );
    intersection.observe(frame);
    this.cleanups.push(() => intersection.disconnect());

    this.cleanups.push(watchChartTheme(() => this.retheme()));
  }

  private format(value: number | null | undefined): string {
    if (value == null || !Number.isFinite(value)) return "—";
    return (this.props.current.format ?? defaultFormat)(value);
  }

  private colorOf(index: number): string {
    return this.specs[index]?.color ?? this.theme.series(index);
  }

  private seriesOptions(spec: ChartSeriesSpec, index: number): uPlot.Series {
    return {
      label: spec.label,
      stroke: () => this.colorOf(index),
      width: 1.5,
      ...(spec.fill ? { fill: () => this.theme.alpha(this.colorOf(index), 0.12) } : {}),
      ...(spec.dash ? { dash: spec.dash } : {}),
      points: { show: false },
      value: (_u, value) => this.format(value),
    };
  }

  private options(width: number): uPlot.Options {
    const props = this.props.current;
    const font = `${FONT_PX}px ${FONT_FAMILY}`;
    const axis = {
      stroke: () => this.theme.text,
      grid: { stroke: () => this.theme.grid, width: 1 },
      ticks: { stroke: () => this.theme.grid, width: 1, size: 4 },
      font,
    };
    return {
      width,
      height: props.height ?? 200,
      series: [{ label: props.text?.time ?? DEFAULT_TEXT.time }, ...props.series.map((s, i) => this.seriesOptions(s, i))],
      scales: {
        x: { time: true, range: (_u, min, max) => xRange(this.props.current, min, max) },
        y: { range: (_u, min, max) => yRange(this.props.current, min, max) },
      },
      axes: [
        { ...axis, space: 60 },
        { ...axis, size: axisSize, values: (_u, splits) => splits.map((v) => this.format(v)) },
      ],
      cursor: {
        drag: { x: true, y: false, setScale: false },
        ...(props.syncKey ? { sync: { key: props.syncKey, setSeries: false } } : {}),
      },
      legend: { live: true },
      padding: [8, 20, 0, 0],
      hooks: {
        setSelect: [(u) => this.selected(u)],
        // Without a cursor on any synced chart, the legend shows each series' latest value.
        draw: [(u) => this.legendLatest(u)],
        setCursor: [(u) => this.legendLatest(u)],
      },
    };
  }

  private selected(u: uPlot): void {
    const { left, width } = u.select;
    const mine = this.selecting;
    this.selecting = false;
    if (width <= 0) return;
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    const onSelect = this.props.current.onSelectRange;
    if (!mine || !onSelect || width < MIN_SELECT_PX) return;
    onSelect(u.posToVal(left, "x"), u.posToVal(left + width, "x"));
  }

  private legendLatest(u: uPlot): void {
    if (u.cursor.idx != null) return;
    const times = u.data[0];
    if (times.length === 0) return;
    const idxs = u.data.map((column, c) => {
      if (c === 0) return times.length - 1;
      for (let i = column.length - 1; i >= 0; i -= 1) if (column[i] != null) return i;
      return null;
    });
    u.setLegend({ idxs }, false);
  }

  /** Adds, removes or replaces series so the chart has exactly `specs`, in place. */
  setSeries(specs: readonly ChartSeriesSpec[]): void {
    const u = this.u;
    const before = this.specs;
    this.specs = specs;
    for (let i = u.series.length - 1; i > specs.length; i -= 1) u.delSeries(i);
    specs.forEach((spec, i) => {
      const current = before[i];
      if (i + 1 >= u.series.length) {
        u.addSeries(this.seriesOptions(spec, i), i + 1);
      } else if (current?.label !== spec.label || Boolean(current.fill) !== Boolean(spec.fill) || String(current.dash) !== String(spec.dash)) {
        u.delSeries(i + 1);
        u.addSeries(this.seriesOptions(spec, i), i + 1);
      }
    });
    this.paintMarkers();
  }

  /** New data: drawn now when on screen, else when the chart scrolls into view. */
  show(data: AlignedData): void {
    if (!this.visible) {
      this.pending = data;
      return;
    }
    this.pending = null;
    this.draw(data, true);
  }

  /** A live source changed: draw at the next animation frame, once however many pushes came. */
  follow(source: LiveSource): void {
    this.live = source;
    this.liveDirty = true;
    if (!this.visible || this.frameRequest) return;
    this.frameRequest = requestAnimationFrame(() => {
      this.frameRequest = 0;
      this.drawLive();
    });
  }

  private drawLive(): void {
    if (!this.live || !this.liveDirty || !this.visible) return;
    this.liveDirty = false;
    this.draw(this.live.read(), false);
  }

  private draw(data: AlignedData, summaryNow: boolean): void {
    // The caller's series and data change together; a frame between the two is skipped.
    if (data.length !== this.u.series.length) return;
    this.u.setData(data);
    // What is drawn, for tests and for anyone inspecting the page: rows and the newest time.
    const times = data[0];
    this.frame.dataset.points = String(times.length);
    this.frame.dataset.last = String(times[times.length - 1] ?? "");
    const now = performance.now();
    if (summaryNow || now - this.lastSummary >= SUMMARY_EVERY_MS) {
      this.lastSummary = now;
      this.summarise(data);
    }
  }

  private catchUp(): void {
    if (this.pending) this.show(this.pending);
    if (this.live && this.liveDirty) this.follow(this.live);
  }

  /** The hidden table and the label of the image, written as text (never HTML). */
  private summarise(data: AlignedData): void {
    const props = this.props.current;
    const text = { ...DEFAULT_TEXT, ...props.text };
    const rows: HTMLTableRowElement[] = [];
    const parts: string[] = [];
    this.specs.forEach((spec, i) => {
      const stats = columnStats(data[i + 1] ?? []);
      const row = document.createElement("tr");
      const head = document.createElement("th");
      head.scope = "row";
      head.textContent = spec.label;
      row.append(head);
      for (const value of [stats.last, stats.min, stats.avg, stats.max]) {
        const cell = document.createElement("td");
        cell.textContent = this.format(value);
        row.append(cell);
      }
      rows.push(row);
      parts.push(`${spec.label} ${stats.last == null ? text.noData : this.format(stats.last)}`);
    });
    this.body.replaceChildren(...rows);
    const label = parts.length > 0 ? `${props.title}: ${parts.join(", ")}` : props.title;
    this.plot.setAttribute("aria-label", label);
  }

  private paintMarkers(): void {
    const markers = this.u.root.querySelectorAll<HTMLElement>(".u-legend .u-series .u-marker");
    markers.forEach((marker, i) => {
      if (i === 0) return; // the time column has no marker colour
      const color = this.colorOf(i - 1);
      marker.style.borderColor = color;
      marker.style.background = this.specs[i - 1]?.fill ? this.theme.alpha(color, 0.12) : "transparent";
    });
  }

  private retheme(): void {
    this.theme = readChartTheme();
    this.paintMarkers();
    this.u.redraw(true, true);
  }

  destroy(): void {
    cancelAnimationFrame(this.frameRequest);
    for (const cleanup of this.cleanups) cleanup();
    this.u.destroy();
  }
}
