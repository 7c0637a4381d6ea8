import { createFileRoute } from "@tanstack/react-router";
import { MonitorsPage, validateMonitorsSearch } from "@/features/monitors";

export const Route = createFileRoute("/_app/monitors/")({
  validateSearch: validateMonitorsSearch,
  component: MonitorsPage,
});
