// One agent's state as the list shows it, from its token (GET /agents) and its reports
// (GET /agents/overview, live).
import type { Agent, AgentStatus } from "./queries";

export type AgentState =
  | { kind: "online"; lastSeen: number | null }
  | { kind: "offline"; lastSeen: number | null }
  | { kind: "pending"; deadline: number | null }
  | { kind: "expired" }
  | { kind: "no-report"; lastSeen: number | null };

function seconds(iso: string | null): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms / 1000;
}

export function agentState(agent: Agent, status: AgentStatus | undefined): AgentState {
  const lastSeen = status?.last_seen ?? seconds(agent.last_seen_at);
  if (status?.status === "online") return { kind: "online", lastSeen };
  if (agent.token_status === "pending") {
    return { kind: "pending", deadline: agent.activation_deadline ? Date.parse(agent.activation_deadline) : null };
  }
  if (agent.token_status === "expired") return { kind: "expired" };
  if (status?.status === "offline") return { kind: "offline", lastSeen };
  return { kind: "no-report", lastSeen };
}

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value : null;
}

/** What the agent told about its host (agent_service/host_info.py), when it has reported. */
export function hostSummary(hostInfo: Record<string, unknown>): { hostname: string | null; os: string | null; version: string | null } {
  return {
    hostname: text(hostInfo.hostname),
    os: text(hostInfo.os_version) ?? text(hostInfo.os),
    version: text(hostInfo.agent_version),
  };
}

/** "env=prod web": every word must be in the name, host name or a label (key, value or key=value). */
export function matches(agent: Agent, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const host = hostSummary(agent.host_info).hostname ?? "";
  const haystack = [
    agent.name,
    host,
    ...Object.entries(agent.labels).flatMap(([key, value]) => [key, value, `${key}=${value}`]),
  ].map((part) => part.toLowerCase());
  return words.every((word) => haystack.some((part) => part.includes(word)));
}
