import type { ChartSource } from "../model/charts";
import { sourceKey } from "../model/charts";

export const metricsKeys = {
  all: ["metrics"] as const,
  host: (agentId: number) => [...metricsKeys.all, "host", agentId] as const,
  chart: (agentId: number, source: ChartSource, start: string, stop: string) =>
    [...metricsKeys.host(agentId), "chart", sourceKey(source), start, stop] as const,
  names: (agentId: number, start: string, stop: string) => [...metricsKeys.host(agentId), "names", start, stop] as const,
  latest: (agentId: number) => [...metricsKeys.host(agentId), "latest"] as const,
  overview: () => [...metricsKeys.all, "overview"] as const,
  agent: (agentId: number) => [...metricsKeys.host(agentId), "agent"] as const,
  monitor: (monitorId: number) => [...metricsKeys.all, "monitor", monitorId] as const,
  alerts: (agentId: number, status: "firing" | "resolved") => [...metricsKeys.all, "alerts", agentId, status] as const,
};
