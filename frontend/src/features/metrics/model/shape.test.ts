import { describe, expect, it } from "vitest";
import { CHARTS, metricChart } from "./charts";
import { hasValues, lastValueTime, naturalCompare, shapeAnswer } from "./shape";

const grid = [100, 160, 220, 280];
const series = (name: string, values: (number | null)[], labels: Record<string, string> = {}, timestamps = grid) => ({ name, labels, timestamps, values });

describe("history answers → uPlot columns", () => {
  it("keeps the panel's metrics in the chart's order and gaps as null", () => {
    const answer = {
      series: [series("memory_used_bytes", [1, 2, 3, 4]), series("swap_percent", [0, null, null, 1]), series("memory_percent", [40, 41, null, 43])],
    };
    const shaped = shapeAnswer(CHARTS.memory, answer);
    expect(shaped.columns.map((c) => c.key)).toEqual(["memory_percent", "swap_percent"]);
    expect(shaped.data).toEqual([grid, [40, 41, null, 43], [0, null, null, 1]]);
    expect(hasValues(shaped.data)).toBe(true);
  });

  it("joins series of different grids on time, null where one has no point", () => {
    const answer = {
      series: [series("cpu_percent", [1, 2], {}, [100, 200]), series("cpu_percent", [7, 8], { core: "x" }, [150, 200])],
    };
    const shaped = shapeAnswer(metricChart("cpu_percent"), answer);
    expect(shaped.data).toEqual([
      [100, 150, 200],
      [1, null, 2],
      [null, 7, 8],
    ]);
  });

  it("shapes per-core answers as one column per core, in natural order", () => {
    const answer = {
      series: ["10", "2", "0", "1"].map((core, i) => series("cpu_core_percent", [i, i, i, i], { core })),
    };
    const shaped = shapeAnswer(CHARTS.cores, answer);
    expect(shaped.columns.map((c) => CHARTS.cores.label(c.name, c.labels))).toEqual(["Core 0", "Core 1", "Core 2", "Core 10"]);
    expect(shaped.data.slice(1).map((column) => column[0])).toEqual([2, 3, 1, 0]);
  });

  it("groups interfaces by name, in before out", () => {
    const answer = {
      series: [
        series("net_if_sent_bytes_per_s", [1, 1, 1, 1], { interface: "eth0" }),
        series("net_if_sent_bytes_per_s", [2, 2, 2, 2], { interface: "lo" }),
        series("net_if_recv_bytes_per_s", [3, 3, 3, 3], { interface: "eth0" }),
        series("net_if_recv_bytes_per_s", [4, 4, 4, 4], { interface: "lo" }),
      ],
    };
    const shaped = shapeAnswer(CHARTS.interfaces, answer);
    expect(shaped.columns.map((c) => CHARTS.interfaces.label(c.name, c.labels))).toEqual(["eth0 in", "eth0 out", "lo in", "lo out"]);
  });

  it("says when a range has no data and where the data ends", () => {
    const empty = shapeAnswer(CHARTS.cpu, { series: [] });
    expect(empty).toEqual({ columns: [], data: [[]] });
    expect(hasValues(empty.data)).toBe(false);
    const nulls = shapeAnswer(CHARTS.cpu, { series: [series("cpu_percent", [null, null, null, null])] });
    expect(hasValues(nulls.data)).toBe(false);
    expect(lastValueTime(nulls.data)).toBeNull();
    const trailing = shapeAnswer(CHARTS.cpu, { series: [series("cpu_percent", [1, 2, null, null])] });
    expect(lastValueTime(trailing.data)).toBe(160);
  });

  it("sorts names with numbers the way people count", () => {
    expect(["eth10", "eth2", "eth1", "lo"].sort(naturalCompare)).toEqual(["eth1", "eth2", "eth10", "lo"]);
    expect(naturalCompare("core=2", "core=10")).toBeLessThan(0);
  });
});
