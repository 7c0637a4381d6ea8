import { describe, expect, it } from "vitest";
import { validateHostSearch } from "../search";
import { fromLocalInput, rangeParams, resolveRange, toLocalInput, zoomSearch } from "./range";

describe("ranges", () => {
  it("turns each preset into the history API's start and stop", () => {
    expect(rangeParams(resolveRange({}))).toEqual({ start: "-5m", stop: "now" });
    expect(rangeParams(resolveRange({ range: "live" }))).toEqual({ start: "-5m", stop: "now" });
    expect(rangeParams(resolveRange({ range: "1h" }))).toEqual({ start: "-1h", stop: "now" });
    expect(rangeParams(resolveRange({ range: "12h" }))).toEqual({ start: "-12h", stop: "now" });
    expect(rangeParams(resolveRange({ range: "24h" }))).toEqual({ start: "-24h", stop: "now" });
    expect(rangeParams(resolveRange({ range: "7d" }))).toEqual({ start: "-7d", stop: "now" });
    expect(rangeParams(resolveRange({ range: "30d" }))).toEqual({ start: "-30d", stop: "now" });
  });

  it("sends a custom range as unix seconds and falls back to 1 h without a valid span", () => {
    const custom = resolveRange({ range: "custom", from: 1_700_000_000, to: 1_700_003_600 });
    expect(rangeParams(custom)).toEqual({ start: "1700000000", stop: "1700003600" });
    expect(custom.seconds).toBe(3600);
    expect(resolveRange({ range: "custom", from: 1_700_000_000 }).key).toBe("1h");
    expect(resolveRange({ range: "custom", from: 5, to: 5 }).key).toBe("1h");
    expect(resolveRange({ range: "custom", from: 9, to: 5 }).key).toBe("1h");
  });

  it("refetches wider presets less often", () => {
    const hour = resolveRange({ range: "1h" });
    const month = resolveRange({ range: "30d" });
    expect(hour.key === "1h" && month.key === "30d" && hour.refetchMs < month.refetchMs).toBe(true);
  });

  it("turns a drag into a custom range of whole seconds, at least 10 s wide", () => {
    expect(zoomSearch(1000.4, 1600.2)).toEqual({ range: "custom", from: 1000, to: 1601 });
    expect(zoomSearch(1600, 1000)).toEqual({ range: "custom", from: 1000, to: 1600 });
    expect(zoomSearch(1000, 1002)).toEqual({ range: "custom", from: 996, to: 1006 });
  });

  it("validates the URL's search params and drops what it cannot use", () => {
    expect(validateHostSearch({ range: "7d", cores: "true", metric: "queue_depth" })).toEqual({ range: "7d", cores: true, metric: "queue_depth" });
    expect(validateHostSearch({ range: "custom", from: "1700000000", to: 1700003600 })).toEqual({ range: "custom", from: 1_700_000_000, to: 1_700_003_600 });
    expect(validateHostSearch({ range: "2y", from: "soon", to: -5, cores: "maybe" })).toEqual({});
  });

  it("reads and writes datetime-local values in the browser's zone", () => {
    const seconds = fromLocalInput("2026-03-04T05:06");
    expect(seconds).not.toBeNull();
    expect(toLocalInput(seconds ?? 0)).toBe("2026-03-04T05:06");
    expect(fromLocalInput("")).toBeNull();
    expect(fromLocalInput("yesterday")).toBeNull();
  });
});
