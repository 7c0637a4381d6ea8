import { createFileRoute } from "@tanstack/react-router";
import { Page } from "@/components/layout/page";

export const Route = createFileRoute("/_app/hosts/")({ component: () => <Page title="Hosts">{null}</Page> });
