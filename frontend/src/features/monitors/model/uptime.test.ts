import { describe, expect, it } from "vitest";
import { check, heartbeat } from "../testing/factories";
import { beatsOf, certDaysLeft, certTone, dayTone, formatDuration, formatMs, formatUptime, responseColumns, sparkPoints, uptimeTone, withCheck, worstStatus } from "./uptime";

describe("uptime figures", () => {
  it("never round up to 100%: two decimals, cut", () => {
    expect(formatUptime(100)).toBe("100%");
    expect(formatUptime(99.999)).toBe("99.99%");
    expect(formatUptime(99.956)).toBe("99.95%");
    expect(formatUptime(95)).toBe("95%");
    expect(formatUptime(0)).toBe("0%");
    expect(formatUptime(null)).toBe("—");
    expect(formatUptime(Number.NaN)).toBe("—");
    expect(formatUptime(100.4)).toBe("100%");
  });

  it("tone: green from 99.9%, amber from 95%, red below, grey without checks", () => {
    expect([uptimeTone(100), uptimeTone(99.9), uptimeTone(99.89), uptimeTone(95), uptimeTone(94.99), uptimeTone(null)]).toEqual(["ok", "ok", "warn", "warn", "crit", "none"]);
    expect(dayTone({ uptime: null, checks: 0 })).toBe("none");
    expect(dayTone({ uptime: 50, checks: 10 })).toBe("crit");
  });

  it("response times and durations read as people say them", () => {
    expect(formatMs(87.4)).toBe("87 ms");
    expect(formatMs(1250)).toBe("1.25 s");
    expect(formatMs(null)).toBe("—");
    expect(formatDuration(45)).toBe("45 s");
    expect(formatDuration(125)).toBe("2 min 5 s");
    expect(formatDuration(9000)).toBe("2 h 30 min");
    expect(formatDuration(3 * 86_400 + 4 * 3600 + 60)).toBe("3 d 4 h");
    expect(formatDuration(null)).toBe("—");
  });

  it("certificate days left, negative once expired, with its tone", () => {
    const now = Date.parse("2026-11-29T12:00:00Z");
    expect(certDaysLeft("2026-12-29T12:00:00Z", now)).toBe(30);
    expect(certDaysLeft("2026-11-28T12:00:00Z", now)).toBe(-1);
    expect(certDaysLeft(null, now)).toBeNull();
    expect([certTone(30, 14), certTone(14, 14), certTone(-1, 14), certTone(null)]).toEqual(["ok", "warn", "crit", "none"]);
  });
});

describe("the 24-hour heartbeat bar", () => {
  const now = Date.parse("2026-11-29T12:00:00Z");
  const ago = (minutes: number) => now - minutes * 60_000;

  it("draws the server's half-hours oldest first, each from its start to the next", () => {
    const beats = beatsOf(heartbeat(2, now, { 1: { status: "down", checks: 3, down: 1 }, [-1]: { status: "degraded", checks: 2 } }));
    expect(beats).toHaveLength(48);
    expect(beats[0]).toMatchObject({ start: now - 86_400_000, end: now - 86_400_000 + 1_800_000, status: null, checks: 0 });
    expect(beats[1]).toMatchObject({ status: "down", checks: 3, down: 1 });
    expect(beats[47]).toMatchObject({ status: "degraded", checks: 2, end: now });
  });

  it("adds a live check to its half-hour and the sparkline, once, and not past the window", () => {
    const before = heartbeat(2, now, { [-1]: { status: "up", checks: 1 } }, { recent_ms: [80], latest_at: new Date(ago(5)).toISOString() });
    const after = withCheck(before, ago(1), "down", null);
    expect(after.slots[47]).toEqual({ status: "down", checks: 2, down: 1 });
    expect(after.recent_ms).toEqual([80, null]);
    expect(withCheck(after, ago(1), "down", null)).toBe(after); // the same frame again
    expect(withCheck(before, ago(10), "up", 50)).toBe(before); // older than what it counted
    expect(withCheck(before, now + 60_000, "up", 50)).toBe(before); // past the window: the poll moves it
    const many = Array.from({ length: 40 }, (_, i) => i);
    expect(withCheck({ ...before, recent_ms: many }, ago(1), "up", 99).recent_ms).toEqual([...many.slice(1), 99]);
  });

  it("ranks statuses: down over unreachable over degraded over pending over up over paused", () => {
    expect(worstStatus(["up", "paused"])).toBe("up");
    expect(worstStatus(["up", "pending", "degraded"])).toBe("degraded");
    expect(worstStatus(["unreachable", "degraded"])).toBe("unreachable");
    expect(worstStatus(["unreachable", "down", "up"])).toBe("down");
    expect(worstStatus([])).toBeNull();
  });
});

describe("the sparkline and the chart", () => {
  it("draws the latest response times left to right, scaled to their maximum", () => {
    expect(sparkPoints([100, null, 50], 10, 10)).toBe("0.0,1.0 10.0,5.0");
    expect(sparkPoints([100], 10, 10)).toBe("");
    expect(sparkPoints([...Array.from({ length: 50 }, () => 1000), 10, 20], 10, 10, 2)).toBe("0.0,5.0 10.0,1.0");
  });

  it("splits answered and failed checks into two series, oldest first", () => {
    const [times, ok, failed] = responseColumns([
      check("2026-11-29T12:02:00Z", { status: "down", response_ms: null }),
      check("2026-11-29T12:01:00Z", { status: "degraded", response_ms: 900 }),
      check("2026-11-29T12:00:00Z", { response_ms: 80 }),
    ]);
    const at = Date.parse("2026-11-29T12:00:00Z") / 1000;
    expect(times).toEqual([at, at + 60, at + 120]);
    expect(ok).toEqual([80, 900, null]);
    expect(failed).toEqual([null, null, 0]);
  });
});
