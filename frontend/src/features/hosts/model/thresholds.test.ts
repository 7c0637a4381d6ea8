import { describe, expect, it } from "vitest";
import { host, rule } from "../testing/factories";
import { DEFAULT_LEVELS, thresholdsFor } from "./thresholds";

describe("thresholdsFor", () => {
  it("70/90 without rules", () => {
    expect(thresholdsFor(host(1), [])).toEqual({ cpu: DEFAULT_LEVELS, memory: DEFAULT_LEVELS, disk: DEFAULT_LEVELS });
    expect(thresholdsFor(host(1), undefined).cpu).toEqual({ warn: 70, crit: 90 });
  });

  it("a rule's threshold where its severity's colour starts", () => {
    const rules = [rule(1, { metric_type: "cpu", threshold: 80 }), rule(2, { metric_type: "cpu_percent", threshold: 95, severity: "critical" }), rule(3, { metric_type: "disk", threshold: 85 })];
    const levels = thresholdsFor(host(1), rules);
    expect(levels.cpu).toEqual({ warn: 80, crit: 95 });
    expect(levels.disk).toEqual({ warn: 85, crit: Number.POSITIVE_INFINITY }); // a warning rule alone never turns red
    expect(levels.memory).toEqual(DEFAULT_LEVELS);
  });

  it("only rules that apply to the host, are enabled and watch the whole metric", () => {
    const rules = [
      rule(1, { threshold: 10, agent_id: 2 }),
      rule(2, { threshold: 20, labels: { env: "staging" } }),
      rule(3, { threshold: 30, enabled: false }),
      rule(4, { threshold: 40, condition: "lt" }),
      rule(5, { threshold: 50, metric_type: "disk", match: { mountpoint: "/data" } }),
      rule(6, { threshold: 60, severity: "info" }),
      rule(7, { threshold: 75, labels: { env: "prod" } }),
    ];
    const levels = thresholdsFor(host(1, { labels: { env: "prod" } }), rules);
    expect(levels.cpu).toEqual({ warn: 75, crit: Number.POSITIVE_INFINITY });
    expect(levels.disk).toEqual(DEFAULT_LEVELS);
    expect(thresholdsFor(host(2), rules).cpu.warn).toBe(10);
  });

  it("a critical threshold below the warning one wins", () => {
    expect(thresholdsFor(host(1), [rule(1, { threshold: 90 }), rule(2, { threshold: 80, severity: "critical" })]).cpu).toEqual({ warn: 80, crit: 80 });
  });
});
