// What ⌘K offers: pages and actions here, and each feature's own entries (hosts, …).
import { useNavigate } from "@tanstack/react-router";
import { Moon, Sun, UserRound } from "lucide-react";
import { NAV_ITEMS, shellText } from "@/components/layout/app-shell";
import type { PaletteGroup } from "@/components/layout/command-palette";
import { hostsText, useHostPaletteItems } from "@/features/hosts";
import { createTranslator } from "@/lib/i18n";
import { isDark, setTheme } from "@/lib/theme";

const t = createTranslator({ en: { pages: "Pages", actions: "Actions", profile: "Profile", toggleTheme: "Toggle dark mode" } });

export function usePaletteGroups(): PaletteGroup[] {
  const navigate = useNavigate();
  const pages: PaletteGroup = {
    heading: t("pages"),
    items: [
      ...NAV_ITEMS.map(({ to, label, icon: Icon }) => ({
        id: `page:${to}`,
        label: shellText(label),
        icon: <Icon aria-hidden="true" />,
        run: () => void navigate({ to }),
      })),
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
    ],
  };
  const hosts: PaletteGroup = { heading: hostsText("hostsGroup"), items: useHostPaletteItems() };
  return [pages, hosts, actions];
}
