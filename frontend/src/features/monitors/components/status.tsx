import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/utils";
import type { Status } from "../api/types";
import { formatUptime, type Tone, uptimeTone } from "../model/uptime";
import { t } from "../messages";

export const STATUS_DOT: Record<Status, string> = {
  up: "bg-ok",
  degraded: "bg-warn",
  down: "bg-crit",
  unreachable: "bg-muted-foreground",
  pending: "bg-warn/60 animate-pulse",
  paused: "bg-muted-foreground/40",
};

const STATUS_TONE: Record<Status, "ok" | "warn" | "crit" | "neutral"> = {
  up: "ok",
  degraded: "warn",
  down: "crit",
  unreachable: "neutral",
  pending: "neutral",
  paused: "neutral",
};

export const TONE_BG: Record<Tone, string> = { ok: "bg-ok", warn: "bg-warn", crit: "bg-crit", none: "bg-muted" };

export function statusText(status: Status): string {
  return t(`status_${status}`);
}

export function StatusDot({ status, className }: { status: Status; className?: string }) {
  return <span aria-hidden="true" className={cn("inline-block size-2.5 shrink-0 rounded-full", STATUS_DOT[status], className)} />;
}

/** The status as a word with its colour (never the colour alone). */
export function StatusBadge({ status, className }: { status: Status; className?: string }) {
  return (
    <Badge tone={STATUS_TONE[status]} className={className} data-status={status}>
      <StatusDot status={status} className="size-2" />
      {statusText(status)}
    </Badge>
  );
}

/** An uptime percentage with its tone as a dot beside it (the text keeps full contrast). */
export function UptimeValue({ percent, className }: { percent: number | null | undefined; className?: string }) {
  return (
    <span className={cn("inline-flex items-center justify-end gap-1.5 tabular-nums", className)}>
      <span aria-hidden="true" className={cn("size-1.5 shrink-0 rounded-full", TONE_BG[uptimeTone(percent)])} />
      {formatUptime(percent)}
    </span>
  );
}
