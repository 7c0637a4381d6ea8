// The organization topic (distribution_service/domain/org_topic.py) → the agents' status cache.
// Frames: {"type": "org", "snapshot": bool, "hosts": [{agent_id, last_seen, ...}],
// "status": [{agent_id, online}]}; an agent id the cache does not know was created since.
import type { QueryClient } from "@tanstack/react-query";
import type { AuthSchemas } from "@/lib/api/clients";
import { agentsKeys } from "./keys";
import type { Agent } from "./queries";

type Overview = AuthSchemas["schemas"]["AgentsOverview"];

export interface OrgFrame {
  hosts: { agent_id: number; last_seen: number | null; interval: number | null }[];
  status: { agent_id: number; online: boolean }[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;
const num = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);

export function parseOrgFrame(message: Record<string, unknown>): OrgFrame | null {
  if (message.type !== "org") return null;
  const hosts: OrgFrame["hosts"] = [];
  const status: OrgFrame["status"] = [];
  for (const host of Array.isArray(message.hosts) ? (message.hosts as unknown[]) : []) {
    const id = isRecord(host) ? num(host.agent_id) : null;
    if (isRecord(host) && id !== null) hosts.push({ agent_id: id, last_seen: num(host.last_seen), interval: num(host.interval) });
  }
  for (const entry of Array.isArray(message.status) ? (message.status as unknown[]) : []) {
    const id = isRecord(entry) ? num(entry.agent_id) : null;
    if (isRecord(entry) && id !== null && typeof entry.online === "boolean") status.push({ agent_id: id, online: entry.online });
  }
  return { hosts, status };
}

/** The overview after `frame`; `unknown`: ids it does not hold; `cameOnline`: ids that did. */
export function applyOrgFrame(overview: Overview, frame: OrgFrame): { overview: Overview; unknown: number[]; cameOnline: number[] } {
  const index = new Map(overview.data.map((row, position) => [row.id, position]));
  const rows = [...overview.data];
  const unknown: number[] = [];
  const cameOnline: number[] = [];
  for (const host of frame.hosts) {
    const position = index.get(host.agent_id);
    const row = position === undefined ? undefined : rows[position];
    if (position === undefined || !row) {
      unknown.push(host.agent_id);
      continue;
    }
    rows[position] = { ...row, last_seen: host.last_seen ?? row.last_seen, interval: host.interval ?? row.interval };
  }
  for (const entry of frame.status) {
    const position = index.get(entry.agent_id);
    const row = position === undefined ? undefined : rows[position];
    if (position === undefined || !row) {
      if (!unknown.includes(entry.agent_id)) unknown.push(entry.agent_id);
      continue;
    }
    const status = entry.online ? "online" : "offline";
    if (entry.online && row.status !== "online") cameOnline.push(entry.agent_id);
    if (row.status !== status) rows[position] = { ...row, status };
  }
  const online = rows.filter((row) => row.status === "online").length;
  return { overview: { ...overview, data: rows, online, offline: rows.length - online }, unknown, cameOnline };
}

/** Registered in app/live-handlers.ts. Only a watched status cache is updated frame by frame;
 * one nobody watches is marked stale and fetched afresh when the page opens again. */
export function agentsLiveHandler(message: Record<string, unknown>, queryClient: QueryClient): void {
  if (message.type !== "org") return;
  const query = queryClient.getQueryCache().find<Overview>({ queryKey: agentsKeys.status(), exact: true });
  const current = query?.state.data;
  if (!query || !current) return;
  if (query.getObserversCount() === 0) {
    if (!query.state.isInvalidated) void queryClient.invalidateQueries({ queryKey: agentsKeys.status(), exact: true, refetchType: "none" });
    return;
  }
  const frame = parseOrgFrame(message);
  if (!frame) return;
  const { overview, unknown, cameOnline } = applyOrgFrame(current, frame);
  queryClient.setQueryData(agentsKeys.status(), overview);
  if (unknown.length > 0) {
    void queryClient.invalidateQueries({ queryKey: agentsKeys.all });
    return;
  }
  // A first report activates the token, and the host info it carried is stored a moment
  // later: the list shows either only after a refetch.
  const list = queryClient.getQueryData<Agent[]>(agentsKeys.list());
  const byId = new Map((list ?? []).map((agent) => [agent.id, agent]));
  const now = Date.now();
  if (
    cameOnline.some((id) => byId.get(id)?.token_status !== "active") ||
    frame.hosts.some(({ agent_id }) => awaitingHostInfo(byId.get(agent_id), now))
  ) {
    void queryClient.invalidateQueries({ queryKey: agentsKeys.list() });
  }
}

/** Activated in the last minute and its host info not in the list yet (older agents that
 * never send any are not asked about again and again). */
export function awaitingHostInfo(agent: Agent | undefined, now: number): boolean {
  if (!agent || Object.keys(agent.host_info).length > 0) return false;
  const activated = agent.activated_at ? Date.parse(agent.activated_at) : Number.NaN;
  return agent.token_status === "active" && now - activated < HOST_INFO_WAIT_MS;
}

const HOST_INFO_WAIT_MS = 60_000;
