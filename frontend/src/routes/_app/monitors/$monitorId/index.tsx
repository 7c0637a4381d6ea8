import { createFileRoute } from "@tanstack/react-router";
import { MonitorPage, validateMonitorSearch } from "@/features/monitors";

export const Route = createFileRoute("/_app/monitors/$monitorId/")({
  validateSearch: validateMonitorSearch,
  component: MonitorPage,
});
