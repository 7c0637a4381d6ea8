// The organization topic's frames (distribution_service/domain/org_topic.py) applied to the
// agents overview: pure functions, so the live handler stays a thin shell around them.
import type { Host, HostStatus, Overview } from "../api/queries";

export interface OrgHostEntry {
  agent_id: number;
  cpu: number | null;
  memory: number | null;
  disk: number | null;
  net_in: number | null;
  net_out: number | null;
  last_seen: number;
  interval: number | null;
}

export interface OrgStatusEntry {
  agent_id: number;
  online: boolean;
}

export interface OrgFrame {
  seq: number;
  snapshot: boolean;
  hosts: OrgHostEntry[];
  status: OrgStatusEntry[];
}

/** The overview's `values` keys each topic field stands for. */
export const VALUE_KEYS = {
  cpu: "cpu_percent",
  memory: "memory_percent",
  disk: "disk_percent",
  net_in: "net_recv_bytes_per_s",
  net_out: "net_sent_bytes_per_s",
} as const;

const isNumber = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);
const isNumberOrNull = (value: unknown): value is number | null => value === null || isNumber(value);

function isHostEntry(value: unknown): value is OrgHostEntry {
  if (typeof value !== "object" || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    isNumber(entry.agent_id) &&
    isNumber(entry.last_seen) &&
    isNumberOrNull(entry.cpu) &&
    isNumberOrNull(entry.memory) &&
    isNumberOrNull(entry.disk) &&
    isNumberOrNull(entry.net_in) &&
    isNumberOrNull(entry.net_out) &&
    (entry.interval === undefined || isNumberOrNull(entry.interval))
  );
}

function isStatusEntry(value: unknown): value is OrgStatusEntry {
  if (typeof value !== "object" || value === null) return false;
  const entry = value as Record<string, unknown>;
  return isNumber(entry.agent_id) && typeof entry.online === "boolean";
}

/** An organization frame, or null for any other message (report frames, acks, errors). */
export function parseOrgFrame(message: Record<string, unknown>): OrgFrame | null {
  if (message.type !== "org" || !isNumber(message.seq) || typeof message.snapshot !== "boolean") return null;
  const hosts = Array.isArray(message.hosts) ? message.hosts.filter(isHostEntry) : [];
  const status = Array.isArray(message.status) ? message.status.filter(isStatusEntry) : [];
  return { seq: message.seq, snapshot: message.snapshot, hosts, status };
}

export interface Applied {
  /** The new overview; the same object when the frame changed nothing. */
  overview: Overview;
  /** Agents the frame names that the overview does not hold: created since it was fetched. */
  unknown: number[];
  /** Snapshots only: reporting agents the snapshot no longer names (deleted since). */
  vanished: number[];
}

const TOPIC_KEYS = new Set<string>(Object.values(VALUE_KEYS));

function withValues(host: Host, entry: OrgHostEntry): Host {
  const values: Host["values"] = {};
  for (const [key, value] of Object.entries(host.values)) if (!TOPIC_KEYS.has(key)) values[key] = value; // swap, load
  for (const [field, key] of Object.entries(VALUE_KEYS) as [keyof typeof VALUE_KEYS, string][]) {
    const value = entry[field];
    if (value !== null) values[key] = value; // null: the host no longer reports it
  }
  return { ...host, values, last_seen: entry.last_seen, interval: entry.interval ?? null };
}

/**
 * Applies a snapshot or a delta: a host entry replaces the host's values (unless the overview
 * already holds a newer report), a status entry sets online/offline. Only changed hosts get
 * new objects, so everything keyed on the others stays put.
 */
export function applyOrgFrame(overview: Overview, frame: OrgFrame): Applied {
  const position = new Map<number, number>();
  overview.data.forEach((host, index) => position.set(host.id, index));
  const copy: { rows: Host[] | null } = { rows: null }; // made on the first change
  const unknown = new Set<number>();
  const update = (index: number, next: Host) => {
    copy.rows ??= overview.data.slice();
    copy.rows[index] = next;
  };
  const current = (index: number): Host => (copy.rows ?? overview.data)[index] as Host;

  for (const entry of frame.hosts) {
    const index = position.get(entry.agent_id);
    if (index === undefined) {
      unknown.add(entry.agent_id);
      continue;
    }
    const host = current(index);
    // Older than what we show, or the very report shown (a snapshot after the fetch): no change.
    if (host.last_seen !== null && entry.last_seen <= host.last_seen) continue;
    update(index, withValues(host, entry));
  }
  for (const entry of frame.status) {
    const index = position.get(entry.agent_id);
    if (index === undefined) {
      unknown.add(entry.agent_id);
      continue;
    }
    const host = current(index);
    const status: HostStatus = entry.online ? "online" : "offline";
    if (host.status !== status) update(index, { ...host, status });
  }

  const vanished: number[] = [];
  if (frame.snapshot) {
    const named = new Set<number>();
    for (const entry of frame.hosts) named.add(entry.agent_id);
    for (const entry of frame.status) named.add(entry.agent_id);
    for (const host of copy.rows ?? overview.data) {
      if (host.status !== "never" && !named.has(host.id)) vanished.push(host.id);
    }
  }

  const data = copy.rows;
  if (data === null) return { overview, unknown: [...unknown], vanished };
  const online = data.reduce((count, host) => count + (host.status === "online" ? 1 : 0), 0);
  return {
    overview: { ...overview, data, online, offline: data.length - online },
    unknown: [...unknown],
    vanished,
  };
}

export type SeqVerdict = "in-order" | "gap";

/**
 * Frame order within one subscription: a snapshot sets the count, each delta must be the
 * next one. A gap means frames were lost on the way and a fresh snapshot is needed.
 */
export class SeqTracker {
  private last: number | null = null;
  private awaitingSnapshot = false;

  observe(frame: Pick<OrgFrame, "seq" | "snapshot">): SeqVerdict {
    if (frame.snapshot) {
      this.last = frame.seq;
      this.awaitingSnapshot = false;
      return "in-order";
    }
    const expected = this.last === null ? null : this.last + 1;
    this.last = frame.seq;
    if (this.awaitingSnapshot) return "in-order"; // frames already on their way; the snapshot follows
    if (expected !== null && frame.seq !== expected) {
      this.awaitingSnapshot = true;
      return "gap";
    }
    return "in-order";
  }
}
