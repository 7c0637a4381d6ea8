// The organization topic → the overview in the query cache. Registered once in
// app/live-handlers.ts; the hosts page holds the subscription (hooks/use-org-topic.ts).
import type { QueryClient } from "@tanstack/react-query";
import { liveSocket } from "@/lib/realtime/socket";
import { applyOrgFrame, parseOrgFrame, SeqTracker } from "../model/frames";
import { sparkStoreOf } from "../model/sparklines";
import { hostsKeys } from "./keys";
import type { Overview } from "./queries";

export const ORG_TOPIC = { topic: "org" } as const;

const trackers = new WeakMap<QueryClient, SeqTracker>();

function trackerOf(queryClient: QueryClient): SeqTracker {
  let tracker = trackers.get(queryClient);
  if (!tracker) {
    tracker = new SeqTracker();
    trackers.set(queryClient, tracker);
  }
  return tracker;
}

/** Snapshot then deltas: values by setQueryData; new or deleted agents by a refetch. */
export function hostsLiveHandler(message: Record<string, unknown>, queryClient: QueryClient): void {
  const frame = parseOrgFrame(message);
  if (frame === null) return;
  if (trackerOf(queryClient).observe(frame) === "gap") liveSocket.resubscribe(ORG_TOPIC);

  const sparks = sparkStoreOf(queryClient);
  for (const host of frame.hosts) sparks.push(host.agent_id, host.last_seen, host.cpu);

  const outcome = { refetch: false };
  queryClient.setQueryData<Overview>(hostsKeys.overview(), (overview) => {
    if (overview === undefined) return undefined;
    const applied = applyOrgFrame(overview, frame);
    outcome.refetch = applied.unknown.length > 0 || applied.vanished.length > 0;
    if (applied.vanished.length > 0) sparks.retain(new Set(applied.overview.data.map((host) => host.id)));
    return applied.overview;
  });
  if (outcome.refetch) {
    // A fetch already under way is not restarted: a stream of new agents must not starve it.
    void queryClient.invalidateQueries({ queryKey: hostsKeys.overview() }, { cancelRefetch: false });
  }
}
