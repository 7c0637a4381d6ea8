import { Link } from "@tanstack/react-router";
import { Activity, Bell, Building2, HeartPulse, Menu, Search, Server, Siren, X } from "lucide-react";
import { type ReactNode, useState } from "react";
import { Button } from "@/components/ui/button";
import { createTranslator } from "@/lib/i18n";
import { cn } from "@/lib/utils";
import { LiveStatus } from "./live-status";
import { ThemeToggle } from "./theme-toggle";

export const shellText = createTranslator({
  en: {
    hosts: "Hosts",
    monitors: "Monitors",
    incidents: "Incidents",
    agents: "Agents",
    alerts: "Alerts",
    organization: "Organization",
    navigation: "Main navigation",
    openMenu: "Open navigation",
    closeMenu: "Close navigation",
    search: "Search…",
    skip: "Skip to content",
  },
});
const t = shellText;

export const NAV_ITEMS = [
  { to: "/hosts", label: "hosts", icon: Server },
  { to: "/monitors", label: "monitors", icon: HeartPulse },
  { to: "/incidents", label: "incidents", icon: Siren },
  { to: "/agents", label: "agents", icon: Activity },
  { to: "/alerts", label: "alerts", icon: Bell },
  { to: "/organization", label: "organization", icon: Building2 },
] as const;

function NavLinks({ onNavigate }: { onNavigate?: () => void }) {
  return (
    <ul className="flex flex-col gap-1">
      {NAV_ITEMS.map(({ to, label, icon: Icon }) => (
        <li key={to}>
          <Link
            to={to}
            onClick={onNavigate}
            className="flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium text-muted-foreground hover:bg-muted hover:text-foreground"
            activeProps={{ className: "bg-muted text-foreground", "aria-current": "page" }}
          >
            <Icon className="size-4" aria-hidden="true" />
            {t(label)}
          </Link>
        </li>
      ))}
    </ul>
  );
}

/** Sidebar (a drawer below `md`), top bar with search, live state, theme and account menu. */
export function AppShell({
  children,
  userMenu,
  onSearch,
  banner,
}: {
  children: ReactNode;
  userMenu: ReactNode;
  onSearch: () => void;
  banner?: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  return (
    <div className="flex min-h-dvh">
      <a href="#content" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-card focus:p-2">
        {t("skip")}
      </a>
      <nav aria-label={t("navigation")} className="sticky top-0 hidden h-dvh w-56 shrink-0 flex-col gap-6 border-r bg-card p-3 md:flex">
        <Brand />
        <NavLinks />
      </nav>
      {open ? (
        <div className="fixed inset-0 z-40 md:hidden">
          <button type="button" aria-label={t("closeMenu")} className="absolute inset-0 bg-black/50" onClick={() => setOpen(false)} />
          <nav aria-label={t("navigation")} className="relative flex h-full w-64 flex-col gap-6 bg-card p-3 shadow-lg">
            <div className="flex items-center justify-between">
              <Brand />
              <Button variant="ghost" size="icon" aria-label={t("closeMenu")} onClick={() => setOpen(false)}>
                <X aria-hidden="true" />
              </Button>
            </div>
            <NavLinks onNavigate={() => setOpen(false)} />
          </nav>
        </div>
      ) : null}
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-30 flex h-14 items-center gap-2 border-b bg-background/90 px-3 backdrop-blur sm:px-4">
          <Button variant="ghost" size="icon" className="md:hidden" aria-label={t("openMenu")} onClick={() => setOpen(true)}>
            <Menu aria-hidden="true" />
          </Button>
          <button
            type="button"
            onClick={onSearch}
            className="flex h-9 min-w-0 flex-1 items-center gap-2 rounded-md border bg-card px-3 text-sm text-muted-foreground hover:bg-muted sm:max-w-sm"
          >
            <Search className="size-4 shrink-0" aria-hidden="true" />
            <span className="truncate">{t("search")}</span>
            <kbd className="ml-auto hidden rounded border px-1.5 font-mono text-xs sm:inline">⌘K</kbd>
          </button>
          <div className="ml-auto flex items-center gap-1 sm:gap-2">
            <LiveStatus />
            <ThemeToggle />
            {userMenu}
          </div>
        </header>
        {banner}
        <main id="content" className="min-w-0 flex-1">
          {children}
        </main>
      </div>
    </div>
  );
}

function Brand() {
  return (
    <Link to="/hosts" className={cn("flex items-center gap-2 px-2 text-primary")}>
      <Activity className="size-5" aria-hidden="true" />
      <span className="font-semibold text-foreground">StatusMonitor</span>
    </Link>
  );
}
