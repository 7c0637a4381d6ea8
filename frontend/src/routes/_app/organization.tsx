import { createFileRoute } from "@tanstack/react-router";
import { OrganizationPage } from "@/features/organization";

export const Route = createFileRoute("/_app/organization")({ component: OrganizationPage });
