import { createFileRoute } from "@tanstack/react-router";
import { HostsPage, validateHostsSearch } from "@/features/hosts";

export const Route = createFileRoute("/_app/hosts/")({
  validateSearch: validateHostsSearch,
  component: HostsPage,
});
