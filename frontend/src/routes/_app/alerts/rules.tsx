import { createFileRoute } from "@tanstack/react-router";
import { RulesTab } from "@/features/alerts";

export const Route = createFileRoute("/_app/alerts/rules")({ component: RulesTab });
