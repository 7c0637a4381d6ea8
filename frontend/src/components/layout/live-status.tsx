import { useSyncExternalStore } from "react";
import { createTranslator } from "@/lib/i18n";
import { liveSocket, type SocketState } from "@/lib/realtime/socket";
import { cn } from "@/lib/utils";

const t = createTranslator({
  en: { idle: "Live updates off", connecting: "Connecting…", open: "Live", closed: "Reconnecting…" },
});

const DOT: Record<SocketState, string> = {
  idle: "bg-muted-foreground/40",
  connecting: "bg-warn",
  open: "bg-ok",
  closed: "bg-crit animate-pulse",
};

/** Whether the live socket is connected: a user must know when numbers stop moving. */
export function LiveStatus() {
  const state = useSyncExternalStore(
    (listener) => liveSocket.onState(listener),
    () => liveSocket.status,
  );
  if (state === "idle") return null;
  return (
    <span role="status" className="flex items-center gap-1.5 text-xs text-muted-foreground" data-live-state={state}>
      <span aria-hidden="true" className={cn("size-2 rounded-full", DOT[state])} />
      <span className="hidden sm:inline">{t(state)}</span>
    </span>
  );
}
