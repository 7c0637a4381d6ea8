import { createFileRoute } from "@tanstack/react-router";
import { Page } from "@/components/layout/page";

export const Route = createFileRoute("/_app/organization")({ component: () => <Page title="organization">{null}</Page> });
