import type uPlot from "uplot";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { render } from "vitest-browser-react";
import { type AlignedData, type LiveSource, UplotChart } from "./uplot-chart";

// Every uPlot the wrapper creates, to count them and spy on their methods.
const made = vi.hoisted(() => ({ charts: [] as uPlot[] }));
vi.mock("uplot", async (importOriginal) => {
  const actual = await importOriginal<{ default: typeof uPlot }>();
  const Real = actual.default;
  class Counted extends Real {
    constructor(...args: ConstructorParameters<typeof uPlot>) {
      super(...args);
      made.charts.push(this);
    }
  }
  return { default: Counted };
});

const series = [{ label: "cpu" }, { label: "memory" }];
const hour: AlignedData = [
  [1000, 1060, 1120],
  [10, 20, 30],
  [50, null, 70],
];

function only(): uPlot {
  expect(made.charts).toHaveLength(1);
  return made.charts[0] as uPlot;
}

function Sized({ width, children }: { width: number; children: React.ReactNode }) {
  return <div style={{ width }}>{children}</div>;
}

describe("UplotChart", () => {
  beforeEach(() => {
    made.charts.length = 0;
  });
  afterEach(() => {
    document.documentElement.classList.remove("dark");
  });

  it("creates one chart, updates its data in place, resizes and is destroyed on unmount", async () => {
    const screen = await render(
      <Sized width={500}>
        <UplotChart title="CPU usage" series={series} data={hour} format={(v) => `${v}%`} />
      </Sized>,
    );
    await expect.element(screen.getByRole("img", { name: /CPU usage/ })).toBeInTheDocument();
    const chart = only();
    await expect.poll(() => chart.data[1]).toEqual([10, 20, 30]);
    expect(screen.container.querySelectorAll(".uplot")).toHaveLength(1);
    // The image's label and the hidden table summarise the values (gaps are skipped).
    await expect.element(screen.getByRole("img", { name: "CPU usage: cpu 30%, memory 70%" })).toBeInTheDocument();
    const table = screen.getByRole("table", { name: "CPU usage" });
    await expect.element(table.getByRole("row", { name: /memory 70% 50% 60% 70%/ })).toBeInTheDocument();

    const setData = vi.spyOn(chart, "setData");
    const next: AlignedData = [
      [1000, 1060, 1120, 1180],
      [10, 20, 30, 40],
      [50, 60, 70, 80],
    ];
    await screen.rerender(
      <Sized width={500}>
        <UplotChart title="CPU usage" series={series} data={next} format={(v) => `${v}%`} />
      </Sized>,
    );
    await expect.poll(() => setData.mock.calls.length).toBe(1);
    expect(only()).toBe(chart);
    expect(chart.data[0]).toEqual([1000, 1060, 1120, 1180]);
    await expect.element(screen.getByRole("img", { name: "CPU usage: cpu 40%, memory 80%" })).toBeInTheDocument();

    const setSize = vi.spyOn(chart, "setSize");
    await screen.rerender(
      <Sized width={320}>
        <UplotChart title="CPU usage" series={series} data={next} format={(v) => `${v}%`} />
      </Sized>,
    );
    await expect.poll(() => chart.width).toBe(320);
    expect(setSize).toHaveBeenCalled();
    expect(only()).toBe(chart);

    const destroy = vi.spyOn(chart, "destroy");
    await screen.unmount();
    expect(destroy).toHaveBeenCalledTimes(1);
    expect(document.querySelectorAll(".uplot")).toHaveLength(0);
  });

  it("adds and removes series without recreating the chart", async () => {
    const screen = await render(<UplotChart title="Cores" series={series} data={hour} />);
    const chart = only();
    await expect.poll(() => chart.series.length).toBe(3);
    const three: AlignedData = [
      [1, 2],
      [1, 2],
      [3, 4],
      [5, 6],
    ];
    await screen.rerender(<UplotChart title="Cores" series={[...series, { label: "swap" }]} data={three} />);
    await expect.poll(() => chart.data.length).toBe(4);
    expect(chart.series.map((s) => s.label)).toEqual(["Time", "cpu", "memory", "swap"]);
    await screen.rerender(
      <UplotChart
        title="Cores"
        series={[{ label: "cpu" }]}
        data={[
          [1, 2],
          [1, 2],
        ]}
      />,
    );
    await expect.poll(() => chart.series.length).toBe(2);
    expect(only()).toBe(chart);
  });

  it("draws a live source at most once per animation frame", async () => {
    let columns: AlignedData = [[1], [5]];
    const listeners = new Set<() => void>();
    const source: LiveSource = {
      read: () => columns,
      subscribe: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    await render(<UplotChart title="Live" series={[{ label: "cpu" }]} live={source} xWindow={300} />);
    const chart = only();
    await expect.poll(() => chart.data[1]).toEqual([5]);
    const setData = vi.spyOn(chart, "setData");
    for (let second = 2; second <= 6; second += 1) {
      columns = [
        [...columns[0], second],
        [...(columns[1] as number[]), second * 10],
      ];
      for (const listener of listeners) listener();
    }
    await expect.poll(() => chart.data[1]).toEqual([5, 20, 30, 40, 50, 60]);
    expect(setData).toHaveBeenCalledTimes(1);
    // The live window ends at the newest point.
    expect(chart.scales.x?.max).toBe(6);
    expect(chart.scales.x?.min).toBe(6 - 300);
  });

  it("does not draw while off screen and catches up when scrolled into view", async () => {
    const screen = await render(
      <div style={{ height: 300, overflow: "auto" }} data-testid="scroller">
        <div style={{ height: 3000 }} />
        <UplotChart
          title="Below"
          series={[{ label: "cpu" }]}
          data={[
            [1, 2],
            [3, 4],
          ]}
        />
      </div>,
    );
    const chart = only();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(chart.data[0]).toEqual([]);
    screen.getByTestId("scroller").element().scrollTop = 3000;
    await expect.poll(() => chart.data[1]).toEqual([3, 4]);
  });

  it("re-themes when the page turns dark", async () => {
    await render(<UplotChart title="Theme" series={[{ label: "cpu" }]} data={hour.slice(0, 2) as AlignedData} />);
    const chart = only();
    const axisColor = () => {
      const stroke = chart.axes[0]?.stroke;
      return typeof stroke === "function" ? stroke(chart, 0) : stroke;
    };
    const light = axisColor();
    document.documentElement.classList.add("dark");
    document.documentElement.style.setProperty("--muted-foreground", "rgb(200, 201, 202)");
    await expect.poll(axisColor).toBe("rgb(200, 201, 202)");
    expect(light).not.toBe("rgb(200, 201, 202)");
    document.documentElement.style.removeProperty("--muted-foreground");
  });
});
