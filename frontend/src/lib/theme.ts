// Light, dark or the system's choice; the choice is kept in localStorage ("sm-theme", not a
// secret) and applied before first paint by public/theme-init.js.
import { useSyncExternalStore } from "react";

export type Theme = "light" | "dark" | "system";
const KEY = "sm-theme";
const listeners = new Set<() => void>();
const media = () => window.matchMedia("(prefers-color-scheme: dark)");

function read(): Theme {
  try {
    const stored = localStorage.getItem(KEY);
    return stored === "light" || stored === "dark" ? stored : "system";
  } catch {
    return "system";
  }
}

function apply(theme: Theme): void {
  const dark = theme === "dark" || (theme === "system" && media().matches);
  document.documentElement.classList.toggle("dark", dark);
}

export function setTheme(theme: Theme): void {
  try {
    if (theme === "system") localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, theme);
  } catch {
    // storage blocked: the choice lasts for this page only
  }
  apply(theme);
  for (const listener of listeners) listener();
}

export function watchSystemTheme(): () => void {
  const query = media();
  const onChange = () => {
    if (read() === "system") apply("system");
    for (const listener of listeners) listener();
  };
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}

export function useTheme(): Theme {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    read,
    () => "system",
  );
}

export function isDark(): boolean {
  return document.documentElement.classList.contains("dark");
}
