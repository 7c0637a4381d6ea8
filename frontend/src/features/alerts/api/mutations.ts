import { useMutation, useQueryClient } from "@tanstack/react-query";
import { alertsApi, data } from "@/lib/api/clients";
import { alertKeys } from "./keys";
import type { ChannelCreate, ChannelUpdate, RuleCreate, RuleUpdate, SilenceCreate } from "./types";

export function useAcknowledge() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ alertId, comment }: { alertId: number; comment: string }) =>
      data(
        await alertsApi.POST("/alerts/{alert_id}/acknowledge", {
          params: { path: { alert_id: alertId } },
          body: comment ? { comment } : {},
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: alertKeys.lists() }),
  });
}

export function useSaveRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: { id: number; body: RuleUpdate } | { id?: undefined; body: RuleCreate }) =>
      input.id === undefined
        ? data(await alertsApi.POST("/rules", { body: input.body }))
        : data(await alertsApi.PATCH("/rules/{rule_id}", { params: { path: { rule_id: input.id } }, body: input.body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertKeys.rules() }),
  });
}

export function useDeleteRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (ruleId: number) => {
      await alertsApi.DELETE("/rules/{rule_id}", { params: { path: { rule_id: ruleId } } });
    },
    // Its open alerts end with it.
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: alertKeys.rules() }), queryClient.invalidateQueries({ queryKey: alertKeys.lists() })]),
  });
}

export function useSaveChannel() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: { id: number; body: ChannelUpdate } | { id?: undefined; body: ChannelCreate }) =>
      input.id === undefined
        ? data(await alertsApi.POST("/channels", { body: input.body }))
        : data(await alertsApi.PATCH("/channels/{channel_id}", { params: { path: { channel_id: input.id } }, body: input.body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertKeys.channels() }),
  });
}

export function useDeleteChannel() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (channelId: number) => {
      await alertsApi.DELETE("/channels/{channel_id}", { params: { path: { channel_id: channelId } } });
    },
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: alertKeys.channels() }), queryClient.invalidateQueries({ queryKey: alertKeys.rules() })]),
  });
}

export function useTestChannel() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (channelId: number) => data(await alertsApi.POST("/channels/{channel_id}/test", { params: { path: { channel_id: channelId } } })),
    onSettled: (_result, _error, channelId) => queryClient.invalidateQueries({ queryKey: alertKeys.deliveries(channelId) }),
  });
}

export function useCreateSilence() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: SilenceCreate) => data(await alertsApi.POST("/silences", { body })),
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: alertKeys.silences() }), queryClient.invalidateQueries({ queryKey: alertKeys.lists() })]),
  });
}

export function useDeleteSilence() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (silenceId: number) => {
      await alertsApi.DELETE("/silences/{silence_id}", { params: { path: { silence_id: silenceId } } });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertKeys.silences() }),
  });
}

export function useSetRecipient() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (chatId: string) => data(await alertsApi.POST("/recipient", { body: { chat_id: chatId } })),
    onSuccess: (recipient) => {
      // The code is given once: keep this answer (a refetch would not return the code).
      queryClient.setQueryData(alertKeys.recipient(), recipient);
      return queryClient.invalidateQueries({ queryKey: alertKeys.channels() });
    },
  });
}
