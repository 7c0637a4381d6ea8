import { createFileRoute } from "@tanstack/react-router";
import { AlertsLayout } from "@/features/alerts";

// The alert area: its tabs (alerts, rules, channels, silences) are the routes below.
export const Route = createFileRoute("/_app/alerts")({ component: AlertsLayout });
