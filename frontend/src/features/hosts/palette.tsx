// "Go to <host>" entries for the ⌘K palette (app/palette.tsx adds them as a group).
import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { Server } from "lucide-react";
import { useMemo } from "react";
import type { PaletteItem } from "@/components/layout/command-palette";
import { type Host, overviewQuery, type Overview } from "./api/queries";
import { statusText, t } from "./messages";

// Labels objects survive live updates (only values change), so their strings are made once.
const labelStrings = new WeakMap<Host["labels"], string[]>();
function labelsOf(host: Host): string[] {
  let strings = labelStrings.get(host.labels);
  if (!strings) {
    strings = Object.entries(host.labels).map(([key, value]) => `${key}=${value}`);
    labelStrings.set(host.labels, strings);
  }
  return strings;
}

// Only what the entries show: structural sharing keeps this array (and the palette) unchanged
// while reports stream in, until a host is added, renamed or changes status.
const paletteHosts = (overview: Overview) =>
  overview.data.map((host) => ({ id: host.id, name: host.name, status: host.status, labels: labelsOf(host) }));

export function useHostPaletteItems(): PaletteItem[] {
  const navigate = useNavigate();
  const { data: hosts } = useQuery({ ...overviewQuery(), select: paletteHosts });
  return useMemo(
    () =>
      (hosts ?? []).map((host) => ({
        id: `host:${host.id}`,
        label: t("goTo", { name: host.name }),
        hint: statusText(host.status),
        keywords: [host.name, ...host.labels],
        icon: <Server aria-hidden="true" />,
        run: () => void navigate({ to: "/hosts/$agentId", params: { agentId: String(host.id) } }),
      })),
    [hosts, navigate],
  );
}
