// The forms' rules, next to the requests they build (checked against the generated types).
import { z } from "zod";
import { t } from "../messages";

export const loginSchema = z.object({
  username: z.string().trim().min(1, t("required")).max(254),
  password: z.string().min(1, t("required")).max(1024),
});
export type LoginInput = z.infer<typeof loginSchema>;

export const registerSchema = z.object({
  username: z.string().trim().min(3).max(254),
  email: z.email().max(254),
  password: z.string().min(8, t("passwordTooShort")).max(1024),
});
export type RegisterInput = z.infer<typeof registerSchema>;

export const passwordSchema = z
  .object({
    current_password: z.string().min(1, t("required")),
    new_password: z.string().min(8, t("passwordTooShort")).max(1024),
    repeat: z.string(),
  })
  .refine((value) => value.new_password === value.repeat, { error: t("passwordsDiffer"), path: ["repeat"] });
export type PasswordInput = z.infer<typeof passwordSchema>;

