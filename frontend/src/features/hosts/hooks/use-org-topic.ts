import { useEffect } from "react";
import { liveSocket } from "@/lib/realtime/socket";
import { ORG_TOPIC } from "../api/live";

/**
 * Holds the organization topic while the page shows the hosts: one subscription for all of
 * them. Taken once the overview is loaded, so the snapshot always lands on top of it.
 */
export function useOrgTopic(enabled: boolean): void {
  useEffect(() => (enabled ? liveSocket.subscribe(ORG_TOPIC) : undefined), [enabled]);
}
