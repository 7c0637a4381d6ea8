import { useQueryClient } from "@tanstack/react-query";
import { memo, useCallback, useSyncExternalStore } from "react";
import { cn } from "@/lib/utils";
import { sparkPoints, sparkStoreOf } from "../model/sparklines";
import { t } from "../messages";

const WIDTH = 96;
const HEIGHT = 24;

/** The host's CPU over its last reports, from the per-host ring the live handler fills. */
export const Sparkline = memo(function Sparkline({ agentId, name, className }: { agentId: number; name: string; className?: string }) {
  const store = sparkStoreOf(useQueryClient());
  const subscribe = useCallback((listener: () => void) => store.subscribe(agentId, listener), [store, agentId]);
  useSyncExternalStore(subscribe, () => store.version(agentId)); // re-render on a new value
  const values = store.values(agentId);
  const points = sparkPoints(values, WIDTH, HEIGHT);
  return (
    <svg
      role="img"
      aria-label={t("cpuTrendOf", { name })}
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      data-points={values.length}
      className={cn("shrink-0 overflow-visible text-chart-1", className)}
    >
      <title>{t("cpuTrendOf", { name })}</title>
      <line x1="0" x2={WIDTH} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} className="stroke-border" strokeWidth="1" />
      {points ? <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" strokeLinecap="round" /> : null}
    </svg>
  );
});
