export const orgKeys = {
  all: ["organization"] as const,
  members: () => [...orgKeys.all, "members"] as const,
  invitations: () => [...orgKeys.all, "invitations"] as const,
};
