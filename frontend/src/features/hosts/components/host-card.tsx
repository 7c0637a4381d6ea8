import { Link } from "@tanstack/react-router";
import { memo } from "react";
import type { Host } from "../api/queries";
import { t } from "../messages";
import { AlertsSummary, LabelChips, NetRates, StatusText, UsageMeter, useThresholds } from "./host-parts";
import { Sparkline } from "./sparkline";

/** Fixed, so the virtualised grid knows every row's height without measuring. */
export const CARD_HEIGHT = 216;

/** One host in the grid: the whole card leads to the host's page. */
export const HostCard = memo(function HostCard({ host }: { host: Host }) {
  const levels = useThresholds(host);
  return (
    <article
      aria-labelledby={`host-${host.id}`}
      data-host-card={host.id}
      style={{ height: CARD_HEIGHT }}
      className="relative flex min-w-0 flex-col gap-2 overflow-hidden rounded-lg border bg-card p-3.5 shadow-xs [contain:content] focus-within:border-primary hover:border-primary/60 [&>*]:shrink-0"
    >
      <div className="min-w-0">
        <h3 className="truncate font-semibold leading-tight">
          <Link
            id={`host-${host.id}`}
            to="/hosts/$agentId"
            params={{ agentId: String(host.id) }}
            className="rounded-sm outline-none after:absolute after:inset-0 after:rounded-lg focus-visible:underline"
          >
            {host.name}
          </Link>
        </h3>
        <StatusText host={host} className="text-xs" />
      </div>
      <LabelChips labels={host.labels} className="h-5" />
      <dl className="grid grid-cols-[3.75rem_minmax(0,1fr)] items-center gap-x-2 gap-y-1 text-xs">
        <dt className="text-muted-foreground">{t("cpu")}</dt>
        <dd>
          <UsageMeter host={host} metric="cpu" levels={levels.cpu} />
        </dd>
        <dt className="text-muted-foreground">{t("memory")}</dt>
        <dd>
          <UsageMeter host={host} metric="memory" levels={levels.memory} />
        </dd>
        <dt className="text-muted-foreground">{t("disk")}</dt>
        <dd>
          <UsageMeter host={host} metric="disk" levels={levels.disk} />
        </dd>
        <dt className="text-muted-foreground">{t("network")}</dt>
        <dd>
          <NetRates host={host} />
        </dd>
      </dl>
      <div className="mt-auto flex min-w-0 items-end justify-between gap-3">
        <AlertsSummary agentId={host.id} className="relative z-10" />
        <Sparkline agentId={host.id} name={host.name} className="ml-auto" />
      </div>
    </article>
  );
});
