import { useEffect, useSyncExternalStore } from "react";
import { liveSocket } from "@/lib/realtime/socket";
import { LIVE_POLL_MS } from "../api/queries";
import { MONITORS_TOPIC } from "../api/live";

/** While the socket carries the monitors' checks, polling only catches what it cannot say. */
export const LIVE_FALLBACK_POLL_MS = 30_000;

/**
 * Holds the "monitors" topic while a monitors page is open, and says how often that page
 * should still poll: every 5 s without the live socket, every 30 s with it.
 */
export function useMonitorsTopic(): number {
  useEffect(() => liveSocket.subscribe(MONITORS_TOPIC), []);
  const state = useSyncExternalStore(
    (listener) => liveSocket.onState(listener),
    () => liveSocket.status,
  );
  return state === "open" ? LIVE_FALLBACK_POLL_MS : LIVE_POLL_MS;
}
