import { createFileRoute } from "@tanstack/react-router";
import { ChannelsTab } from "@/features/alerts";

export const Route = createFileRoute("/_app/alerts/channels")({ component: ChannelsTab });
