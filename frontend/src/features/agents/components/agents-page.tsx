import { useQuery } from "@tanstack/react-query";
import { Plus, Server } from "lucide-react";
import { lazy, Suspense, useDeferredValue, useEffect, useMemo, useState } from "react";
import { ErrorMessage } from "@/components/errors/error-message";
import { EmptyState, Page } from "@/components/layout/page";
import { ActionDialog } from "@/components/ui/action-dialog";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { useCan } from "@/lib/api/me";
import { liveSocket } from "@/lib/realtime/socket";
import { type IssuedToken, useDeleteAgent, useRegenerateToken } from "../api/mutations";
import { type Agent, agentsListQuery, agentsStatusQuery } from "../api/queries";
import { agentState, matches } from "../api/status";
import { useNow } from "../hooks/use-now";
import { t } from "../messages";
import { type AgentAction, AgentRow } from "./agent-row";
import { TokenDialog } from "./token-dialog";

// The form (react-hook-form + zod) loads when first opened: the list alone stays light.
const AgentFormDialog = lazy(() => import("./agent-form-dialog").then((module) => ({ default: module.AgentFormDialog })));

type Open =
  | { kind: "create" }
  | { kind: "edit" | "regenerate" | "delete"; agent: Agent }
  | { kind: "token"; issued: IssuedToken; regenerated: boolean }
  | null;

/** `startCreating`: open the new-agent form at once (then `onStartedCreating` clears the flag). */
export function AgentsPage({ startCreating = false, onStartedCreating }: { startCreating?: boolean; onStartedCreating?: () => void }) {
  const canOperate = useCan("operate");
  const [open, setOpen] = useState<Open>(null);
  if (startCreating && canOperate && open === null) {
    // Adjusting state while rendering (React's documented pattern), not in an effect.
    setOpen({ kind: "create" });
  }
  useEffect(() => {
    if (startCreating) onStartedCreating?.();
  }, [startCreating, onStartedCreating]);
  const [query, setQuery] = useState("");
  const deferredQuery = useDeferredValue(query);
  const issuedId = open?.kind === "token" ? open.issued.agent.id : null;

  const list = useQuery({
    ...agentsListQuery(),
    // While a new token waits for its agent, look often: the dialog says when it reported.
    refetchInterval: issuedId === null ? 30_000 : 3_000,
  });
  const status = useQuery(agentsStatusQuery());
  // Online/offline of every agent, live, while this page is open.
  useEffect(() => liveSocket.subscribe({ topic: "org" }), []);

  const statusById = useMemo(() => new Map((status.data?.data ?? []).map((row) => [row.id, row])), [status.data]);
  const agents = useMemo(
    () => [...(list.data ?? [])].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true })),
    [list.data],
  );
  const shown = useMemo(() => agents.filter((agent) => matches(agent, deferredQuery)), [agents, deferredQuery]);
  const anyPending = agents.some((agent) => agent.token_status === "pending");
  const now = useNow(anyPending ? 1000 : 15_000);
  const connected = issuedId !== null && agents.find((agent) => agent.id === issuedId)?.token_status === "active";

  const regenerate = useRegenerateToken();
  const remove = useDeleteAgent();
  const close = () => {
    regenerate.reset();
    remove.reset();
    setOpen(null);
  };
  const onAction = (kind: AgentAction, agent: Agent) => {
    regenerate.reset();
    remove.reset();
    setOpen({ kind, agent });
  };
  const regenerateNow = (agent: Agent) =>
    regenerate.mutate(agent.id, {
      onSuccess: (issued) => {
        setOpen({ kind: "token", issued, regenerated: true });
        regenerate.reset(); // the token now lives only in the dialog's state
      },
    });

  return (
    <Page
      title={t("title")}
      description={t("description")}
      actions={
        canOperate ? (
          <Button onClick={() => setOpen({ kind: "create" })}>
            <Plus aria-hidden="true" />
            {t("create")}
          </Button>
        ) : null
      }
    >
      {list.isPending ? (
        <ListSkeleton />
      ) : list.isError ? (
        <ErrorMessage error={list.error} onRetry={() => void list.refetch()} />
      ) : agents.length === 0 ? (
        <EmptyState
          icon={<Server aria-hidden="true" />}
          title={t("emptyTitle")}
          description={canOperate ? t("emptyOperator") : t("emptyViewer")}
          action={
            canOperate ? (
              <Button onClick={() => setOpen({ kind: "create" })}>
                <Plus aria-hidden="true" />
                {t("create")}
              </Button>
            ) : undefined
          }
        />
      ) : (
        <section className="grid gap-3" aria-label={t("title")}>
          <div className="flex flex-wrap items-center justify-between gap-2">
            <Input
              type="search"
              aria-label={t("search")}
              placeholder={t("searchPlaceholder")}
              value={query}
              onChange={(event) => setQuery(event.target.value)}
              className="sm:max-w-xs"
            />
            <p className="text-sm text-muted-foreground" aria-live="polite">
              {t(agents.length === 1 ? "countOne" : "countMany", { count: agents.length, online: status.data?.online ?? 0 })}
            </p>
          </div>
          {shown.length === 0 ? (
            <p className="rounded-lg border border-dashed p-6 text-center text-sm text-muted-foreground">{t("noMatch", { query })}</p>
          ) : (
            <ul className="rounded-lg border bg-card">
              {shown.map((agent) => (
                <AgentRow
                  key={agent.id}
                  agent={agent}
                  state={agentState(agent, statusById.get(agent.id))}
                  now={now}
                  canOperate={canOperate}
                  onAction={onAction}
                />
              ))}
            </ul>
          )}
        </section>
      )}

      {open?.kind === "create" || open?.kind === "edit" ? (
        <Suspense fallback={null}>
          <AgentFormDialog
            agent={open.kind === "edit" ? open.agent : undefined}
            onClose={close}
            onCreated={(issued) => setOpen({ kind: "token", issued, regenerated: false })}
          />
        </Suspense>
      ) : null}
      {open?.kind === "token" ? (
        <TokenDialog
          issued={open.issued}
          regenerated={open.regenerated}
          connected={connected}
          onClose={close}
          onRegenerate={canOperate ? () => regenerateNow(open.issued.agent) : undefined}
        />
      ) : null}
      {open?.kind === "regenerate" ? (
        <ActionDialog
          open
          onOpenChange={(next) => !next && close()}
          title={t("regenerateTitle", { name: open.agent.name })}
          description={t("regenerateHint")}
          confirmLabel={t("regenerateConfirm")}
          cancelLabel={t("cancel")}
          pending={regenerate.isPending}
          error={regenerate.error}
          onConfirm={() => regenerateNow(open.agent)}
        />
      ) : null}
      {open?.kind === "delete" ? (
        <ActionDialog
          open
          onOpenChange={(next) => !next && close()}
          title={t("deleteTitle", { name: open.agent.name })}
          description={t("deleteHint")}
          confirmLabel={t("deleteConfirm")}
          cancelLabel={t("cancel")}
          pending={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate(open.agent.id, { onSuccess: close })}
        />
      ) : null}
    </Page>
  );
}

function ListSkeleton() {
  return (
    <div className="grid gap-2 rounded-lg border bg-card p-3" aria-busy="true">
      {[0, 1, 2].map((row) => (
        <Skeleton key={row} className="h-10" />
      ))}
    </div>
  );
}
