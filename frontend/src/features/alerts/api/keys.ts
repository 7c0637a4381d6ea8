import type { AlertFilters } from "./types";

// Every read of the alert area is keyed under "alerts"; mutations invalidate through these.
export const alertKeys = {
  all: ["alerts"] as const,
  lists: () => [...alertKeys.all, "list"] as const,
  list: (filters: AlertFilters) => [...alertKeys.lists(), filters] as const,
  rules: () => [...alertKeys.all, "rules"] as const,
  channels: () => [...alertKeys.all, "channels"] as const,
  channelTypes: () => [...alertKeys.all, "channel-types"] as const,
  deliveries: (channelId: number) => [...alertKeys.channels(), channelId, "deliveries"] as const,
  silences: () => [...alertKeys.all, "silences"] as const,
  hosts: () => [...alertKeys.all, "hosts"] as const,
  monitors: () => [...alertKeys.all, "monitors"] as const,
  members: () => [...alertKeys.all, "members"] as const,
  recipient: () => [...alertKeys.all, "recipient"] as const,
};
