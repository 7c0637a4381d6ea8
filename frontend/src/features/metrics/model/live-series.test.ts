import { describe, expect, it } from "vitest";
import { CHARTS } from "./charts";
import { LiveSeries } from "./live-series";
import type { LiveReport } from "./report";
import { shapeAnswer } from "./shape";

const report = (ts: number, metrics: Record<string, number>, series: LiveReport["series"] = [], interval = 1): LiveReport => ({
  agentId: 1,
  ts,
  interval,
  metrics,
  series,
  hostInfo: null,
});

describe("LiveSeries", () => {
  it("appends one row per report and tells the chart", () => {
    const live = new LiveSeries(CHARTS.memory);
    let notified = 0;
    live.subscribe(() => (notified += 1));
    live.push(report(10, { memory_percent: 40, swap_percent: 1, cpu_percent: 99 }));
    live.push(report(11, { memory_percent: 41 }));
    live.push(report(11, { memory_percent: 99 })); // a repeated frame
    expect(live.read()).toEqual([
      [10, 11],
      [40, 41],
      [1, null],
    ]);
    expect(notified).toBe(2);
  });

  it("adds a column when a new core appears, and leaves a gap after missed reports", () => {
    const live = new LiveSeries(CHARTS.cores);
    let structure = 0;
    live.subscribeColumns(() => (structure += 1));
    live.push(report(10, {}, [["cpu_core_percent", 5, { core: "1" }]]));
    live.push(
      report(11, {}, [
        ["cpu_core_percent", 6, { core: "1" }],
        ["cpu_core_percent", 7, { core: "0" }],
      ]),
    );
    live.push(
      report(20, {}, [
        ["cpu_core_percent", 8, { core: "1" }],
        ["cpu_core_percent", 9, { core: "0" }],
      ]),
    );
    expect(live.columns.map((c) => c.labels.core)).toEqual(["0", "1"]);
    expect(structure).toBe(2);
    expect(live.read()).toEqual([
      [10, 11, 12, 20],
      [null, 7, null, 9],
      [5, 6, null, 8],
    ]);
  });

  it("merges the history of the last minutes before the live rows, filling a gap", () => {
    const live = new LiveSeries(CHARTS.cpu);
    live.push(report(100, { cpu_percent: 50 }));
    live.push(report(106, { cpu_percent: 56 })); // the socket missed 101–105
    const history = shapeAnswer(CHARTS.cpu, {
      series: [{ name: "cpu_percent", labels: {}, timestamps: [101, 102, 103, 104, 105, 106], values: [1, 2, 3, 4, 5, null] }],
    });
    live.merge(history);
    expect(live.read()).toEqual([
      [101, 102, 103, 104, 105, 106],
      [1, 2, 3, 4, 5, 56],
    ]);
  });

  it("keeps only the newest rows", () => {
    const live = new LiveSeries(CHARTS.cpu, 3);
    for (let ts = 1; ts <= 5; ts += 1) live.push(report(ts, { cpu_percent: ts }));
    expect(live.read()).toEqual([
      [3, 4, 5],
      [3, 4, 5],
    ]);
  });
});
