import { createFileRoute } from "@tanstack/react-router";
import { AgentsPage } from "@/features/agents";
import { compact, optionalBoolean } from "@/lib/search";

// `?create=true` opens the new-agent form (the ⌘K action "Add agent").
export const Route = createFileRoute("/_app/agents")({
  validateSearch: (raw: Record<string, unknown>) => compact({ create: optionalBoolean(raw.create) }),
  component: AgentsRoute,
});

function AgentsRoute() {
  const { create } = Route.useSearch();
  const navigate = Route.useNavigate();
  return <AgentsPage startCreating={create === true} onStartedCreating={() => void navigate({ search: {}, replace: true })} />;
}
