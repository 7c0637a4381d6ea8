// Grid or table: the user's choice, remembered in localStorage (a preference, not a secret).
import { useCallback, useSyncExternalStore } from "react";

export type HostsView = "grid" | "table";
const KEY = "sm-hosts-view";
const listeners = new Set<() => void>();

function read(): HostsView {
  try {
    return localStorage.getItem(KEY) === "table" ? "table" : "grid";
  } catch {
    return "grid";
  }
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}

export function useHostsView(): [HostsView, (view: HostsView) => void] {
  const view = useSyncExternalStore(subscribe, read, () => "grid" as const);
  const setView = useCallback((next: HostsView) => {
    try {
      localStorage.setItem(KEY, next);
    } catch {
      // storage blocked: the choice lasts until the page is left
    }
    for (const listener of listeners) listener();
  }, []);
  return [view, setView];
}
