import { z } from "zod";
import { t } from "../messages";

export const NAME_MAX = 120; // core/schemas/common.py `Name`
// The server's own rule (core/schemas/common.py): "admin@localhost" is a fine address here.
const EMAIL = /^[^@\s]+@[^@\s]+$/;

export const orgNameSchema = z.object({
  name: z.string().trim().min(1, t("nameRequired")).max(NAME_MAX, t("nameTooLong", { max: NAME_MAX })),
});
export type OrgNameInput = z.infer<typeof orgNameSchema>;

export const inviteSchema = z.object({
  email: z.string().trim().max(254, t("emailTooLong")).regex(EMAIL, t("emailInvalid")),
  role: z.enum(["viewer", "operator", "admin"]),
});
export type InviteInput = z.infer<typeof inviteSchema>;
