// What ⌘K offers: pages and actions here, and each feature's own entries (hosts, …).
import { useNavigate } from "@tanstack/react-router";
import { BellRing, Megaphone, Moon, Plus, Sun, UserRound, VolumeX } from "lucide-react";
import { NAV_ITEMS, shellText } from "@/components/layout/app-shell";
import type { PaletteGroup } from "@/components/layout/command-palette";
import { hostsText, useHostPaletteItems } from "@/features/hosts";
import { monitorsText, useMonitorPaletteItems } from "@/features/monitors";
import { createTranslator } from "@/lib/i18n";
import { useCan } from "@/lib/api/me";
import { isDark, setTheme } from "@/lib/theme";

const t = createTranslator({
  en: {
    pages: "Pages",
    actions: "Actions",
    profile: "Profile",
    toggleTheme: "Toggle dark mode",
    rules: "Alert rules",
    channels: "Notification channels",
    silences: "Silences and maintenance windows",
    addAgent: "Add agent",
    addMonitor: "Add monitor",
  },
});

export function usePaletteGroups(): PaletteGroup[] {
  const navigate = useNavigate();
  const operator = useCan("operate");
  const pages: PaletteGroup = {
    heading: t("pages"),
    items: [
      ...NAV_ITEMS.map(({ to, label, icon: Icon }) => ({
        id: `page:${to}`,
        label: shellText(label),
        icon: <Icon aria-hidden="true" />,
        run: () => void navigate({ to }),
      })),
      { id: "page:/alerts/rules", label: t("rules"), icon: <BellRing aria-hidden="true" />, run: () => void navigate({ to: "/alerts/rules" }) },
      { id: "page:/alerts/channels", label: t("channels"), icon: <Megaphone aria-hidden="true" />, run: () => void navigate({ to: "/alerts/channels" }) },
      { id: "page:/alerts/silences", label: t("silences"), icon: <VolumeX aria-hidden="true" />, run: () => void navigate({ to: "/alerts/silences" }) },
      { id: "page:/profile", label: t("profile"), icon: <UserRound aria-hidden="true" />, run: () => void navigate({ to: "/profile" }) },
    ],
  };
  const actions: PaletteGroup = {
    heading: t("actions"),
    items: [
      {
        id: "action:theme",
        label: t("toggleTheme"),
        icon: isDark() ? <Sun aria-hidden="true" /> : <Moon aria-hidden="true" />,
        run: () => setTheme(isDark() ? "light" : "dark"),
      },
      ...(operator
        ? [
            { id: "action:add-agent", label: t("addAgent"), icon: <Plus aria-hidden="true" />, run: () => void navigate({ to: "/agents", search: { create: true } }) },
            { id: "action:add-monitor", label: t("addMonitor"), icon: <Plus aria-hidden="true" />, run: () => void navigate({ to: "/monitors/new" }) },
          ]
        : []),
    ],
  };
  const hosts: PaletteGroup = { heading: hostsText("hostsGroup"), items: useHostPaletteItems() };
  const monitors: PaletteGroup = { heading: monitorsText("monitorsGroup"), items: useMonitorPaletteItems() };
  return [pages, hosts, monitors, actions];
}
