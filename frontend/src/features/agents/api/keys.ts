export const agentsKeys = {
  all: ["agents"] as const,
  list: () => [...agentsKeys.all, "list"] as const,
  // Online/offline and last report of every agent: GET /agents/overview, kept live by the socket.
  status: () => [...agentsKeys.all, "status"] as const,
  // The uptime monitors a host may depend on (the probe service's list).
  monitors: () => [...agentsKeys.all, "monitors"] as const,
};
