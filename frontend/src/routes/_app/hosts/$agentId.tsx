import { createFileRoute } from "@tanstack/react-router";
import { Page } from "@/components/layout/page";

export const Route = createFileRoute("/_app/hosts/$agentId")({ component: () => <Page title="Host">{null}</Page> });
