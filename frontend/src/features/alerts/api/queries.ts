import { queryOptions } from "@tanstack/react-query";
import { alertsApi, authApi, data } from "@/lib/api/clients";
import { alertKeys } from "./keys";
import type { Alert, AlertFilters, AlertsView } from "./types";

export const ALERTS_PER_PAGE = 25;
// The alert service has no live channel for alerts (the distribution service publishes host
// reports and the organization topic only): the list polls, and refetches on window focus.
export const ALERTS_POLL_MS = 10_000;
// The API filters by status and severity; host and rule are filtered here over the newest
// SCAN_PAGES × 200 alerts of that status and severity.
const SCAN_PER_PAGE = 200;
const SCAN_PAGES = 5;

type ListQuery = { status: "firing" | "resolved" | "all"; severity?: Alert["severity"] };

async function fetchPage(query: ListQuery, page: number, perPage: number, signal: AbortSignal) {
  return data(await alertsApi.GET("/alerts/", { params: { query: { ...query, page, per_page: perPage } }, signal }));
}

async function fetchAlerts(filters: AlertFilters, signal: AbortSignal): Promise<AlertsView> {
  const page = filters.page ?? 1;
  const query: ListQuery = { status: filters.status ?? "all", ...(filters.severity ? { severity: filters.severity } : {}) };
  if (filters.host === undefined && filters.rule === undefined) return fetchPage(query, page, ALERTS_PER_PAGE, signal);
  const matching: Alert[] = [];
  let scanned = 0;
  let complete = false;
  for (let scan = 1; scan <= SCAN_PAGES; scan += 1) {
    const answer = await fetchPage(query, scan, SCAN_PER_PAGE, signal);
    scanned += answer.data.length;
    matching.push(
      ...answer.data.filter(
        (alert) => (filters.host === undefined || alert.agent_id === filters.host) && (filters.rule === undefined || alert.rule_id === filters.rule),
      ),
    );
    if (scanned >= answer.count || answer.data.length < SCAN_PER_PAGE) {
      complete = true;
      break;
    }
  }
  const start = (page - 1) * ALERTS_PER_PAGE;
  return {
    data: matching.slice(start, start + ALERTS_PER_PAGE),
    count: matching.length,
    page,
    per_page: ALERTS_PER_PAGE,
    scan: { scanned, complete },
  };
}

export const alertsQuery = (filters: AlertFilters) =>
  queryOptions({
    queryKey: alertKeys.list(filters),
    queryFn: ({ signal }) => fetchAlerts(filters, signal),
    refetchInterval: ALERTS_POLL_MS,
    refetchOnWindowFocus: "always",
    placeholderData: (previous) => previous,
  });

export const rulesQuery = () =>
  queryOptions({
    queryKey: alertKeys.rules(),
    queryFn: async ({ signal }) => data(await alertsApi.GET("/rules", { signal })),
  });

export const channelsQuery = () =>
  queryOptions({
    queryKey: alertKeys.channels(),
    queryFn: async ({ signal }) => data(await alertsApi.GET("/channels", { signal })),
  });

export const channelTypesQuery = () =>
  queryOptions({
    queryKey: alertKeys.channelTypes(),
    queryFn: async ({ signal }) => data(await alertsApi.GET("/channels/types", { signal })),
    staleTime: Number.POSITIVE_INFINITY, // fixed by the server's code
  });

export const deliveriesQuery = (channelId: number) =>
  queryOptions({
    queryKey: alertKeys.deliveries(channelId),
    queryFn: async ({ signal }) =>
      data(await alertsApi.GET("/channels/{channel_id}/deliveries", { params: { path: { channel_id: channelId }, query: { limit: 50 } }, signal })),
    refetchInterval: ALERTS_POLL_MS,
  });

export const silencesQuery = () =>
  queryOptions({
    queryKey: alertKeys.silences(),
    queryFn: async ({ signal }) => data(await alertsApi.GET("/silences", { signal })),
  });

/**
 * Hosts with their latest values: names for the lists, and the current value beside a
 * threshold (whose component polls it; names alone do not need to be that fresh).
 */
export const hostsQuery = () =>
  queryOptions({
    queryKey: alertKeys.hosts(),
    queryFn: async ({ signal }) => data(await authApi.GET("/agents/overview", { signal })),
    staleTime: 60_000,
  });

/** Members, to name who acknowledged an alert. */
export const membersQuery = () =>
  queryOptions({
    queryKey: alertKeys.members(),
    queryFn: async ({ signal }) => data(await authApi.GET("/members", { signal })),
    staleTime: 5 * 60_000,
  });

/** The signed-in user's Telegram recipient; polled while a confirmation code is pending. */
export const recipientQuery = (waiting = false) =>
  queryOptions({
    queryKey: alertKeys.recipient(),
    queryFn: async ({ signal }) => data(await alertsApi.GET("/recipient", { signal })),
    refetchInterval: waiting ? 3000 : false,
  });
