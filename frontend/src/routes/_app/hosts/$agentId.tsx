import { createFileRoute } from "@tanstack/react-router";
import { HostPage, validateHostSearch } from "@/features/metrics";

export const Route = createFileRoute("/_app/hosts/$agentId")({
  validateSearch: validateHostSearch,
  component: HostPage,
});
