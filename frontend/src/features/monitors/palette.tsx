// "Go to <monitor>" entries for the ⌘K palette (app/palette.tsx adds them as a group). The
// palette is in every signed-in page's first load: its few words are here, not in messages.ts.
import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { Activity } from "lucide-react";
import { useMemo } from "react";
import type { PaletteItem } from "@/components/layout/command-palette";
import { createTranslator } from "@/lib/i18n";
import { allMonitorsQuery } from "./api/queries";
import type { MonitorsList } from "./api/types";

export const paletteText = createTranslator({
  en: {
    monitorsGroup: "Monitors",
    goTo: "Go to {name}",
    status_up: "Up",
    status_degraded: "Degraded",
    status_down: "Down",
    status_unreachable: "Unreachable",
    status_pending: "Pending",
    status_paused: "Paused",
  },
});
const t = paletteText;

// Only what the entries show, so the palette re-renders when a name or status changes.
const paletteMonitors = (list: MonitorsList) =>
  list.data.map((monitor) => ({
    id: monitor.id,
    name: monitor.name,
    status: monitor.status,
    keywords: [monitor.name, monitor.target, monitor.type, ...Object.entries(monitor.labels).map(([key, value]) => `${key}=${value}`)],
  }));

export function useMonitorPaletteItems(): PaletteItem[] {
  const navigate = useNavigate();
  const { data: monitors } = useQuery({ ...allMonitorsQuery(), select: paletteMonitors, staleTime: 60_000 });
  return useMemo(
    () =>
      (monitors ?? []).map((monitor) => ({
        id: `monitor:${monitor.id}`,
        label: t("goTo", { name: monitor.name }),
        hint: t(`status_${monitor.status}`),
        keywords: monitor.keywords,
        icon: <Activity aria-hidden="true" />,
        run: () => void navigate({ to: "/monitors/$monitorId", params: { monitorId: String(monitor.id) } }),
      })),
    [monitors, navigate],
  );
}
