import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { liveSocket } from "@/lib/realtime/socket";
import { latestReportQuery, overviewQuery } from "../api/queries";
import type { ChartSpec } from "../model/charts";
import { LiveSeries } from "../model/live-series";
import { parseReport } from "../model/report";

/** The live charts of one host page; each chart's ring is made when it first asks for it. */
export class LiveHost {
  private readonly charts = new Map<string, LiveSeries>();

  series(spec: ChartSpec): LiveSeries {
    let series = this.charts.get(spec.id);
    if (!series) {
      series = new LiveSeries(spec);
      this.charts.set(spec.id, series);
    }
    return series;
  }

  push(report: Parameters<LiveSeries["push"]>[0]): void {
    for (const series of this.charts.values()) series.push(report);
  }
}

/**
 * Subscribes to the host's report frames for as long as its page is open. Each frame becomes
 * the cached latest report (the value cards) and a row of every live chart's ring (drawn by the
 * charts at their next animation frame; React does not re-render for it).
 */
export function useLiveHost(agentId: number): LiveHost {
  const queryClient = useQueryClient();
  const [host] = useState(() => new LiveHost());
  useEffect(() => {
    const release = liveSocket.subscribe({ agent_id: agentId });
    const off = liveSocket.onMessage((message) => {
      const report = parseReport(message);
      if (!report || report.agentId !== agentId) return;
      queryClient.setQueryData(latestReportQuery(agentId).queryKey, report);
      host.push(report);
      // The agent sends its host info when it starts or the host changed: the overview has it.
      if (report.hostInfo) void queryClient.invalidateQueries({ queryKey: overviewQuery().queryKey });
    });
    return () => {
      off();
      release();
    };
  }, [agentId, host, queryClient]);
  return host;
}
