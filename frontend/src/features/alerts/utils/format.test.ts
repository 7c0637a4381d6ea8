import { describe, expect, it } from "vitest";
import { describeCondition, formatMetricValue, metricLabel } from "./format";

describe("monitor metrics read as words", () => {
  it("names each monitor metric instead of showing monitor_down", () => {
    expect(["monitor_down", "monitor_degraded", "response_time_ms", "cert_days_left", "monitor_unreachable"].map(metricLabel)).toEqual([
      "Monitor down",
      "Degraded",
      "Response time",
      "Certificate expiry",
      "Unreachable",
    ]);
  });

  it("tells a state rule as the state, thresholds in ms and days", () => {
    expect(describeCondition("monitor_down", "ge", 1)).toBe("Monitor down");
    expect(describeCondition("monitor_degraded", "ge", 1)).toBe("Degraded");
    expect(describeCondition("response_time_ms", "gt", 1500)).toBe(`Response time > ${(1500).toLocaleString()} ms`);
    expect(describeCondition("cert_days_left", "le", 14)).toBe("Certificate expires within 14 days");
    // An unusual rule on a state is told in numbers.
    expect(describeCondition("monitor_down", "lt", 1)).toBe("Monitor down < 1");
    expect(formatMetricValue("cert_days_left", 9)).toBe("9 days");
    expect(formatMetricValue("response_time_ms", 87.4)).toBe("87 ms");
  });
});
