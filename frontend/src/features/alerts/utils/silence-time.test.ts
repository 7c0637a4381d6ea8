import { describe, expect, it } from "vitest";
import { silenceFormDefaults, silenceFormSchema, toSilenceCreate } from "../api/schemas";
import {
  apiWeekday,
  jsWeekday,
  localInputToIso,
  silenceActive,
  silenceState,
  toLocalInput,
  weeklyOccurrences,
  windowInZone,
  zonedParts,
  zonedTimeToDate,
} from "./silence-time";

const weekly = (weekdays: number[], start: string, end: string, timezone: string) => ({
  weekdays,
  window_start: start,
  window_end: end,
  timezone,
  starts_at: null,
  ends_at: null,
});

describe("weekdays", () => {
  it("maps JavaScript's Sunday-first days to the API's Monday-first ones and back", () => {
    expect([0, 1, 6].map(apiWeekday)).toEqual([6, 0, 5]);
    for (let day = 0; day < 7; day += 1) expect(jsWeekday(apiWeekday(day))).toBe(day);
  });
});

describe("wall-clock times in a zone", () => {
  it("finds the instant of a Berlin wall time in winter and in summer", () => {
    expect(zonedTimeToDate({ year: 2026, month: 1, day: 15, hour: 2, minute: 0 }, "Europe/Berlin").toISOString()).toBe("2026-01-15T01:00:00.000Z");
    expect(zonedTimeToDate({ year: 2026, month: 7, day: 15, hour: 2, minute: 0 }, "Europe/Berlin").toISOString()).toBe("2026-07-15T00:00:00.000Z");
    expect(zonedTimeToDate({ year: 2026, month: 7, day: 15, hour: 2, minute: 0 }, "America/New_York").toISOString()).toBe("2026-07-15T06:00:00.000Z");
  });

  it("reads the wall clock and the API weekday of an instant", () => {
    // 2026-11-29 was a Sunday.
    expect(zonedParts(new Date("2026-11-29T23:30:00Z"), "Asia/Tokyo")).toMatchObject({ day: 30, hour: 8, minute: 30, weekday: 0 });
    expect(zonedParts(new Date("2026-11-29T23:30:00Z"), "UTC")).toMatchObject({ day: 29, hour: 23, weekday: 6 });
  });

  it("round-trips a datetime-local value through the ISO instant the API takes", () => {
    const iso = localInputToIso("2026-12-24T18:30");
    expect(iso).not.toBeNull();
    expect(toLocalInput(iso ?? "")).toBe("2026-12-24T18:30");
    expect(localInputToIso("24.12.2026")).toBeNull();
  });
});

describe("when a silence is active (the server's rule)", () => {
  it("mutes a period from its start until, not including, its end", () => {
    const period = { weekdays: [], window_start: null, window_end: null, timezone: "UTC", starts_at: "2026-11-29T10:00:00Z", ends_at: "2026-11-29T12:00:00Z" };
    expect(silenceActive(period, new Date("2026-11-29T09:59:00Z"))).toBe(false);
    expect(silenceActive(period, new Date("2026-11-29T10:00:00Z"))).toBe(true);
    expect(silenceActive(period, new Date("2026-11-29T12:00:00Z"))).toBe(false);
    expect(silenceState(period, new Date("2026-11-29T09:00:00Z"))).toBe("scheduled");
    expect(silenceState(period, new Date("2026-11-29T13:00:00Z"))).toBe("expired");
  });

  it("mutes a weekly window in its own zone, a window across midnight belonging to the day it starts", () => {
    const sundayNight = weekly([6], "22:00", "02:00", "Europe/Berlin"); // Sunday 22:00 to Monday 02:00, Berlin
    expect(silenceActive(sundayNight, new Date("2026-11-29T21:30:00Z"))).toBe(true); // Sun 22:30 Berlin
    expect(silenceActive(sundayNight, new Date("2026-11-30T00:30:00Z"))).toBe(true); // Mon 01:30 Berlin
    expect(silenceActive(sundayNight, new Date("2026-11-30T01:30:00Z"))).toBe(false); // Mon 02:30 Berlin
    expect(silenceActive(sundayNight, new Date("2026-11-29T20:30:00Z"))).toBe(false); // Sun 21:30 Berlin
  });
});

describe("weekly windows for the browser", () => {
  it("lists the coming occurrences as instants, across a DST change", () => {
    // Saturdays 02:00-04:00 in Berlin; DST ended on 2026-10-25 (Sunday).
    const occurrences = weeklyOccurrences(weekly([5], "02:00", "04:00", "Europe/Berlin"), new Date("2026-10-20T00:00:00Z"), 14);
    expect(occurrences.map((o) => [o.start.toISOString(), o.end.toISOString()])).toEqual([
      ["2026-10-24T00:00:00.000Z", "2026-10-24T02:00:00.000Z"],
      ["2026-10-31T01:00:00.000Z", "2026-10-31T03:00:00.000Z"],
    ]);
  });

  it("shows a window stored in UTC in the browser's zone, the day shifting with it", () => {
    const utcMonday = weekly([0], "01:00", "03:00", "UTC");
    expect(windowInZone(utcMonday, "America/New_York", new Date("2026-11-29T12:00:00Z"))).toEqual({ weekdays: [6], start: "20:00", end: "22:00" });
    expect(windowInZone(utcMonday, "Asia/Kolkata", new Date("2026-11-29T12:00:00Z"))).toEqual({ weekdays: [0], start: "06:30", end: "08:30" });
  });
});

describe("the silence form's request", () => {
  it("sends a weekly window as the times typed, in the browser's zone, Monday = 0", () => {
    const values = { ...silenceFormDefaults("weekly"), weekdays: [6, 2], window_start: "22:00", window_end: "02:00", comment: " alerts-backup " };
    expect(silenceFormSchema.safeParse(values).success).toBe(true);
    expect(toSilenceCreate(values, "Europe/Berlin")).toEqual({
      agent_id: null,
      rule_id: null,
      labels: {},
      comment: "alerts-backup",
      timezone: "Europe/Berlin",
      weekdays: [2, 6],
      window_start: "22:00",
      window_end: "02:00",
    });
  });

  it("sends a period as UTC instants, and checks its end", () => {
    const values = { ...silenceFormDefaults("period", { agentId: 3, ruleId: 9 }), starts_at: "2030-01-01T10:00", ends_at: "2030-01-01T12:00" };
    const body = toSilenceCreate(values, "UTC");
    expect(body).toMatchObject({ agent_id: 3, rule_id: 9, starts_at: localInputToIso("2030-01-01T10:00"), ends_at: localInputToIso("2030-01-01T12:00") });
    const problems = (v: typeof values) => silenceFormSchema.safeParse(v).error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    expect(problems({ ...values, ends_at: "2030-01-01T09:00" })).toEqual(["ends_at: Must be after the start."]);
    expect(problems({ ...values, ends_at: "" })).toEqual(["ends_at: Required."]);
    expect(problems({ ...values, kind: "weekly", weekdays: [], window_start: "25:00", window_end: "04:00" })).toEqual([
      "weekdays: Choose at least one day.",
      "window_start: Enter a time as HH:MM.",
    ]);
  });
});
