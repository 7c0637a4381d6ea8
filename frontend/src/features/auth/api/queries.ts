import { queryOptions } from "@tanstack/react-query";
import { authApi, data, type AuthSchemas } from "@/lib/api/clients";
import { authKeys } from "./keys";

export type Me = AuthSchemas["schemas"]["UserPublic"];
export type Role = NonNullable<Me["role"]>;
export type InvitationForMe = AuthSchemas["schemas"]["InvitationForMe"];

export const meQuery = () =>
  queryOptions({
    queryKey: authKeys.me(),
    queryFn: async ({ signal }) => data(await authApi.GET("/users/me", { signal })),
    staleTime: 60_000,
  });

export const myInvitationsQuery = () =>
  queryOptions({
    queryKey: authKeys.myInvitations(),
    queryFn: async ({ signal }) => data(await authApi.GET("/users/me/invitations", { signal })),
  });

/** What each role may change; the server refuses the rest anyway. */
export function can(me: Pick<Me, "role"> | undefined, action: "operate" | "administer"): boolean {
  const role = me?.role;
  if (action === "administer") return role === "admin";
  return role === "admin" || role === "operator";
}
