import { Badge } from "@/components/ui/badge";
import type { Alert, Severity } from "../api/types";
import { t } from "../messages";

const SEVERITY_TONE = { critical: "crit", warning: "warn", info: "info" } as const;

export function SeverityBadge({ severity }: { severity: Severity }) {
  return <Badge tone={SEVERITY_TONE[severity]}>{t(`severity_${severity}`)}</Badge>;
}

export type AlertPhase = "firing" | "acknowledged" | "resolved";

export function phaseOf(alert: Pick<Alert, "resolved_at" | "acknowledged_at">): AlertPhase {
  if (alert.resolved_at) return "resolved";
  return alert.acknowledged_at ? "acknowledged" : "firing";
}

const PHASE_TONE = { firing: "crit", acknowledged: "warn", resolved: "ok" } as const;

export function PhaseBadge({ alert }: { alert: Pick<Alert, "resolved_at" | "acknowledged_at" | "silenced"> }) {
  const phase = phaseOf(alert);
  return (
    <>
      <Badge tone={PHASE_TONE[phase]}>{t(`phase_${phase}`)}</Badge>
      {alert.silenced ? <Badge>{t("silencedBadge")}</Badge> : null}
    </>
  );
}
