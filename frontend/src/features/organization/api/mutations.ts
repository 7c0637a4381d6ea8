import { useMutation, useQueryClient } from "@tanstack/react-query";
import { authApi, data } from "@/lib/api/clients";
import { meKeys } from "@/lib/api/me";
import { session } from "@/lib/api/session";
import { liveSocket } from "@/lib/realtime/socket";
import { orgKeys } from "./keys";
import type { Role } from "./queries";

export function useRenameOrganization() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ orgId, name }: { orgId: number; name: string }) =>
      data(await authApi.PATCH("/organizations/{org_id}", { params: { path: { org_id: orgId } }, body: { name } })),
    // The name shows in the account menu's organization list, which comes with /users/me.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: meKeys.all }),
  });
}

export function useCreateOrganization() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (name: string) => data(await authApi.POST("/organizations", { body: { name } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: meKeys.all }),
  });
}

/** New tokens scoped to `orgId`; every cached answer belonged to the old organization. */
export function useSwitchOrganization() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (orgId: number) => {
      session.accept(data(await authApi.POST("/organizations/{org_id}/switch", { params: { path: { org_id: orgId } } })));
    },
    onSuccess: async () => {
      liveSocket.close();
      // Every answer belonged to the old organization: drop them all; the page on screen
      // fetches afresh (clear() would leave its observers on removed queries).
      await queryClient.resetQueries();
    },
  });
}

export function useInvite() {
  const queryClient = useQueryClient();
  return useMutation({
    // The answer holds the invitation's one-time token: not kept once its dialog closes.
    gcTime: 0,
    mutationFn: async (body: { email: string; role: Role }) => data(await authApi.POST("/members", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: orgKeys.all }),
  });
}

export function useChangeRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ userId, role }: { userId: number; role: Role }) =>
      data(await authApi.PATCH("/members/{user_id}", { params: { path: { user_id: userId } }, body: { role } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: orgKeys.all });
      await queryClient.invalidateQueries({ queryKey: meKeys.all }); // one's own role may have changed
    },
  });
}

export function useRemoveMember() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (userId: number) => {
      await authApi.DELETE("/members/{user_id}", { params: { path: { user_id: userId } } });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: orgKeys.all }),
  });
}

export function useRevokeInvitation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (invitationId: number) => {
      await authApi.DELETE("/invitations/{invitation_id}", { params: { path: { invitation_id: invitationId } } });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: orgKeys.all }),
  });
}
