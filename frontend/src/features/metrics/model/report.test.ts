import { describe, expect, it } from "vitest";
import { CHARTS } from "./charts";
import { parseReport, pickSamples } from "./report";

const frame = {
  id: "r1",
  org_id: 1,
  target_type: "agent",
  target_id: 4,
  source: "agent",
  ts: 1700000000.5,
  metrics: { cpu_percent: 12.5, memory_percent: 40 },
  series: [
    ["cpu_core_percent", 10, { core: "0" }],
    ["cpu_core_percent", 15, { core: "1" }],
    ["net_if_recv_bytes_per_s", 100, { interface: "eth0" }],
  ],
  host_info: null,
  interval: 1,
};

describe("live report frames", () => {
  it("reads an agent's report and ignores the socket's other messages", () => {
    const report = parseReport(frame);
    expect(report).toMatchObject({ agentId: 4, ts: 1700000000.5, interval: 1, hostInfo: null });
    expect(report?.series).toHaveLength(3);
    expect(parseReport({ type: "subscribed", agent_id: 4 })).toBeNull();
    expect(parseReport({ type: "org", hosts: [] })).toBeNull();
    expect(parseReport({ ...frame, metrics: "nope" })).toBeNull();
  });

  it("picks the chart's values by column key", () => {
    const report = parseReport(frame);
    if (!report) throw new Error("unparsed");
    expect([...pickSamples(CHARTS.cores, report).entries()].map(([key, s]) => [key, s.value])).toEqual([
      ['cpu_core_percent{core="0"}', 10],
      ['cpu_core_percent{core="1"}', 15],
    ]);
    expect([...pickSamples(CHARTS.cpu, report).keys()]).toEqual(["cpu_percent"]);
  });
});
