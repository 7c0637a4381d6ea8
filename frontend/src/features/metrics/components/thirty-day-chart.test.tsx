// How long a 30-day chart takes from its answer in hand to drawn: shaping the answer, React
// rendering the card's chart, uPlot creating itself, setData and its first draw with the data.
// A measurement, not a timed assertion (machines differ): the numbers go to the test output.
import type uPlot from "uplot";
import { afterAll, describe, expect, it, vi } from "vitest";
import { render } from "vitest-browser-react";
import { UplotChart } from "@/components/charts/uplot-chart";
import { CHARTS } from "../model/charts";
import { type ChartAnswer, shapeAnswer } from "../model/shape";
import { formatUnit, unitAxis } from "../model/units";

// Records when each chart drew with data (uPlot's draw hook), without changing what it does.
const drawn = vi.hoisted(() => ({ at: [] as number[] }));
vi.mock("uplot", async (importOriginal) => {
  const actual = await importOriginal<{ default: typeof uPlot }>();
  const Real = actual.default;
  class Timed extends Real {
    constructor(opts: uPlot.Options, data?: uPlot.AlignedData, target?: HTMLElement) {
      const timed = (u: uPlot) => {
        if (u.data[0].length > 0) drawn.at.push(performance.now());
      };
      const hooks = { ...opts.hooks, draw: [...(opts.hooks?.draw ?? []), timed] };
      super({ ...opts, hooks }, data, target);
    }
  }
  return { default: Timed };
});

const STEP = 300; // 30 days at 5-minute steps: 8,640 points per series
const POINTS = 8640;
const CORES = 4;

/** A per-core answer of the history API for 30 days, with a 6-hour outage (nulls). */
function thirtyDays(): ChartAnswer {
  const start = 1_700_000_000;
  const timestamps = Array.from({ length: POINTS }, (_, i) => start + i * STEP);
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const series = Array.from({ length: CORES }, (_, core) => ({
    name: "cpu_core_percent",
    labels: { core: String(core) },
    timestamps,
    values: timestamps.map((_, i) => (i > 4000 && i < 4072 ? null : Math.round((30 + 25 * Math.sin(i / 288) + 20 * random()) * 10) / 10)),
  }));
  return {
    agent_id: 1,
    metric: "cores",
    start: new Date(start * 1000).toISOString(),
    stop: new Date((start + POINTS * STEP) * 1000).toISOString(),
    step_seconds: STEP,
    series,
  };
}

function Chart({ answer }: { answer: ChartAnswer }) {
  const spec = CHARTS.cores;
  const shaped = shapeAnswer(spec, answer);
  return (
    <div style={{ width: 900 }}>
      <UplotChart
        title={spec.title}
        series={shaped.columns.map((c) => ({ label: spec.label(c.name, c.labels) }))}
        data={shaped.data}
        format={(v) => formatUnit(spec.unit, v)}
        {...unitAxis(spec.unit)}
        xDomain={[Date.parse(answer.start) / 1000, Date.parse(answer.stop) / 1000]}
        height={190}
      />
    </div>
  );
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const results: { first: number[]; update: number[] } = { first: [], update: [] };

describe("a 30-day chart", () => {
  afterAll(() => {
    const line = (name: string, values: number[]) =>
      `${name}: median ${median(values).toFixed(1)} ms, max ${Math.max(...values).toFixed(1)} ms over ${values.length} runs`;
    // eslint-disable-next-line no-console -- the benchmark's result is this line in the test output
    console.log(
      `[bench] 30-day chart, ${CORES} series × ${POINTS} points\n  ${line("answer → drawn (new chart)", results.first)}\n  ${line("answer → drawn (range switch, setData)", results.update)}`,
    );
  });

  it("is drawn from a realistic answer (measured, see the [bench] line)", async () => {
    for (let run = 0; run < 7; run += 1) {
      const answer = thirtyDays();
      drawn.at.length = 0;
      const start = performance.now();
      const screen = await render(<Chart answer={answer} />);
      await expect.poll(() => drawn.at.length, { interval: 1 }).toBeGreaterThan(0);
      results.first.push((drawn.at[0] ?? Number.NaN) - start);

      const next = thirtyDays();
      drawn.at.length = 0;
      const again = performance.now();
      await screen.rerender(<Chart answer={next} />);
      await expect.poll(() => drawn.at.length, { interval: 1 }).toBeGreaterThan(0);
      results.update.push((drawn.at[0] ?? Number.NaN) - again);
      await screen.unmount();
    }
    expect(results.first).toHaveLength(7);
  });
});
