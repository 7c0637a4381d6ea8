import { describe, expect, it } from "vitest";
import { invitationLink } from "./links";
import { inviteSchema, orgNameSchema } from "./schemas";

describe("invitations", () => {
  it("link to the dashboard's invitation page with the token", () => {
    expect(invitationLink("https://monitor.example.com", "smi_abc-DEF_123")).toBe("https://monitor.example.com/invitation?token=smi_abc-DEF_123");
    expect(invitationLink("http://localhost:8080/", "smi_x")).toBe("http://localhost:8080/invitation?token=smi_x");
  });

  it("take the addresses the server takes, admin@localhost included", () => {
    const ok = (email: string) => inviteSchema.safeParse({ email, role: "viewer" }).success;
    expect(ok("admin@localhost")).toBe(true);
    expect(ok(" Someone@Example.com ")).toBe(true);
    expect(ok("no-at-sign")).toBe(false);
    expect(ok("two words@example.com")).toBe(false);
    expect(ok(`${"a".repeat(251)}@b.c`)).toBe(false);
    expect(inviteSchema.safeParse({ email: "a@b", role: "owner" }).success).toBe(false);
  });

  it("name organizations like the server: trimmed, 1 to 120 characters", () => {
    expect(orgNameSchema.parse({ name: "  Ops  " })).toEqual({ name: "Ops" });
    expect(orgNameSchema.safeParse({ name: "   " }).success).toBe(false);
    expect(orgNameSchema.safeParse({ name: "x".repeat(121) }).success).toBe(false);
  });
});
