import { getRouteApi, Link } from "@tanstack/react-router";
import { ChevronLeft, ChevronRight } from "lucide-react";
import { buttonVariants } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import type { HostOverview } from "../api/queries";
import { useHostKeys } from "../hooks/use-host-keys";
import { neighbours } from "../model/neighbours";
import { t } from "../messages";

const route = getRouteApi("/_app/hosts/$agentId");

function Kbd({ children }: { children: string }) {
  return <kbd className="rounded border bg-card px-1 font-mono text-[11px] leading-4">{children}</kbd>;
}

/** Previous/next host buttons (the overview's name order), ←/→ and h/l, and a hint saying so. */
export function HostNav({ hosts, agentId }: { hosts: readonly HostOverview[]; agentId: number }) {
  const navigate = route.useNavigate();
  const { previous, next, position } = neighbours(hosts, agentId);
  const go = (host: HostOverview | null) => {
    if (host) void navigate({ to: "/hosts/$agentId", params: { agentId: String(host.id) }, search: (prev) => prev });
  };
  useHostKeys((direction) => go(direction === "previous" ? previous : next));

  const button = (host: HostOverview | null, direction: "previous" | "next") => {
    const Icon = direction === "previous" ? ChevronLeft : ChevronRight;
    const label = host ? t(direction === "previous" ? "previousHost" : "nextHost", { name: host.name }) : t(direction === "previous" ? "noPrevious" : "noNext");
    if (!host) {
      return (
        <span aria-disabled="true" title={label} className={cn(buttonVariants({ variant: "outline", size: "icon" }), "opacity-50")}>
          <Icon aria-hidden="true" />
          <span className="sr-only">{label}</span>
        </span>
      );
    }
    return (
      <Link
        to="/hosts/$agentId"
        params={{ agentId: String(host.id) }}
        search={(prev) => prev}
        title={label}
        aria-label={label}
        rel={direction === "previous" ? "prev" : "next"}
        className={buttonVariants({ variant: "outline", size: "icon" })}
      >
        <Icon aria-hidden="true" />
      </Link>
    );
  };

  return (
    <div className="flex items-center gap-2">
      <p className="hidden items-center gap-1 text-xs text-muted-foreground md:flex" data-testid="host-keys-hint" title={t("keysHint")}>
        <Kbd>h</Kbd>/<Kbd>←</Kbd> {t("keyPrevious")} · <Kbd>l</Kbd>/<Kbd>→</Kbd> {t("keyNext")}
      </p>
      {button(previous, "previous")}
      {position >= 0 ? (
        <span className="text-xs text-muted-foreground tabular-nums">{t("hostPosition", { position: position + 1, count: hosts.length })}</span>
      ) : null}
      {button(next, "next")}
    </div>
  );
}
