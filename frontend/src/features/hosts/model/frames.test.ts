import { describe, expect, it } from "vitest";
import { entry, frame, host, overview } from "../testing/factories";
import { applyOrgFrame, parseOrgFrame, SeqTracker } from "./frames";

describe("parseOrgFrame", () => {
  it("reads organization frames and ignores every other message", () => {
    expect(parseOrgFrame({ type: "subscribed", topic: "org", org_id: 1 })).toBeNull();
    expect(parseOrgFrame({ target_id: 3, metrics: {} })).toBeNull(); // a per-agent report frame
    const parsed = parseOrgFrame({ ...frame({ seq: 4, hosts: [entry(1)], status: [{ agent_id: 1, online: true }] }) });
    expect(parsed).toEqual({ seq: 4, snapshot: false, hosts: [entry(1)], status: [{ agent_id: 1, online: true }] });
  });

  it("drops malformed entries rather than the frame", () => {
    const parsed = parseOrgFrame({ type: "org", seq: 1, snapshot: true, hosts: [entry(1), { agent_id: "x" }, null], status: [{ agent_id: 2 }] });
    expect(parsed?.hosts).toEqual([entry(1)]);
    expect(parsed?.status).toEqual([]);
  });
});

describe("applyOrgFrame", () => {
  it("a snapshot sets values and status of every host it names", () => {
    const before = overview([host(1, { status: "offline", last_seen: 500 }), host(2)]);
    const { overview: after, unknown, vanished } = applyOrgFrame(
      before,
      frame({
        snapshot: true,
        hosts: [entry(1, { cpu: 42.5, last_seen: 900 }), entry(2, { cpu: 7 })],
        status: [
          { agent_id: 1, online: true },
          { agent_id: 2, online: true },
        ],
      }),
    );
    expect(unknown).toEqual([]);
    expect(vanished).toEqual([]);
    expect(after.data[0]).toMatchObject({ status: "online", last_seen: 900, values: { cpu_percent: 42.5, memory_percent: 60, disk_percent: 70, net_recv_bytes_per_s: 1000, net_sent_bytes_per_s: 500, load_1: 0.5 } });
    expect(after.data[1]?.values.cpu_percent).toBe(7);
    expect(after).toMatchObject({ count: 2, online: 2, offline: 0 });
  });

  it("a delta replaces only the hosts it names; the others keep their objects", () => {
    const before = overview([host(1), host(2), host(3)]);
    const { overview: after } = applyOrgFrame(before, frame({ hosts: [entry(2, { cpu: 99, disk: null })] }));
    expect(after.data[0]).toBe(before.data[0]);
    expect(after.data[2]).toBe(before.data[2]);
    expect(after.data[1]?.values).toEqual({ cpu_percent: 99, memory_percent: 60, net_recv_bytes_per_s: 1000, net_sent_bytes_per_s: 500, load_1: 0.5 });
    expect(before.data[1]?.values.cpu_percent).toBe(10); // the cached object is never mutated
  });

  it("a status entry flips a host offline (and back) without a report", () => {
    const before = overview([host(1), host(2)]);
    const offline = applyOrgFrame(before, frame({ status: [{ agent_id: 1, online: false }] })).overview;
    expect(offline.data[0]).toMatchObject({ status: "offline", values: before.data[0]?.values, last_seen: 1000 });
    expect(offline).toMatchObject({ online: 1, offline: 1 });
    const online = applyOrgFrame(offline, frame({ seq: 2, status: [{ agent_id: 1, online: true }] })).overview;
    expect(online.data[0]?.status).toBe("online");
  });

  it("reports agents it does not know (created since the overview was fetched)", () => {
    const before = overview([host(1)]);
    const applied = applyOrgFrame(before, frame({ hosts: [entry(7)], status: [{ agent_id: 8, online: true }] }));
    expect(applied.unknown.sort()).toEqual([7, 8]);
    expect(applied.overview).toBe(before);
  });

  it("a snapshot without a host that had reported means it was deleted", () => {
    const before = overview([host(1), host(2), host(3, { status: "never", last_seen: null, values: {} })]);
    const applied = applyOrgFrame(before, frame({ snapshot: true, hosts: [entry(1)], status: [{ agent_id: 1, online: true }] }));
    expect(applied.vanished).toEqual([2]); // host 3 never reported: not in snapshots anyway
  });

  it("never moves a host back to an older report, nor redoes the one shown", () => {
    const before = overview([host(1, { last_seen: 3000 })]);
    expect(applyOrgFrame(before, frame({ hosts: [entry(1, { last_seen: 2000 })] })).overview).toBe(before);
    expect(applyOrgFrame(before, frame({ snapshot: true, hosts: [entry(1, { last_seen: 3000 })], status: [{ agent_id: 1, online: true }] })).overview).toBe(before);
  });

  it("a host's first report turns it from never to online", () => {
    const before = overview([host(1, { status: "never", last_seen: null, values: {} })]);
    const after = applyOrgFrame(before, frame({ hosts: [entry(1)], status: [{ agent_id: 1, online: true }] })).overview;
    expect(after.data[0]).toMatchObject({ status: "online", last_seen: 2000, values: { cpu_percent: 50 } });
  });
});

describe("SeqTracker", () => {
  it("accepts a snapshot and consecutive deltas", () => {
    const tracker = new SeqTracker();
    expect([
      tracker.observe({ seq: 10, snapshot: true }),
      tracker.observe({ seq: 11, snapshot: false }),
      tracker.observe({ seq: 12, snapshot: false }),
    ]).toEqual(["in-order", "in-order", "in-order"]);
  });

  it("calls a skipped seq a gap once, until the fresh snapshot", () => {
    const tracker = new SeqTracker();
    tracker.observe({ seq: 10, snapshot: true });
    expect(tracker.observe({ seq: 12, snapshot: false })).toBe("gap");
    expect(tracker.observe({ seq: 14, snapshot: false })).toBe("in-order"); // already asked for a snapshot
    expect(tracker.observe({ seq: 14, snapshot: true })).toBe("in-order");
    expect(tracker.observe({ seq: 16, snapshot: false })).toBe("gap");
  });
});
