import { createFileRoute } from "@tanstack/react-router";
import { Page } from "@/components/layout/page";

export const Route = createFileRoute("/_app/alerts")({ component: () => <Page title="alerts">{null}</Page> });
