import { memo } from "react";
import { cn } from "@/lib/utils";
import { sparkPoints } from "../model/uptime";
import { t } from "../messages";

const WIDTH = 96;
const HEIGHT = 24;

/** The latest response times of a monitor, as a line scaled to their maximum. */
export const ResponseSparkline = memo(function ResponseSparkline({ responseMs, name, className }: { responseMs: readonly (number | null)[]; name: string; className?: string }) {
  const points = sparkPoints(responseMs, WIDTH, HEIGHT);
  return (
    <svg role="img" aria-label={t("responseTrendOf", { name })} width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className={cn("shrink-0 overflow-visible text-chart-2", className)}>
      <title>{t("responseTrendOf", { name })}</title>
      <line x1="0" x2={WIDTH} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} className="stroke-border" strokeWidth="1" />
      {points ? <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" strokeLinecap="round" /> : null}
    </svg>
  );
});
