export const authKeys = {
  all: ["auth"] as const,
  me: () => [...authKeys.all, "me"] as const,
  myInvitations: () => [...authKeys.all, "my-invitations"] as const,
};
