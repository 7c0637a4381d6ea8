export const hostsKeys = {
  all: ["hosts"] as const,
  overview: () => [...hostsKeys.all, "overview"] as const,
  firingAlerts: () => [...hostsKeys.all, "firing-alerts"] as const,
  rules: () => [...hostsKeys.all, "alert-rules"] as const,
};
