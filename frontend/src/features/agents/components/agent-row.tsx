import { Link } from "@tanstack/react-router";
import { KeyRound, MoreHorizontal, Pencil, Trash2 } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { formatDateTime, formatRelative } from "@/lib/i18n/format";
import { cn } from "@/lib/utils";
import { formatCountdown } from "../api/activation";
import type { Agent } from "../api/queries";
import { type AgentState, hostSummary } from "../api/status";
import { t } from "../messages";

export type AgentAction = "edit" | "regenerate" | "delete";

const DOT: Record<AgentState["kind"], string> = {
  online: "bg-ok",
  offline: "bg-crit",
  pending: "bg-warn animate-pulse",
  expired: "bg-muted-foreground",
  "no-report": "bg-muted-foreground/50",
};

function StateText({ state, now }: { state: AgentState; now: number }) {
  switch (state.kind) {
    case "online":
      return t("online");
    case "offline":
      return t("offline");
    case "pending":
      return state.deadline === null ? t("pendingShort") : t("pending", { left: formatCountdown(state.deadline - now) });
    case "expired":
      return t("expired");
    case "no-report":
      return t("noReport");
  }
}

/** One agent: state, name and host, labels, last report, and (for operators) its actions. */
export function AgentRow({
  agent,
  state,
  now,
  canOperate,
  onAction,
}: {
  agent: Agent;
  state: AgentState;
  now: number;
  canOperate: boolean;
  onAction: (action: AgentAction, agent: Agent) => void;
}) {
  const host = hostSummary(agent.host_info);
  const lastSeen = "lastSeen" in state ? state.lastSeen : null;
  const labels = Object.entries(agent.labels);
  const hostLine = [host.hostname, host.version ? t("agentVersion", { version: host.version }) : null, host.os].filter(Boolean).join(" · ");
  return (
    <li
      className="grid gap-x-4 gap-y-2 border-b p-3 [grid-template-areas:'name_actions'_'state_state'_'labels_labels'_'seen_seen'] [grid-template-columns:minmax(0,1fr)_auto] last:border-b-0 md:items-center md:[grid-template-areas:'name_labels_state_seen_actions'] md:[grid-template-columns:minmax(10rem,1.2fr)_minmax(0,1.5fr)_minmax(9rem,1.1fr)_minmax(7rem,0.8fr)_2.25rem]"
      data-agent={agent.name}
    >
      <div className="min-w-0 [grid-area:name]">
        <p className="truncate font-medium">
          {/* The host page has the charts of agents that have reported. */}
          <Link to="/hosts/$agentId" params={{ agentId: String(agent.id) }} className="hover:underline">
            {agent.name}
          </Link>
        </p>
        <p className="truncate text-xs text-muted-foreground" title={hostLine || undefined}>
          {hostLine || "\u00a0"}
        </p>
      </div>
      <div className="flex flex-wrap gap-1 [grid-area:labels]" aria-label={t("labels")} role="group">
        {labels.length === 0 ? <span className="text-xs text-muted-foreground">{t("noLabels")}</span> : null}
        {labels.map(([key, value]) => (
          <Badge key={key} className="max-w-full font-mono">
            <span className="truncate">
              {key}={value}
            </span>
          </Badge>
        ))}
      </div>
      <p className="flex items-center gap-2 text-sm [grid-area:state]">
        <span aria-hidden="true" className={cn("size-2 shrink-0 rounded-full", DOT[state.kind])} />
        <span className="min-w-0">
          <StateText state={state} now={now} />
        </span>
      </p>
      <p className="text-xs text-muted-foreground [grid-area:seen]">
        {lastSeen === null ? (
          t("neverSeen")
        ) : (
          <time dateTime={new Date(lastSeen * 1000).toISOString()} title={formatDateTime(lastSeen)}>
            {t("lastSeenAt", { when: formatRelative(lastSeen, now) })}
          </time>
        )}
      </p>
      <div className="flex justify-end [grid-area:actions]">
        <Actions agent={agent} canOperate={canOperate} onAction={onAction} />
      </div>
    </li>
  );
}

function Actions({ agent, canOperate, onAction }: { agent: Agent; canOperate: boolean; onAction: (action: AgentAction, agent: Agent) => void }) {
  if (!canOperate) return null;
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" aria-label={t("actionsFor", { name: agent.name })}>
          <MoreHorizontal aria-hidden="true" />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        <DropdownMenuItem onSelect={() => onAction("edit", agent)}>
          <Pencil aria-hidden="true" />
          {t("edit")}
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => onAction("regenerate", agent)}>
          <KeyRound aria-hidden="true" />
          {t("regenerate")}
        </DropdownMenuItem>
        <DropdownMenuSeparator />
        <DropdownMenuItem className="text-destructive" onSelect={() => onAction("delete", agent)}>
          <Trash2 aria-hidden="true" />
          {t("delete")}
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
