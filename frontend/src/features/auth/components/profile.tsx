import { zodResolver } from "@hookform/resolvers/zod";
import { useSuspenseQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useForm } from "react-hook-form";
import { InlineError } from "@/components/errors/error-message";
import { Page } from "@/components/layout/page";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { formatDateTime } from "@/lib/i18n/format";
import { useChangePassword, useLogout } from "../api/mutations";
import { type PasswordInput, passwordSchema } from "../api/schemas";
import { meQuery } from "../api/queries";
import { roleLabel, t } from "../messages";

export function ProfilePage() {
  const { data: me } = useSuspenseQuery(meQuery());
  return (
    <Page title={t("profile")} description={t("profileHint")}>
      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>{t("account")}</CardTitle>
            <CardDescription>{t("memberSince", { date: formatDateTime(me.created_at) })}</CardDescription>
          </CardHeader>
          <CardContent>
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
              <dt className="text-muted-foreground">{t("newUsername")}</dt>
              <dd className="break-all">{me.username}</dd>
              <dt className="text-muted-foreground">{t("email")}</dt>
              <dd className="break-all">{me.email}</dd>
              <dt className="text-muted-foreground">{t("organization")}</dt>
              <dd className="flex flex-wrap items-center gap-2">
                {me.organizations.find((org) => org.id === me.org_id)?.name ?? "—"}
                {me.role ? <Badge>{roleLabel(me.role)}</Badge> : null}
              </dd>
            </dl>
          </CardContent>
        </Card>
        <PasswordCard />
        <SignOutEverywhereCard />
      </div>
    </Page>
  );
}

function PasswordCard() {
  const change = useChangePassword();
  const form = useForm<PasswordInput>({
    resolver: zodResolver(passwordSchema),
    defaultValues: { current_password: "", new_password: "", repeat: "" },
  });
  const errors = form.formState.errors;
  const submit = form.handleSubmit((values) => change.mutate(values, { onSuccess: () => form.reset() }));
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("changePassword")}</CardTitle>
      </CardHeader>
      <CardContent>
        <form onSubmit={submit} className="grid gap-3" noValidate>
          <FormField label={t("currentPassword")} error={errors.current_password?.message}>
            <Input type="password" autoComplete="current-password" {...form.register("current_password")} />
          </FormField>
          <FormField label={t("newPassword")} error={errors.new_password?.message}>
            <Input type="password" autoComplete="new-password" {...form.register("new_password")} />
          </FormField>
          <FormField label={t("repeatPassword")} error={errors.repeat?.message}>
            <Input type="password" autoComplete="new-password" {...form.register("repeat")} />
          </FormField>
          <InlineError error={change.error} />
          {change.isSuccess ? (
            <p role="status" className="text-sm text-ok">
              {t("passwordChanged")}
            </p>
          ) : null}
          <Button type="submit" className="justify-self-start" disabled={change.isPending}>
            {t("save")}
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}

function SignOutEverywhereCard() {
  const logout = useLogout();
  const navigate = useNavigate();
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("signOutEverywhere")}</CardTitle>
        <CardDescription>{t("signOutEverywhereHint")}</CardDescription>
      </CardHeader>
      <CardContent>
        <ConfirmDialog
          trigger={<Button variant="destructive">{t("signOutEverywhere")}</Button>}
          title={t("signOutEverywhereConfirm")}
          description={t("signOutEverywhereHint")}
          confirmLabel={t("signOutEverywhere")}
          cancelLabel={t("cancel")}
          pending={logout.isPending}
          onConfirm={() => logout.mutate(true, { onSettled: () => void navigate({ to: "/login" }) })}
        />
      </CardContent>
    </Card>
  );
}
