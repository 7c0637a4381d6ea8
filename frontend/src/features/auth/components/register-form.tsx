import { zodResolver } from "@hookform/resolvers/zod";
import { Link } from "@tanstack/react-router";
import { useForm } from "react-hook-form";
import { InlineError } from "@/components/errors/error-message";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { useRegister } from "../api/mutations";
import { type RegisterInput, registerSchema } from "../api/schemas";
import { t } from "../messages";

export function RegisterForm({ invitation, onRegistered }: { invitation?: string; onRegistered: () => void }) {
  const register = useRegister();
  const form = useForm<RegisterInput>({
    resolver: zodResolver(registerSchema),
    defaultValues: { username: "", email: "", password: "" },
  });
  const submit = form.handleSubmit((values) =>
    register.mutate(invitation ? { ...values, invitation_token: invitation } : values, { onSuccess: onRegistered }),
  );
  const errors = form.formState.errors;
  return (
    <form onSubmit={submit} className="grid gap-4" noValidate>
      <FormField label={t("newUsername")} error={errors.username?.message}>
        <Input autoComplete="username" autoFocus {...form.register("username")} />
      </FormField>
      <FormField label={t("email")} error={errors.email?.message}>
        <Input type="email" autoComplete="email" {...form.register("email")} />
      </FormField>
      <FormField label={t("password")} error={errors.password?.message}>
        <Input type="password" autoComplete="new-password" {...form.register("password")} />
      </FormField>
      <InlineError error={register.error} />
      <Button type="submit" disabled={register.isPending}>
        {register.isPending ? t("creating") : t("register")}
      </Button>
      <p className="text-sm text-muted-foreground">
        {t("haveAccount")}{" "}
        <Link to="/login" search={invitation ? { invitation } : {}} className="text-primary underline-offset-4 hover:underline">
          {t("signIn")}
        </Link>
      </p>
    </form>
  );
}
