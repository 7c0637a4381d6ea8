import { createFileRoute } from "@tanstack/react-router";
import { SilencesTab } from "@/features/alerts";

export const Route = createFileRoute("/_app/alerts/silences")({ component: SilencesTab });
