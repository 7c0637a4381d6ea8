import { type QueryClient, useMutation, useQueryClient } from "@tanstack/react-query";
import { data, probesApi } from "@/lib/api/clients";
import { monitorKeys } from "./keys";
import type { Monitor, MonitorCreate, MonitorUpdate } from "./types";

/** The server takes at most this many ids per bulk action (core/schemas/monitors.py). */
export const MAX_BULK_IDS = 1000;

function remember(queryClient: QueryClient, monitor: Monitor): Promise<void> {
  queryClient.setQueryData(monitorKeys.detail(monitor.id), monitor);
  return queryClient.invalidateQueries({ queryKey: monitorKeys.all });
}

export function useSaveMonitor() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: { id: number; body: MonitorUpdate } | { id?: undefined; body: MonitorCreate }) =>
      input.id === undefined
        ? data(await probesApi.POST("/monitors", { body: input.body }))
        : data(await probesApi.PATCH("/monitors/{monitor_id}", { params: { path: { monitor_id: input.id } }, body: input.body })),
    onSuccess: (monitor) => remember(queryClient, monitor),
  });
}

/** Pause (active false) or resume one monitor. */
export function useSetActive() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, active }: { id: number; active: boolean }) =>
      data(await probesApi.PATCH("/monitors/{monitor_id}", { params: { path: { monitor_id: id } }, body: { active } })),
    onSuccess: (monitor) => remember(queryClient, monitor),
  });
}

export function useDeleteMonitor() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: number) => {
      await probesApi.DELETE("/monitors/{monitor_id}", { params: { path: { monitor_id: id } } });
      return id;
    },
    onSuccess: (id) => {
      queryClient.removeQueries({ queryKey: monitorKeys.detail(id) });
      return queryClient.invalidateQueries({ queryKey: monitorKeys.all });
    },
  });
}

/** Pause or resume many monitors: POST /monitors/bulk, in chunks the server accepts. */
export function useBulkActive() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ ids, active }: { ids: readonly number[]; active: boolean }) => {
      let updated = 0;
      for (let start = 0; start < ids.length; start += MAX_BULK_IDS) {
        const chunk = ids.slice(start, start + MAX_BULK_IDS);
        updated += data(await probesApi.POST("/monitors/bulk", { body: { ids: chunk, active } })).updated;
      }
      return updated;
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: monitorKeys.all }),
  });
}

/** "Test now": one check of the form's monitor, nothing stored. */
export function useTestMonitor() {
  return useMutation({
    mutationFn: async (body: MonitorCreate) => data(await probesApi.POST("/monitors/test", { body })),
  });
}
