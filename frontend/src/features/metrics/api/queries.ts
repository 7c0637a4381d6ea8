import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { alertsApi, authApi, data, historyApi, probesApi, type AlertSchemas, type AuthSchemas } from "@/lib/api/clients";
import type { ChartSource } from "../model/charts";
import { type ResolvedRange, rangeParams } from "../model/range";
import type { LiveReport } from "../model/report";
import type { ChartAnswer } from "../model/shape";
import { metricsKeys } from "./keys";

export type HostOverview = AuthSchemas["schemas"]["AgentOverview"];
export type Alert = AlertSchemas["schemas"]["AlertPublic"];

/** One chart's history. Live ranges seed the live charts and refetch after a reconnect. */
export const chartQuery = (agentId: number, source: ChartSource, range: ResolvedRange) => {
  const { start, stop } = rangeParams(range);
  return queryOptions({
    queryKey: metricsKeys.chart(agentId, source, start, stop),
    queryFn: async ({ signal }): Promise<ChartAnswer> => {
      const query = { start, stop };
      if ("panel" in source) {
        return data(await historyApi.GET("/history/{agent_id}/{panel}", { params: { path: { agent_id: agentId, panel: source.panel }, query }, signal }));
      }
      return data(await historyApi.GET("/history/{agent_id}/metrics/{name}", { params: { path: { agent_id: agentId, name: source.metric }, query }, signal }));
    },
    ...(range.key === "live"
      ? { staleTime: Number.POSITIVE_INFINITY, meta: { live: true }, refetchOnWindowFocus: false }
      : range.key === "custom"
        ? { staleTime: Number.POSITIVE_INFINITY, placeholderData: keepPreviousData }
        : { staleTime: range.refetchMs / 2, refetchInterval: range.refetchMs, placeholderData: keepPreviousData }),
  });
};

/** Names of every metric the host stored in the range (at least the last 7 days). */
export const metricNamesQuery = (agentId: number, range: ResolvedRange) => {
  const wide = range.seconds > 7 * 86400;
  const start = wide ? range.start : "-7d";
  const stop = wide ? range.stop : "now";
  return queryOptions({
    queryKey: metricsKeys.names(agentId, start, stop),
    queryFn: async ({ signal }) =>
      data(await historyApi.GET("/history/{agent_id}/metrics", { params: { path: { agent_id: agentId }, query: { start, stop } }, signal })).metrics,
    staleTime: 5 * 60_000,
  });
};

/** Every host, by name: the host's own info and the previous/next host come from here. */
export const overviewQuery = () =>
  queryOptions({
    queryKey: metricsKeys.overview(),
    queryFn: async ({ signal }) => data(await authApi.GET("/agents/overview", { signal })),
    staleTime: 20_000,
    refetchInterval: 30_000,
  });

/** The latest report of a host, written by the live socket (no request: the socket sends the
 * latest report first when subscribing, also after a reconnect). */
export const latestReportQuery = (agentId: number) =>
  queryOptions({
    queryKey: metricsKeys.latest(agentId),
    queryFn: (): LiveReport | null => null,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 60_000,
  });

/** This host's alerts of one status, newest first. */
export const alertsQuery = (agentId: number, status: "firing" | "resolved") =>
  queryOptions({
    queryKey: metricsKeys.alerts(agentId, status),
    queryFn: async ({ signal }) => {
      const query = { status, agent_id: agentId, per_page: status === "firing" ? 200 : 20 };
      return data(await alertsApi.GET("/", { params: { query }, signal })).data;
    },
    refetchInterval: 30_000,
  });

/** The agent as stored (the overview has no parent monitor): what the host depends on. */
export const agentQuery = (agentId: number) =>
  queryOptions({
    queryKey: metricsKeys.agent(agentId),
    queryFn: async ({ signal }) => data(await authApi.GET("/agents/{agent_id}", { params: { path: { agent_id: agentId } }, signal })),
    staleTime: 60_000,
  });

/** The uptime monitor a host depends on, for its name and state. */
export const parentMonitorQuery = (monitorId: number) =>
  queryOptions({
    queryKey: metricsKeys.monitor(monitorId),
    queryFn: async ({ signal }) => data(await probesApi.GET("/monitors/{monitor_id}", { params: { path: { monitor_id: monitorId } }, signal })),
    staleTime: 30_000,
  });
