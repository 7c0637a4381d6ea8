import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { Plus, Server } from "lucide-react";
import { useCallback } from "react";
import { ErrorMessage } from "@/components/errors/error-message";
import { EmptyState, Page } from "@/components/layout/page";
import { buttonVariants } from "@/components/ui/button";
import { useCan } from "@/lib/api/me";
import { formatNumber } from "@/lib/i18n/format";
import { alertRulesQuery, firingAlertsQuery, overviewQuery, type Overview } from "../api/queries";
import { useHostsView } from "../hooks/use-hosts-view";
import { useOrgTopic } from "../hooks/use-org-topic";
import type { HostsSearch } from "../model/filters";
import { t } from "../messages";
import { HostsBoard } from "./hosts-board";
import { HostsSkeleton } from "./hosts-skeleton";
import type { SearchChange } from "./hosts-toolbar";

const route = getRouteApi("/_app/hosts/");

function summary(overview: Overview): string {
  const never = overview.data.filter((host) => host.status === "never").length;
  const vars = {
    count: formatNumber(overview.count, 0),
    online: formatNumber(overview.online, 0),
    offline: formatNumber(overview.offline - never, 0),
    never: formatNumber(never, 0),
  };
  return never > 0 ? t("summaryNever", vars) : t("summary", vars);
}

/** The home page: every host of the organization, live. */
export function HostsPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const canOperate = useCan("operate");
  const [view, setView] = useHostsView();
  // Each visit refetches (agents may have been added or renamed meanwhile); the topic does the rest.
  const overview = useQuery({ ...overviewQuery(), refetchOnMount: "always" });
  const alerts = useQuery(firingAlertsQuery());
  const rules = useQuery(alertRulesQuery());
  useOrgTopic(overview.isSuccess);

  const onSearchChange = useCallback(
    (change: SearchChange) => void navigate({ search: (previous: HostsSearch) => ({ ...previous, ...change }), replace: true }),
    [navigate],
  );

  const addAgent = canOperate ? (
    <Link to="/agents" className={buttonVariants({ variant: "default" })}>
      <Plus aria-hidden="true" />
      {t("addAgent")}
    </Link>
  ) : null;

  return (
    <Page title={t("title")} description={overview.data ? summary(overview.data) : undefined} actions={overview.data && overview.data.count > 0 ? addAgent : null}>
      {overview.isPending ? (
        <HostsSkeleton />
      ) : overview.isError ? (
        <ErrorMessage title={t("loadFailed")} error={overview.error} onRetry={() => void overview.refetch()} />
      ) : overview.data.data.length === 0 ? (
        <EmptyState icon={<Server aria-hidden="true" />} title={t("emptyTitle")} description={canOperate ? t("emptyHint") : t("emptyHintViewer")} action={addAgent} />
      ) : (
        <HostsBoard
          hosts={overview.data.data}
          alerts={alerts.data}
          rules={rules.data}
          search={search}
          onSearchChange={onSearchChange}
          view={view}
          onViewChange={setView}
        />
      )}
    </Page>
  );
}
