// The socket → cache dispatcher: live messages update the TanStack Query cache, never React
// state directly. Queries fed by the socket carry `meta: { live: true }` and are refetched
// after a reconnect, which fills whatever the socket missed while it was down.
import type { QueryClient } from "@tanstack/react-query";
import { liveSocket } from "@/lib/realtime/socket";

export type LiveHandler = (message: Record<string, unknown>, queryClient: QueryClient) => void;

export function connectRealtime(queryClient: QueryClient, handlers: readonly LiveHandler[]): () => void {
  const offMessage = liveSocket.onMessage((message) => {
    for (const handle of handlers) handle(message, queryClient);
  });
  const offReconnect = liveSocket.onReconnect(() => {
    void queryClient.invalidateQueries({ predicate: (query) => query.meta?.live === true });
  });
  return () => {
    offMessage();
    offReconnect();
  };
}
