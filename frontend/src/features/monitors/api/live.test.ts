import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { check, heartbeat, monitor } from "../testing/factories";
import { monitorKeys } from "./keys";
import { applyFrame, monitorsLiveHandler, parseMonitorFrame } from "./live";
import type { Check, Heartbeat, Monitor, MonitorsList } from "./types";

const ts = Date.parse("2026-11-29T12:00:00Z") / 1000;
const frame = { type: "monitor", id: 2, org_id: 1, ts, status: "down", response_ms: null, error: "connection refused" };

describe("the monitors topic", () => {
  it("parses the probe's frames and ignores anything else", () => {
    expect(parseMonitorFrame(frame)).toEqual({ id: 2, ts, status: "down", response_ms: null, error: "connection refused" });
    expect(parseMonitorFrame({ ...frame, status: "exploded" })).toBeNull();
    expect(parseMonitorFrame({ type: "org", id: 2, ts })).toBeNull();
    expect(parseMonitorFrame({ ...frame, response_ms: "fast" })?.response_ms).toBeNull();
  });

  it("moves a monitor forward, its status_since only when the status changed, never backwards", () => {
    const up = monitor(2, { status: "up", status_since: "2026-11-29T10:00:00Z", last_check_at: "2026-11-29T11:59:40Z" });
    const parsed = parseMonitorFrame(frame);
    if (!parsed) throw new Error("frame");
    expect(applyFrame(up, parsed)).toMatchObject({ status: "down", status_since: "2026-11-29T12:00:00.000Z", last_check_at: "2026-11-29T12:00:00.000Z", last_error: "connection refused", last_response_ms: null });
    expect(applyFrame(up, { ...parsed, status: "up", response_ms: 40 }).status_since).toBe("2026-11-29T10:00:00Z");
    const newer = monitor(2, { last_check_at: "2026-11-29T12:00:20Z" });
    expect(applyFrame(newer, parsed)).toBe(newer);
    expect(applyFrame(monitor(3), parsed).status).toBe("up");
  });

  it("updates every cached list, the monitor's page, its checks and its heartbeat", () => {
    const client = new QueryClient();
    const list: MonitorsList = { data: [monitor(1), monitor(2, { last_check_at: null })], count: 2 };
    client.setQueryData(monitorKeys.list({}), list);
    client.setQueryData(monitorKeys.list({ status: "up" }), list);
    client.setQueryData(monitorKeys.detail(2), monitor(2, { last_check_at: null }));
    client.setQueryData(monitorKeys.checks(2, 24, 1442), [check("2026-11-29T11:59:00Z")]);
    client.setQueryData(monitorKeys.checks(1, 24, 1442), [check("2026-11-29T11:59:00Z")]);
    client.setQueryData(monitorKeys.heartbeat(2), heartbeat(2, ts * 1000 + 60_000, { [-1]: { status: "up" } }));
    monitorsLiveHandler(frame, client);
    expect(client.getQueryData<MonitorsList>(monitorKeys.list({}))?.data.map((m) => m.status)).toEqual(["up", "down"]);
    expect(client.getQueryData<MonitorsList>(monitorKeys.list({ status: "up" }))?.data[1]?.status).toBe("down");
    expect(client.getQueryData<MonitorsList>(monitorKeys.list({}))?.data[0]).toBe(list.data[0]);
    expect(client.getQueryData<Monitor>(monitorKeys.detail(2))?.status).toBe("down");
    expect(client.getQueryData<Check[]>(monitorKeys.checks(2, 24, 1442))?.map((c) => c.status)).toEqual(["down", "up"]);
    expect(client.getQueryData<Check[]>(monitorKeys.checks(1, 24, 1442))).toHaveLength(1);
    expect(client.getQueryData<Heartbeat>(monitorKeys.heartbeat(2))?.slots[47]).toEqual({ status: "down", checks: 2, down: 1 });
    // The same frame again (a reconnect) changes nothing.
    monitorsLiveHandler(frame, client);
    expect(client.getQueryData<Check[]>(monitorKeys.checks(2, 24, 1442))).toHaveLength(2);
    expect(client.getQueryData<Heartbeat>(monitorKeys.heartbeat(2))?.slots[47]?.checks).toBe(2);
  });
});
