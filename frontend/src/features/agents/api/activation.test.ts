import { describe, expect, it } from "vitest";
import { formatCountdown, localDeadline } from "./activation";

describe("the activation countdown", () => {
  const deadline = "2026-01-01T12:05:00Z";
  const deadlineMs = Date.parse(deadline);

  it("runs on the browser's clock, shifted by the server's lead", () => {
    // The browser is 90 s behind the server: its deadline is 90 s earlier on its own clock.
    const serverNow = Date.parse("2026-01-01T12:00:00Z");
    const received = serverNow - 90_000;
    expect(localDeadline(deadline, new Date(serverNow).toUTCString(), received)).toBe(deadlineMs - 90_000);
    // Five minutes left either way.
    expect(deadlineMs - 90_000 - received).toBe(300_000);
  });

  it("ignores whole-second rounding and a missing or broken Date header", () => {
    const serverNow = Date.parse("2026-01-01T12:00:00Z");
    expect(localDeadline(deadline, new Date(serverNow).toUTCString(), serverNow + 900)).toBe(deadlineMs);
    expect(localDeadline(deadline, null, 0)).toBe(deadlineMs);
    expect(localDeadline(deadline, "not a date", 0)).toBe(deadlineMs);
    expect(localDeadline(null, null, 0)).toBeNull();
  });

  it("reads as minutes and seconds, never below zero", () => {
    expect(formatCountdown(300_000)).toBe("5:00");
    expect(formatCountdown(299_001)).toBe("5:00");
    expect(formatCountdown(7_000)).toBe("0:07");
    expect(formatCountdown(-5_000)).toBe("0:00");
    expect(formatCountdown(3_723_000)).toBe("1:02:03");
  });
});
