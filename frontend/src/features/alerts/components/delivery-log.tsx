import { useQuery } from "@tanstack/react-query";
import { ErrorMessage } from "@/components/errors/error-message";
import { Badge } from "@/components/ui/badge";
import { Skeleton } from "@/components/ui/skeleton";
import { formatDateTime, formatRelative } from "@/lib/i18n/format";
import { deliveriesQuery } from "../api/queries";
import { t } from "../messages";

const STATUS_TONE: Record<string, "ok" | "crit" | "warn" | "neutral"> = { sent: "ok", failed: "crit", sending: "warn" };
const KINDS = ["firing", "reminder", "resolved", "test", "summary"] as const;
const kindLabel = (kind: string) => ((KINDS as readonly string[]).includes(kind) ? t(`kind_${kind as (typeof KINDS)[number]}`) : kind);
const STATUSES = ["sent", "failed", "sending"] as const;
const statusLabel = (status: string) => ((STATUSES as readonly string[]).includes(status) ? t(`delivery_${status as (typeof STATUSES)[number]}`) : status);

/** The channel's last 50 deliveries (GET /channels/{id}/deliveries), newest first. */
export function DeliveryLog({ channelId }: { channelId: number }) {
  const deliveries = useQuery(deliveriesQuery(channelId));
  if (deliveries.isPending) return <Skeleton className="h-32" />;
  if (deliveries.isError) return <ErrorMessage error={deliveries.error} onRetry={() => void deliveries.refetch()} />;
  if (deliveries.data.length === 0) return <p className="text-sm text-muted-foreground">{t("noDeliveries")}</p>;
  return (
    <ul className="grid gap-2" aria-label={t("deliveryLog")}>
      {deliveries.data.map((delivery) => (
        <li key={delivery.event_key} className="grid gap-1 rounded-md border p-2 text-sm">
          <div className="flex flex-wrap items-center gap-2">
            <Badge tone={STATUS_TONE[delivery.status] ?? "neutral"}>{statusLabel(delivery.status)}</Badge>
            <span className="font-medium">{kindLabel(delivery.kind)}</span>
            {delivery.alert_id != null ? <span className="text-muted-foreground">{t("alertNumber", { id: delivery.alert_id })}</span> : null}
            <span className="text-muted-foreground" title={formatDateTime(delivery.created_at)}>
              {formatRelative(delivery.created_at)}
            </span>
            {delivery.attempts > 1 ? <span className="text-muted-foreground">{t("attempts", { n: delivery.attempts })}</span> : null}
          </div>
          {delivery.error ? <p className="break-words text-destructive">{delivery.error}</p> : null}
        </li>
      ))}
    </ul>
  );
}
