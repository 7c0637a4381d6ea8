import { queryOptions } from "@tanstack/react-query";
import { alertsApi, authApi, data, type AlertSchemas, type AuthSchemas } from "@/lib/api/clients";
import { hostsKeys } from "./keys";

export type Host = AuthSchemas["schemas"]["AgentOverview"];
export type Overview = AuthSchemas["schemas"]["AgentsOverview"];
export type HostStatus = Host["status"];
export type FiringAlert = AlertSchemas["schemas"]["AlertPublic"];
export type AlertRule = AlertSchemas["schemas"]["RulePublic"];

/** Every agent with its status and latest values; kept current by the organization topic. */
export const overviewQuery = () =>
  queryOptions({
    queryKey: hostsKeys.overview(),
    queryFn: async ({ signal }) => data(await authApi.GET("/agents/overview", { signal })),
    staleTime: Number.POSITIVE_INFINITY,
    meta: { live: true },
  });

const ALERTS_PER_PAGE = 200; // the service's maximum
const MAX_ALERT_PAGES = 10; // 2,000 firing alerts are plenty for badges on cards

/** The organization's firing alerts (all pages). Alerts are not on the live socket: polled. */
export const firingAlertsQuery = () =>
  queryOptions({
    queryKey: hostsKeys.firingAlerts(),
    queryFn: async ({ signal }) => {
      const alerts: FiringAlert[] = [];
      for (let page = 1; page <= MAX_ALERT_PAGES; page += 1) {
        const answer = data(
          await alertsApi.GET("/", { params: { query: { status: "firing", page, per_page: ALERTS_PER_PAGE } }, signal }),
        );
        alerts.push(...answer.data);
        if (answer.data.length < ALERTS_PER_PAGE || alerts.length >= answer.count) break;
      }
      return alerts;
    },
    staleTime: 20_000,
    refetchInterval: 30_000,
  });

/** The alert rules: their thresholds colour the usage bars. */
export const alertRulesQuery = () =>
  queryOptions({
    queryKey: hostsKeys.rules(),
    queryFn: async ({ signal }) => data(await alertsApi.GET("/rules", { signal })),
    staleTime: 5 * 60_000,
  });
