import { createFileRoute } from "@tanstack/react-router";
import { AlertsTab } from "@/features/alerts";
import { compact, oneOf, optionalNumber } from "@/lib/search";

const id = (value: unknown) => {
  const number = optionalNumber(value, 1, 2 ** 31 - 1);
  return number !== undefined && Number.isInteger(number) ? number : undefined;
};

const search = (raw: Record<string, unknown>) =>
  compact({
    status: oneOf(raw.status, ["firing", "resolved"] as const),
    severity: oneOf(raw.severity, ["critical", "warning", "info"] as const),
    host: id(raw.host),
    monitor: id(raw.monitor),
    rule: id(raw.rule),
    page: id(raw.page),
  });

export const Route = createFileRoute("/_app/alerts/")({ validateSearch: search, component: AlertsTab });
