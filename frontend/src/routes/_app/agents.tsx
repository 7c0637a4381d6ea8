import { createFileRoute } from "@tanstack/react-router";
import { Page } from "@/components/layout/page";

export const Route = createFileRoute("/_app/agents")({ component: () => <Page title="agents">{null}</Page> });
