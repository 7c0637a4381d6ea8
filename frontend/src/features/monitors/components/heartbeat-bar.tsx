import { memo } from "react";
import { formatDateTime } from "@/lib/i18n/format";
import { cn } from "@/lib/utils";
import type { Status } from "../api/types";
import type { Beat } from "../model/uptime";
import { t } from "../messages";
import { statusText } from "./status";

const BEAT_BG: Record<Status, string> = {
  up: "bg-ok",
  degraded: "bg-warn",
  down: "bg-crit",
  unreachable: "bg-muted-foreground/60",
  pending: "bg-warn/50",
  paused: "bg-muted-foreground/30",
};

function summary(beats: readonly Beat[]): string {
  const checked = beats.filter((beat) => beat.checks > 0);
  if (checked.length === 0) return t("heartbeatEmpty");
  const failing = checked.filter((beat) => beat.status === "down").length;
  const slow = checked.filter((beat) => beat.status === "degraded").length;
  return t("heartbeatSummary", { checked: checked.length, slots: beats.length, failing, slow });
}

/** The last 24 hours as slots, each coloured by its worst check; a title names it on hover. */
export const HeartbeatBar = memo(function HeartbeatBar({ beats, className }: { beats: readonly Beat[]; className?: string }) {
  return (
    <div role="img" aria-label={summary(beats)} className={cn("flex h-6 items-stretch gap-px", className)} data-heartbeat={beats.filter((beat) => beat.checks > 0).length}>
      {beats.map((beat) => (
        <span
          key={beat.start}
          title={
            beat.status === null
              ? t("beatNone", { from: formatDateTime(beat.start), to: formatDateTime(beat.end) })
              : t("beatTitle", { from: formatDateTime(beat.start), status: statusText(beat.status), checks: beat.checks, down: beat.down })
          }
          data-beat={beat.status ?? "none"}
          className={cn("min-w-0.5 flex-1 rounded-[1px]", beat.status === null ? "bg-muted" : BEAT_BG[beat.status])}
        />
      ))}
    </div>
  );
});

export function HeartbeatSkeleton({ className }: { className?: string }) {
  return <div aria-hidden="true" className={cn("h-6 animate-pulse rounded-sm bg-muted", className)} />;
}
