// The signed-in user in the current organization: every feature needs their role to hide
// what they cannot do (the server refuses it anyway), so this one query is shared.
import { queryOptions, useQuery } from "@tanstack/react-query";
import { authApi, data, type AuthSchemas } from "./clients";

export type Me = AuthSchemas["schemas"]["UserPublic"];
export type Role = NonNullable<Me["role"]>;

export const meKeys = { all: ["me"] as const };

export const meQuery = () =>
  queryOptions({
    queryKey: meKeys.all,
    queryFn: async ({ signal }) => data(await authApi.GET("/users/me", { signal })),
    staleTime: 60_000,
  });

/** operate: change hosts, rules, channels; administer: members, organization. */
export function can(me: Pick<Me, "role"> | undefined, action: "operate" | "administer"): boolean {
  const role = me?.role;
  if (action === "administer") return role === "admin";
  return role === "admin" || role === "operator";
}

export function useCan(action: "operate" | "administer"): boolean {
  const { data: me } = useQuery(meQuery());
  return can(me, action);
}
