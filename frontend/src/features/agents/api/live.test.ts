import { QueryClient, QueryObserver } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { agentsKeys } from "./keys";
import { agentsLiveHandler, applyOrgFrame, awaitingHostInfo, parseOrgFrame } from "./live";
import type { Agent } from "./queries";

const row = (id: number, status: "online" | "offline" | "never") => ({
  id,
  name: `a${id}`,
  labels: {},
  host_info: {},
  status,
  last_seen: status === "never" ? null : 100,
  interval: 5,
  values: {},
});
const overview = { data: [row(1, "online"), row(2, "never"), row(3, "offline")], count: 3, online: 1, offline: 2 };

describe("the organization topic on the agents' status", () => {
  it("parses frames and ignores what is not one", () => {
    expect(parseOrgFrame({ type: "report", agent_id: 1 })).toBeNull();
    expect(parseOrgFrame({ type: "org", hosts: [{ agent_id: 2, last_seen: 5, interval: 2 }, { bad: 1 }], status: [{ agent_id: 2, online: "yes" }] })).toEqual({
      hosts: [{ agent_id: 2, last_seen: 5, interval: 2 }],
      status: [],
    });
  });

  it("applies a delta: new reports, flips, and ids it does not know", () => {
    const { overview: next, unknown, cameOnline } = applyOrgFrame(overview, {
      hosts: [{ agent_id: 2, last_seen: 200, interval: 2 }, { agent_id: 9, last_seen: 1, interval: 1 }],
      status: [{ agent_id: 2, online: true }, { agent_id: 1, online: false }, { agent_id: 3, online: false }],
    });
    expect(next.data.map((r) => [r.id, r.status, r.last_seen])).toEqual([
      [1, "offline", 100],
      [2, "online", 200],
      [3, "offline", 100],
    ]);
    expect([next.online, next.offline]).toEqual([1, 2]);
    expect(unknown).toEqual([9]);
    expect(cameOnline).toEqual([2]);
    expect(next.data[2]).toBe(overview.data[2]); // untouched rows keep their identity
  });

  it("updates a watched cache and refetches the list when a pending agent reports; only marks an unwatched one stale", () => {
    const frame = { type: "org", snapshot: false, hosts: [], status: [{ agent_id: 2, online: true }] };
    const client = new QueryClient();
    client.setQueryData(agentsKeys.status(), overview);
    client.setQueryData(agentsKeys.list(), [{ id: 2, token_status: "pending" }]);

    agentsLiveHandler(frame, client);
    expect(client.getQueryState(agentsKeys.status())?.isInvalidated).toBe(true);
    expect(client.getQueryData<typeof overview>(agentsKeys.status())?.data[1]?.status).toBe("never");

    const observer = new QueryObserver(client, { queryKey: agentsKeys.status(), enabled: false });
    const unsubscribe = observer.subscribe(() => undefined);
    agentsLiveHandler(frame, client);
    expect(client.getQueryData<typeof overview>(agentsKeys.status())?.data[1]?.status).toBe("online");
    expect(client.getQueryState(agentsKeys.list())?.isInvalidated).toBe(true);
    unsubscribe();
  });

  it("asks for the host info of an agent activated within the last minute, not of older ones", () => {
    const now = Date.parse("2026-01-01T00:10:00Z");
    const agent = (activated: string | null, host_info: Record<string, unknown> = {}): Agent => ({
      id: 1,
      org_id: 1,
      name: "a",
      labels: {},
      host_info,
      created_at: "2026-01-01T00:00:00Z",
      token_status: activated ? "active" : "pending",
      activation_deadline: null,
      activated_at: activated,
      last_seen_at: null,
    });
    expect(awaitingHostInfo(agent("2026-01-01T00:09:30Z"), now)).toBe(true);
    expect(awaitingHostInfo(agent("2026-01-01T00:09:30Z", { hostname: "vm" }), now)).toBe(false);
    expect(awaitingHostInfo(agent("2026-01-01T00:05:00Z"), now)).toBe(false);
    expect(awaitingHostInfo(agent(null), now)).toBe(false);
    expect(awaitingHostInfo(undefined, now)).toBe(false);
  });
});
