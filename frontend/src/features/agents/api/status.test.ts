import { describe, expect, it } from "vitest";
import { agentState, hostSummary, matches } from "./status";
import type { Agent, AgentStatus } from "./queries";

const agent = (patch: Partial<Agent> = {}): Agent => ({
  id: 1,
  org_id: 1,
  name: "web-1",
  labels: { env: "prod", role: "web" },
  host_info: {},
  created_at: "2026-01-01T00:00:00Z",
  token_status: "active",
  activation_deadline: null,
  activated_at: "2026-01-01T00:01:00Z",
  last_seen_at: "2026-01-01T00:02:00Z",
  ...patch,
});
const status = (state: AgentStatus["status"], last_seen: number | null = 1000): AgentStatus => ({
  id: 1,
  name: "web-1",
  labels: {},
  host_info: {},
  status: state,
  last_seen,
  interval: 5,
  values: {},
});

describe("an agent's state in the list", () => {
  it("online and offline come from its reports, with the latest report's time", () => {
    expect(agentState(agent(), status("online"))).toEqual({ kind: "online", lastSeen: 1000 });
    expect(agentState(agent(), status("offline"))).toEqual({ kind: "offline", lastSeen: 1000 });
  });

  it("a token not used yet waits with its deadline, or has expired", () => {
    const deadline = "2026-01-01T00:05:00Z";
    expect(agentState(agent({ token_status: "pending", activation_deadline: deadline, activated_at: null, last_seen_at: null }), status("never", null))).toEqual({
      kind: "pending",
      deadline: Date.parse(deadline),
    });
    expect(agentState(agent({ token_status: "expired", activated_at: null }), undefined)).toEqual({ kind: "expired" });
  });

  it("an active token without a report in the live view falls back to the stored last report", () => {
    expect(agentState(agent(), undefined)).toEqual({ kind: "no-report", lastSeen: Date.parse("2026-01-01T00:02:00Z") / 1000 });
  });
});

describe("host info and filtering", () => {
  it("reads what the agent sent about its host", () => {
    expect(hostSummary({ hostname: "vm", os: "Linux", os_version: "Debian GNU/Linux 12", agent_version: "0.1.0" })).toEqual({
      hostname: "vm",
      os: "Debian GNU/Linux 12",
      version: "0.1.0",
    });
    expect(hostSummary({})).toEqual({ hostname: null, os: null, version: null });
  });

  it("matches every word against name, host and labels", () => {
    const a = agent({ host_info: { hostname: "db-host" } });
    expect(matches(a, "")).toBe(true);
    expect(matches(a, "WEB")).toBe(true);
    expect(matches(a, "env=prod")).toBe(true);
    expect(matches(a, "env=prod db-host")).toBe(true);
    expect(matches(a, "env=dev")).toBe(false);
  });
});
