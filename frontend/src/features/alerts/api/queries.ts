import { queryOptions } from "@tanstack/react-query";
import { alertsApi, authApi, data, probesApi } from "@/lib/api/clients";
import { alertKeys } from "./keys";
import type { AlertFilters, AlertsView } from "./types";

export const ALERTS_PER_PAGE = 25;
// The alert service has no live channel for alerts (the distribution service publishes host
// reports and the organization topic only): the list polls, and refetches on window focus.
export const ALERTS_POLL_MS = 10_000;
async function fetchAlerts(filters: AlertFilters, signal: AbortSignal): Promise<AlertsView> {
  const query = {
    status: filters.status ?? ("all" as const),
    page: filters.page ?? 1,
    per_page: ALERTS_PER_PAGE,
    ...(filters.severity ? { severity: filters.severity } : {}),
    ...(filters.host === undefined ? {} : { agent_id: filters.host }),
    ...(filters.monitor === undefined ? {} : { monitor_id: filters.monitor }),
    ...(filters.rule === undefined ? {} : { rule_id: filters.rule }),
  };
  return data(await alertsApi.GET("/alerts/", { params: { query }, signal }));
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

/**
 * Uptime monitors (the probe service), to name them in alerts and rules and to show their
 * current state beside a monitor rule's threshold.
 */
export const monitorsQuery = () =>
  queryOptions({
    queryKey: alertKeys.monitors(),
    queryFn: async ({ signal }) => data(await probesApi.GET("/monitors", { signal })),
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
