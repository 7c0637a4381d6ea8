import { queryOptions } from "@tanstack/react-query";
import { authApi, data, type AuthSchemas } from "@/lib/api/clients";
import { authKeys } from "./keys";

export { can, meQuery, type Me, type Role } from "@/lib/api/me";
export type InvitationForMe = AuthSchemas["schemas"]["InvitationForMe"];

export const myInvitationsQuery = () =>
  queryOptions({
    queryKey: authKeys.myInvitations(),
    queryFn: async ({ signal }) => data(await authApi.GET("/users/me/invitations", { signal })),
  });
