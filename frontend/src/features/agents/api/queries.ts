import { queryOptions } from "@tanstack/react-query";
import { authApi, data, type AuthSchemas } from "@/lib/api/clients";
import { agentsKeys } from "./keys";

export type Agent = AuthSchemas["schemas"]["AgentPublic"];
export type AgentCreated = AuthSchemas["schemas"]["AgentCreated"];
export type AgentStatus = AuthSchemas["schemas"]["AgentOverview"];

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
