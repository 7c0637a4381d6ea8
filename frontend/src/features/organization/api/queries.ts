import { queryOptions } from "@tanstack/react-query";
import { authApi, data, type AuthSchemas } from "@/lib/api/clients";
import { orgKeys } from "./keys";

export type Member = AuthSchemas["schemas"]["MemberPublic"];
export type Invitation = AuthSchemas["schemas"]["InvitationPublic"];
export type Role = AuthSchemas["schemas"]["Role"];
export const ROLES: readonly Role[] = ["viewer", "operator", "admin"];

/** Members of the current organization, and (status "invited") its open invitations. */
export const membersQuery = () =>
  queryOptions({
    queryKey: orgKeys.members(),
    queryFn: async ({ signal }) => data(await authApi.GET("/members", { signal })),
  });

/** Admins only: pending invitations, expired ones included until replaced or revoked. */
export const invitationsQuery = () =>
  queryOptions({
    queryKey: orgKeys.invitations(),
    queryFn: async ({ signal }) => data(await authApi.GET("/invitations", { signal })),
  });
