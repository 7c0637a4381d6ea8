import { useMutation, useQueryClient } from "@tanstack/react-query";
import { authApi, data } from "@/lib/api/clients";
import { session } from "@/lib/api/session";
import { liveSocket } from "@/lib/realtime/socket";
import type { LoginInput, PasswordInput, RegisterInput } from "./schemas";

// OAuth2's password grant is a form post; the optional fields are left out when empty.
const formBody = (body: Record<string, string | null | undefined>) =>
  new URLSearchParams(Object.entries(body).filter((entry): entry is [string, string] => Boolean(entry[1])));

export async function login(input: LoginInput): Promise<void> {
  const answer = data(
    await authApi.POST("/token", {
      body: { username: input.username, password: input.password, scope: "" },
      bodySerializer: formBody,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    }),
  );
  session.accept(answer);
}

function useSignedOutReset() {
  const queryClient = useQueryClient();
  return () => {
    liveSocket.close();
    session.clear();
    queryClient.clear();
  };
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: () => queryClient.invalidateQueries(),
  });
}

export function useRegister() {
  return useMutation({
    mutationFn: async (input: RegisterInput & { invitation_token?: string }) =>
      data(await authApi.POST("/register", { body: input })),
  });
}

export function useLogout() {
  const reset = useSignedOutReset();
  return useMutation({
    mutationFn: async (everywhere: boolean) => {
      const path = everywhere ? "/logout/all" : "/logout";
      await authApi.POST(path, {});
    },
    onSettled: reset,
  });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: async ({ current_password, new_password }: PasswordInput) => {
      session.accept(data(await authApi.POST("/users/me/password", { body: { current_password, new_password } })));
    },
  });
}

/** A new access token scoped to `orgId`; every cached query belonged to the old one. */
export function useSwitchOrganization() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (orgId: number) => {
      session.accept(data(await authApi.POST("/organizations/{org_id}/switch", { params: { path: { org_id: orgId } } })));
    },
    onSuccess: () => {
      liveSocket.close();
      queryClient.clear();
    },
  });
}

export function useAnswerInvitation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ token, accept }: { token: string; accept: boolean }) => {
      if (accept) {
        const org = data(await authApi.POST("/invitations/accept", { body: { token } }));
        // Straight into the organization just joined.
        const path = { org_id: org.id };
        session.accept(data(await authApi.POST("/organizations/{org_id}/switch", { params: { path } })));
        liveSocket.close();
        return org;
      }
      await authApi.POST("/invitations/decline", { body: { token } });
      return null;
    },
    onSuccess: () => queryClient.invalidateQueries(),
  });
}
