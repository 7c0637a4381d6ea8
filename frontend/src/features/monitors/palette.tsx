// "Go to <monitor>" entries for the ⌘K palette (app/palette.tsx adds them as a group).
import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { Activity } from "lucide-react";
import { useMemo } from "react";
import type { PaletteItem } from "@/components/layout/command-palette";
import { allMonitorsQuery } from "./api/queries";
import type { MonitorsList } from "./api/types";
import { statusText } from "./components/status";
import { t } from "./messages";

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
        hint: statusText(monitor.status),
        keywords: monitor.keywords,
        icon: <Activity aria-hidden="true" />,
        run: () => void navigate({ to: "/monitors/$monitorId", params: { monitorId: String(monitor.id) } }),
      })),
    [monitors, navigate],
  );
}
