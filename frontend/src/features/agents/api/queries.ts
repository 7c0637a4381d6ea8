import { queryOptions } from "@tanstack/react-query";
import { authApi, data, probesApi, type AuthSchemas, type ProbeSchemas } from "@/lib/api/clients";
import { agentsKeys } from "./keys";

export type Agent = AuthSchemas["schemas"]["AgentPublic"];
export type AgentCreated = AuthSchemas["schemas"]["AgentCreated"];
export type AgentStatus = AuthSchemas["schemas"]["AgentOverview"];
export type AgentUpdate = AuthSchemas["schemas"]["AgentUpdate"];
export type Monitor = ProbeSchemas["schemas"]["MonitorPublic"];

/** The organization's agents with their token state (pending, active, expired). */
export const agentsListQuery = () =>
  queryOptions({
    queryKey: agentsKeys.list(),
    queryFn: async ({ signal }) => data(await authApi.GET("/agents", { signal })),
  });

/**
 * Online/offline and the latest report's time of each agent. The organization topic keeps it
 * current (agents/live.ts), so it is never stale by time, and refetched after a reconnect.
 */
export const agentsStatusQuery = () =>
  queryOptions({
    queryKey: agentsKeys.status(),
    queryFn: async ({ signal }) => data(await authApi.GET("/agents/overview", { signal })),
    staleTime: Number.POSITIVE_INFINITY,
    meta: { live: true },
  });

/** The organization's uptime monitors, for the "depends on monitor" choice, by name. */
export const monitorsQuery = () =>
  queryOptions({
    queryKey: agentsKeys.monitors(),
    queryFn: async ({ signal }) => data(await probesApi.GET("/monitors", { signal })),
    select: (list) => [...list.data].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true })),
    staleTime: 60_000,
  });
