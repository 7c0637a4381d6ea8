// The monitors' search params. Route files import this (through index.ts) to validate the URL,
// so it stays tiny and imports nothing heavy: it lands in the first bundle.
import { compact, oneOf, optionalString } from "@/lib/search";

const STATUSES = ["up", "degraded", "down", "unreachable", "pending", "paused"] as const;
export const CHART_RANGES = ["1h", "6h", "24h", "48h"] as const;
export type ChartRange = (typeof CHART_RANGES)[number];
const NEW_TYPES = ["http", "tcp", "ping", "dns", "tls", "push"] as const;

/** The API filters by labels whose key is a name of letters, digits and _ (probe routes). */
export const FILTERABLE_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]{0,63}:/;

export function validateMonitorsSearch(raw: Record<string, unknown>) {
  const label = optionalString(raw.label, 330);
  return compact({
    q: optionalString(raw.q, 200),
    status: oneOf(raw.status, STATUSES),
    type: optionalString(raw.type, 16),
    // `key:value`, as the API's label filter takes it
    label: label && FILTERABLE_LABEL.test(label) ? label : undefined,
  });
}
export type MonitorsSearch = ReturnType<typeof validateMonitorsSearch>;

export function validateMonitorSearch(raw: Record<string, unknown>) {
  // `span`, not `range`: the host page owns `range` with other values.
  return compact({ span: oneOf(raw.span, CHART_RANGES) });
}
export type MonitorSearch = ReturnType<typeof validateMonitorSearch>;

export function validateNewMonitorSearch(raw: Record<string, unknown>) {
  return compact({ type: oneOf(raw.type, NEW_TYPES) });
}

export function validateIncidentsSearch(raw: Record<string, unknown>) {
  return compact({ state: oneOf(raw.state, ["open", "resolved"] as const) });
}
export type IncidentsSearch = ReturnType<typeof validateIncidentsSearch>;
