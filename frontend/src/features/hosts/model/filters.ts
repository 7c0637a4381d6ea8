// The hosts page's search, filters and sort: typed URL search params and the pure functions
// the table model filters and sorts with. The route imports this file, so it stays tiny.
import type { Host, HostStatus } from "../api/queries";

export const SORT_KEYS = ["name", "status", "cpu", "memory", "disk"] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export const STATUS_FILTERS = ["online", "offline", "never"] as const satisfies readonly HostStatus[];
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export interface HostsSearch {
  /** Free text: host name, label key, value or `key=value`. */
  q?: string;
  status?: StatusFilter;
  /** `key=value` pairs; a host needs one of the values of every key named. */
  labels?: string[];
  sort?: SortKey;
  desc?: boolean;
}

const MAX_LABEL_FILTERS = 32;

function pick<const T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  return typeof value === "string" && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

/** Route search validation: anything malformed is dropped, never thrown. */
export function validateHostsSearch(raw: Record<string, unknown>): HostsSearch {
  const search: HostsSearch = {};
  if (typeof raw.q === "string" && raw.q.trim() !== "" && raw.q.length <= 200) search.q = raw.q;
  const status = pick(raw.status, STATUS_FILTERS);
  if (status) search.status = status;
  const rawLabels: unknown[] = Array.isArray(raw.labels) ? raw.labels : typeof raw.labels === "string" ? [raw.labels] : [];
  const labels = [...new Set(rawLabels.filter((l): l is string => typeof l === "string" && parseLabel(l) !== null))].slice(0, MAX_LABEL_FILTERS);
  if (labels.length > 0) search.labels = labels;
  const sort = pick(raw.sort, SORT_KEYS);
  if (sort && sort !== "name") search.sort = sort;
  if (raw.desc === true || raw.desc === "true") search.desc = true;
  return search;
}

export function parseLabel(pair: string): { key: string; value: string } | null {
  const at = pair.indexOf("=");
  if (at <= 0 || pair.length > 600) return null;
  return { key: pair.slice(0, at), value: pair.slice(at + 1) };
}

export const labelPair = (key: string, value: string): string => `${key}=${value}`;

export interface HostFilter {
  terms: string[];
  status?: StatusFilter | undefined;
  /** key → accepted values */
  labels: Map<string, Set<string>>;
}

export function toHostFilter(search: Pick<HostsSearch, "q" | "status" | "labels">): HostFilter | undefined {
  const terms = (search.q ?? "").toLowerCase().split(/\s+/).filter(Boolean);
  const labels = new Map<string, Set<string>>();
  for (const pair of search.labels ?? []) {
    const label = parseLabel(pair);
    if (!label) continue;
    const values = labels.get(label.key) ?? new Set<string>();
    values.add(label.value);
    labels.set(label.key, values);
  }
  if (terms.length === 0 && !search.status && labels.size === 0) return undefined;
  return { terms, status: search.status, labels };
}

function termMatches(host: Host, term: string): boolean {
  if (host.name.toLowerCase().includes(term)) return true;
  for (const [key, value] of Object.entries(host.labels)) {
    if (`${key}=${value}`.toLowerCase().includes(term)) return true;
  }
  return false;
}

/** Every search term in the name or a label, the status chosen, one value of each label key. */
export function matchesHost(host: Host, filter: HostFilter): boolean {
  if (filter.status && host.status !== filter.status) return false;
  for (const [key, values] of filter.labels) {
    const value = host.labels[key];
    if (value === undefined || !values.has(value)) return false;
  }
  return filter.terms.every((term) => termMatches(host, term));
}

const STATUS_RANK: Record<HostStatus, number> = { offline: 0, online: 1, never: 2 };
const METRIC: Record<"cpu" | "memory" | "disk", string> = { cpu: "cpu_percent", memory: "memory_percent", disk: "disk_percent" };
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

export function sortValue(host: Host, key: SortKey): number | string | undefined {
  switch (key) {
    case "name":
      return host.name;
    case "status":
      return STATUS_RANK[host.status];
    default:
      return host.values[METRIC[key]];
  }
}

/**
 * Ascending or descending by `key`; hosts without the value (never reported) last either way;
 * ties by name, then id, so the order is total and rows never swap places between frames.
 */
export function compareHosts(a: Host, b: Host, key: SortKey, desc: boolean): number {
  const av = sortValue(a, key);
  const bv = sortValue(b, key);
  if (av === undefined || bv === undefined) {
    if (av !== bv) return av === undefined ? 1 : -1;
  } else {
    const order = typeof av === "string" && typeof bv === "string" ? collator.compare(av, bv) : (av as number) - (bv as number);
    if (order !== 0) return desc ? -order : order;
  }
  if (key !== "name") {
    const byName = collator.compare(a.name, b.name);
    if (byName !== 0) return byName;
  }
  return a.id - b.id;
}

/** Every label of these hosts as `key=value`, with how many hosts carry it, sorted. */
export function labelCounts(hosts: readonly Host[]): { pair: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const host of hosts) {
    for (const [key, value] of Object.entries(host.labels)) {
      const pair = labelPair(key, value);
      counts.set(pair, (counts.get(pair) ?? 0) + 1);
    }
  }
  return [...counts].map(([pair, count]) => ({ pair, count })).sort((a, b) => collator.compare(a.pair, b.pair));
}
