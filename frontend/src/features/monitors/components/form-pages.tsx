import { useQuery } from "@tanstack/react-query";
import { getRouteApi, useNavigate } from "@tanstack/react-router";
import { ErrorMessage } from "@/components/errors/error-message";
import { Page } from "@/components/layout/page";
import { Skeleton } from "@/components/ui/skeleton";
import { ApiError } from "@/lib/api/errors";
import { monitorQuery } from "../api/queries";
import type { Monitor } from "../api/types";
import { t } from "../messages";
import { MonitorForm } from "./monitor-form";
import { MonitorNotFound, parseMonitorId } from "./monitor-page";

const newRoute = getRouteApi("/_app/monitors/new");
const editRoute = getRouteApi("/_app/monitors/$monitorId/edit");

/** /monitors/new: pick a type, fill its settings, test, save; then its page. */
export function NewMonitorPage() {
  const { type } = newRoute.useSearch();
  const navigate = useNavigate();
  const open = (monitor: Monitor) => void navigate({ to: "/monitors/$monitorId", params: { monitorId: String(monitor.id) } });
  return (
    <Page title={t("newTitle")} description={t("newHint")}>
      <MonitorForm initialType={type ?? "http"} onSaved={open} onCancel={() => void navigate({ to: "/monitors" })} />
    </Page>
  );
}

/** /monitors/$monitorId/edit */
export function EditMonitorPage() {
  const { monitorId } = editRoute.useParams();
  const id = parseMonitorId(monitorId);
  const navigate = useNavigate();
  const monitor = useQuery({ ...monitorQuery(id ?? 0), enabled: id !== null, refetchInterval: false });
  if (id === null) return <MonitorNotFound />;
  const back = () => void navigate({ to: "/monitors/$monitorId", params: { monitorId: String(id) } });
  if (monitor.isPending) {
    return (
      <Page title={t("editTitleLoading")}>
        <Skeleton className="h-96 max-w-4xl" />
      </Page>
    );
  }
  if (monitor.isError) {
    if (monitor.error instanceof ApiError && monitor.error.status === 404) return <MonitorNotFound />;
    return (
      <Page title={t("editTitleLoading")}>
        <ErrorMessage error={monitor.error} onRetry={() => void monitor.refetch()} />
      </Page>
    );
  }
  return (
    <Page title={t("editTitle", { name: monitor.data.name })}>
      {/* Keyed: the form's defaults are read once, from the monitor as it was when opened. */}
      <MonitorForm key={monitor.data.id} monitor={monitor.data} onSaved={back} onCancel={back} />
    </Page>
  );
}
