import { zodResolver } from "@hookform/resolvers/zod";
import { Link } from "@tanstack/react-router";
import { useForm } from "react-hook-form";
import { InlineError } from "@/components/errors/error-message";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { useLogin } from "../api/mutations";
import { type LoginInput, loginSchema } from "../api/schemas";
import { t } from "../messages";

export function LoginForm({ onSignedIn, notice, invitation }: { onSignedIn: () => void; notice?: string; invitation?: string }) {
  const login = useLogin();
  const form = useForm<LoginInput>({ resolver: zodResolver(loginSchema), defaultValues: { username: "", password: "" } });
  const submit = form.handleSubmit((values) => login.mutate(values, { onSuccess: onSignedIn }));
  return (
    <form onSubmit={submit} className="grid gap-4" noValidate>
      {notice ? (
        <p role="status" className="rounded-md bg-ok/15 p-2 text-sm">
          {notice}
        </p>
      ) : null}
      <FormField label={t("username")} error={form.formState.errors.username?.message}>
        <Input autoComplete="username" autoFocus {...form.register("username")} />
      </FormField>
      <FormField label={t("password")} error={form.formState.errors.password?.message}>
        <Input type="password" autoComplete="current-password" {...form.register("password")} />
      </FormField>
      <InlineError error={login.error} />
      <Button type="submit" disabled={login.isPending}>
        {login.isPending ? t("signingIn") : t("signIn")}
      </Button>
      <p className="text-sm text-muted-foreground">
        {t("noAccount")}{" "}
        <Link to="/register" search={invitation ? { invitation } : {}} className="text-primary underline-offset-4 hover:underline">
          {t("register")}
        </Link>
      </p>
    </form>
  );
}
