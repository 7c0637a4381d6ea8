import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { authApi, data, probesApi } from "@/lib/api/clients";
import { batched } from "@/lib/batch";
import { monitorKeys } from "./keys";
import type { MonitorFilters } from "./types";

// The pages poll: the list and a monitor's page every 5 s without the live socket, every 30 s
// with it (its "monitors" topic brings each check: api/live.ts); slower figures less often.
export const LIVE_POLL_MS = 5_000;
export const UPTIME_POLL_MS = 60_000;
export const CHECKS_POLL_MS = 20_000;
/** The most checks one request asks for (raw checks are kept 48 h). */
export const MAX_CHECKS = 5_000;

function listQuery(filters: MonitorFilters) {
  return {
    ...(filters.q ? { search: filters.q } : {}),
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.type ? { type: filters.type } : {}),
    ...(filters.label ? { label: filters.label } : {}),
  };
}

/** The organization's monitors, filtered by the server as the URL says; live by polling. */
export const monitorsQuery = (filters: MonitorFilters = {}) =>
  queryOptions({
    queryKey: monitorKeys.list(filters),
    queryFn: async ({ signal }) => data(await probesApi.GET("/monitors", { params: { query: listQuery(filters) }, signal })),
    refetchInterval: LIVE_POLL_MS,
    placeholderData: keepPreviousData,
    meta: { live: true },
  });

/** Every monitor, for names (dependencies, the palette, the parent picker). */
export const allMonitorsQuery = () =>
  queryOptions({
    queryKey: monitorKeys.list({}),
    queryFn: async ({ signal }) => data(await probesApi.GET("/monitors", { signal })),
    staleTime: 15_000,
  });

/** The organization's host agents (GET /agents): which hosts depend on which monitor. */
export const hostsQuery = () =>
  queryOptions({
    queryKey: monitorKeys.hosts(),
    queryFn: async ({ signal }) => data(await authApi.GET("/agents", { signal })),
    staleTime: 30_000,
  });

export const monitorTypesQuery = () =>
  queryOptions({
    queryKey: monitorKeys.types(),
    queryFn: async ({ signal }) => data(await probesApi.GET("/monitors/types", { signal })),
    staleTime: Number.POSITIVE_INFINITY, // fixed by the server's code
  });

/** Uptime of every monitor in one request (GET /monitors/uptime), as a map by monitor id. */
export const uptimesQuery = () =>
  queryOptions({
    queryKey: monitorKeys.uptimes(),
    queryFn: async ({ signal }) => data(await probesApi.GET("/monitors/uptime", { signal })),
    select: (rows) => new Map(rows.map((row) => [row.monitor_id, row])),
    refetchInterval: UPTIME_POLL_MS,
  });

export const monitorQuery = (id: number) =>
  queryOptions({
    queryKey: monitorKeys.detail(id),
    queryFn: async ({ signal }) => data(await probesApi.GET("/monitors/{monitor_id}", { params: { path: { monitor_id: id } }, signal })),
    refetchInterval: LIVE_POLL_MS,
    meta: { live: true },
  });

export const uptimeQuery = (id: number) =>
  queryOptions({
    queryKey: monitorKeys.uptime(id),
    queryFn: async ({ signal }) => data(await probesApi.GET("/monitors/{monitor_id}/uptime", { params: { path: { monitor_id: id } }, signal })),
    refetchInterval: UPTIME_POLL_MS,
  });

/** The checks of the last `hours` (newest first), at most `limit`. */
export const checksQuery = (id: number, hours: number, limit: number) =>
  queryOptions({
    queryKey: monitorKeys.checks(id, hours, limit),
    queryFn: async ({ signal }) =>
      data(await probesApi.GET("/monitors/{monitor_id}/checks", { params: { path: { monitor_id: id }, query: { hours, limit } }, signal })),
    refetchInterval: CHECKS_POLL_MS,
    placeholderData: keepPreviousData,
    meta: { live: true },
  });

// Rows on screen ask for their heartbeats one by one; those of one moment go as one request.
const loadHeartbeat = batched(async (ids: number[]) => {
  const answer = data(await probesApi.GET("/monitors/heartbeats", { params: { query: { ids } } }));
  return new Map(answer.map((heartbeat) => [heartbeat.monitor_id, heartbeat]));
});

/** A list row's 24-hour heartbeat slots and latest response times; null: no such monitor. */
export const heartbeatQuery = (id: number) =>
  queryOptions({
    queryKey: monitorKeys.heartbeat(id),
    queryFn: async () => (await loadHeartbeat(id)) ?? null,
    refetchInterval: CHECKS_POLL_MS,
    placeholderData: keepPreviousData,
    meta: { live: true },
  });

export const pushRunsQuery = (id: number) =>
  queryOptions({
    queryKey: monitorKeys.pushRuns(id),
    queryFn: async ({ signal }) => data(await probesApi.GET("/monitors/{monitor_id}/push-runs", { params: { path: { monitor_id: id } }, signal })),
    refetchInterval: CHECKS_POLL_MS,
  });

export const INCIDENTS_LIMIT = 200;

/** Incidents, newest first; of one monitor, or open or resolved ones only. */
export const incidentsQuery = (filters: { monitorId?: number | undefined; open?: boolean | undefined } = {}) =>
  queryOptions({
    queryKey: monitorKeys.incidentList(filters),
    queryFn: async ({ signal }) =>
      data(
        await probesApi.GET("/incidents", {
          params: {
            query: {
              limit: filters.monitorId === undefined ? INCIDENTS_LIMIT : 50,
              ...(filters.monitorId === undefined ? {} : { monitor_id: filters.monitorId }),
              ...(filters.open === undefined ? {} : { open: filters.open }),
            },
          },
          signal,
        }),
      ),
    refetchInterval: LIVE_POLL_MS * 2,
    placeholderData: keepPreviousData,
  });
