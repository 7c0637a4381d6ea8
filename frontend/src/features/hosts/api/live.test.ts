import { QueryClient } from "@tanstack/react-query";
import { afterEach, describe, expect, it, vi } from "vitest";
import { liveSocket } from "@/lib/realtime/socket";
import { sparkStoreOf } from "../model/sparklines";
import { entry, frame, host, overview } from "../testing/factories";
import { hostsKeys } from "./keys";
import { hostsLiveHandler } from "./live";
import type { Overview } from "./queries";

function clientWith(data: Overview | undefined): QueryClient {
  const client = new QueryClient();
  if (data) client.setQueryData(hostsKeys.overview(), data);
  return client;
}

const cached = (client: QueryClient) => client.getQueryData<Overview>(hostsKeys.overview());

describe("hostsLiveHandler", () => {
  afterEach(() => vi.restoreAllMocks());

  it("applies a snapshot, then deltas, to the cached overview", () => {
    const client = clientWith(overview([host(1), host(2)]));
    hostsLiveHandler(frame({ seq: 5, snapshot: true, hosts: [entry(1, { cpu: 11 }), entry(2, { cpu: 22 })], status: [{ agent_id: 1, online: true }, { agent_id: 2, online: true }] }), client);
    hostsLiveHandler(frame({ seq: 6, hosts: [entry(2, { cpu: 33, last_seen: 2005 })] }), client);
    expect(cached(client)?.data.map((h) => h.values.cpu_percent)).toEqual([11, 33]);
  });

  it("flips a host offline from a status entry", () => {
    const client = clientWith(overview([host(1), host(2)]));
    hostsLiveHandler(frame({ seq: 1, snapshot: true }), client);
    hostsLiveHandler(frame({ seq: 2, status: [{ agent_id: 2, online: false }] }), client);
    expect(cached(client)).toMatchObject({ online: 1, offline: 1 });
    expect(cached(client)?.data[1]?.status).toBe("offline");
  });

  it("asks for a fresh snapshot after a seq gap, still applying the frame", () => {
    const resubscribe = vi.spyOn(liveSocket, "resubscribe").mockImplementation(() => undefined);
    const client = clientWith(overview([host(1)]));
    hostsLiveHandler(frame({ seq: 3, snapshot: true }), client);
    hostsLiveHandler(frame({ seq: 4, hosts: [entry(1, { cpu: 40 })] }), client);
    expect(resubscribe).not.toHaveBeenCalled();
    hostsLiveHandler(frame({ seq: 9, hosts: [entry(1, { cpu: 90, last_seen: 2010 })] }), client);
    expect(resubscribe).toHaveBeenCalledExactlyOnceWith({ topic: "org" });
    expect(cached(client)?.data[0]?.values.cpu_percent).toBe(90);
  });

  it("refetches the overview when an agent it does not hold reports", () => {
    const client = clientWith(overview([host(1)]));
    const invalidate = vi.spyOn(client, "invalidateQueries");
    hostsLiveHandler(frame({ seq: 1, snapshot: true, hosts: [entry(1)], status: [{ agent_id: 1, online: true }] }), client);
    expect(invalidate).not.toHaveBeenCalled();
    hostsLiveHandler(frame({ seq: 2, hosts: [entry(42)], status: [{ agent_id: 42, online: true }] }), client);
    expect(invalidate).toHaveBeenCalledExactlyOnceWith({ queryKey: hostsKeys.overview() }, { cancelRefetch: false });
    expect(client.getQueryState(hostsKeys.overview())?.isInvalidated).toBe(true);
  });

  it("feeds each host's CPU into its sparkline ring, once per report", () => {
    const client = clientWith(overview([host(1)]));
    hostsLiveHandler(frame({ seq: 1, snapshot: true, hosts: [entry(1, { cpu: 5, last_seen: 100 })] }), client);
    hostsLiveHandler(frame({ seq: 2, hosts: [entry(1, { cpu: 6, last_seen: 105 })] }), client);
    hostsLiveHandler(frame({ seq: 2, snapshot: true, hosts: [entry(1, { cpu: 6, last_seen: 105 })] }), client); // a resubscribe's snapshot repeats it
    expect(sparkStoreOf(client).values(1)).toEqual([5, 6]);
  });

  it("ignores frames while no overview is cached, and other messages", () => {
    const client = clientWith(undefined);
    hostsLiveHandler(frame({ seq: 1, snapshot: true, hosts: [entry(1)] }), client);
    hostsLiveHandler({ type: "pong" }, client);
    expect(cached(client)).toBeUndefined();
  });
});
