import { createFileRoute } from "@tanstack/react-router";
import { NewMonitorPage, validateNewMonitorSearch } from "@/features/monitors";

export const Route = createFileRoute("/_app/monitors/new")({
  validateSearch: validateNewMonitorSearch,
  component: NewMonitorPage,
});
