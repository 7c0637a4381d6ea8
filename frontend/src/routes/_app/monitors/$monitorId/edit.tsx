import { createFileRoute } from "@tanstack/react-router";
import { EditMonitorPage } from "@/features/monitors";

export const Route = createFileRoute("/_app/monitors/$monitorId/edit")({ component: EditMonitorPage });
