import { cn } from "@/lib/utils";

export type Level = "ok" | "warn" | "crit" | "none";

/** warn/crit thresholds in percent; the colour a usage bar takes at `value`. */
export function levelOf(value: number | null | undefined, warn = 70, crit = 90): Level {
  if (value == null || !Number.isFinite(value)) return "none";
  if (value >= crit) return "crit";
  if (value >= warn) return "warn";
  return "ok";
}

const FILL: Record<Level, string> = { ok: "bg-ok", warn: "bg-warn", crit: "bg-crit", none: "bg-muted-foreground/30" };

/** A usage bar; `warn`/`crit` move the colour thresholds (e.g. to an alert rule's). */
export function ProgressBar({
  value,
  label,
  className,
  warn,
  crit,
}: {
  value: number | null | undefined;
  label: string;
  className?: string;
  warn?: number;
  crit?: number;
}) {
  const clamped = value == null || !Number.isFinite(value) ? 0 : Math.min(100, Math.max(0, value));
  return (
    <div
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value == null ? undefined : Math.round(clamped)}
      className={cn("h-1.5 w-full overflow-hidden rounded-full bg-muted", className)}
    >
      <div className={cn("h-full rounded-full transition-[width]", FILL[levelOf(value, warn, crit)])} style={{ width: `${clamped}%` }} />
    </div>
  );
}
