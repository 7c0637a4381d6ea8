import { zodResolver } from "@hookform/resolvers/zod";
import { useNavigate } from "@tanstack/react-router";
import { useForm } from "react-hook-form";
import { InlineError } from "@/components/errors/error-message";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { useCreateOrganization, useSwitchOrganization } from "../api/mutations";
import { type OrgNameInput, orgNameSchema } from "../api/schemas";
import { t } from "../messages";

/** Anyone may start another organization (POST /organizations) and becomes its admin. */
export function NewOrganizationCard() {
  const create = useCreateOrganization();
  const switchOrg = useSwitchOrganization();
  const navigate = useNavigate();
  const form = useForm<OrgNameInput>({ resolver: zodResolver(orgNameSchema), defaultValues: { name: "" } });
  const submit = form.handleSubmit(({ name }) => create.mutate(name, { onSuccess: () => form.reset() }));
  const created = create.data;
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("newOrg")}</CardTitle>
        <CardDescription>{t("newOrgHint")}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        <form onSubmit={submit} className="grid gap-3" noValidate>
          <FormField label={t("name")} error={form.formState.errors.name?.message}>
            <Input autoComplete="off" {...form.register("name")} />
          </FormField>
          <InlineError error={create.error} />
          <Button type="submit" variant="outline" className="justify-self-start" disabled={create.isPending}>
            {create.isPending ? t("creating") : t("create")}
          </Button>
        </form>
        {created ? (
          <div role="status" className="flex flex-wrap items-center gap-2 rounded-md border border-ok/40 bg-ok/10 p-3 text-sm">
            <span>{t("createdOrg", { name: created.name })}</span>
            <Button
              size="sm"
              disabled={switchOrg.isPending}
              onClick={() =>
                switchOrg.mutate(created.id, {
                  onSuccess: () => {
                    create.reset();
                    void navigate({ to: "/organization" });
                  },
                })
              }
            >
              {t("switchTo", { name: created.name })}
            </Button>
            <InlineError error={switchOrg.error} />
          </div>
        ) : null}
      </CardContent>
    </Card>
  );
}
