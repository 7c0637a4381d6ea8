import { describe, expect, it } from "vitest";
import { resolveRange } from "../model/range";
import { chartQuery } from "./queries";

describe("chart queries", () => {
  it("marks live seeds as live (refetched after a reconnect to fill the gap) and never stale otherwise", () => {
    const live = chartQuery(1, { panel: "cpu" }, resolveRange({}));
    expect(live.meta).toEqual({ live: true });
    expect(live.staleTime).toBe(Number.POSITIVE_INFINITY);
    expect(live.queryKey).toEqual(["metrics", "host", 1, "chart", "panel:cpu", "-5m", "now"]);
  });

  it("refetches presets on their own clock and keeps fixed custom ranges", () => {
    const hour = chartQuery(1, { metric: "queue_depth" }, resolveRange({ range: "1h" }));
    expect(hour.meta).toBeUndefined();
    expect(hour.refetchInterval).toBe(30_000);
    expect(hour.queryKey).toEqual(["metrics", "host", 1, "chart", "metric:queue_depth", "-1h", "now"]);
    const custom = chartQuery(1, { panel: "disk" }, resolveRange({ range: "custom", from: 100, to: 200 }));
    expect(custom.refetchInterval).toBeUndefined();
    expect(custom.queryKey.slice(-2)).toEqual(["100", "200"]);
  });
});
