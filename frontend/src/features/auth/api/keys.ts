export const authKeys = {
  all: ["auth"] as const,
  myInvitations: () => [...authKeys.all, "my-invitations"] as const,
};
