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
  const known = value != null && Number.isFinite(value);
  const clamped = known ? Math.min(100, Math.max(0, value)) : 0;
  if (!known) {
    // No value yet: an empty track, not a meter (a meter without a value is an a11y error).
    return <div aria-hidden="true" className={cn("h-1.5 w-full rounded-full bg-muted", className)} />;
  }
  return (
    <div
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(clamped)}
      className={cn("h-1.5 w-full overflow-hidden rounded-full bg-muted", className)}
    >
      <div className={cn("h-full rounded-full transition-[width]", FILL[levelOf(value, warn, crit)])} style={{ width: `${clamped}%` }} />
    </div>
  );
}
