import { createFileRoute } from "@tanstack/react-router";
import { IncidentsPage, validateIncidentsSearch } from "@/features/monitors";

export const Route = createFileRoute("/_app/incidents")({
  validateSearch: validateIncidentsSearch,
  component: IncidentsPage,
});
