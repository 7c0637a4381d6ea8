import { Link, Outlet } from "@tanstack/react-router";
import { Page } from "@/components/layout/page";
import { t } from "../messages";

const TABS = [
  { to: "/alerts", label: "tabAlerts" },
  { to: "/alerts/rules", label: "tabRules" },
  { to: "/alerts/channels", label: "tabChannels" },
  { to: "/alerts/silences", label: "tabSilences" },
] as const;

/** The alert area: its sections are routes (deep links, back button), shown as tabs. */
export function AlertsLayout() {
  return (
    <Page title={t("title")} description={t("description")}>
      <nav aria-label={t("sections")} className="-mt-1">
        <ul className="inline-flex max-w-full items-center gap-1 overflow-x-auto rounded-lg bg-muted p-1">
          {TABS.map((tab) => (
            <li key={tab.to}>
              <Link
                to={tab.to}
                activeOptions={{ exact: true, includeSearch: false }}
                className="inline-flex h-8 items-center rounded-md px-3 text-sm font-medium whitespace-nowrap text-muted-foreground hover:text-foreground"
                activeProps={{ className: "bg-card text-foreground shadow-xs", "aria-current": "page" }}
              >
                {t(tab.label)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </Page>
  );
}
