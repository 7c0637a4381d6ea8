import { zodResolver } from "@hookform/resolvers/zod";
import { CheckCircle2 } from "lucide-react";
import { useForm } from "react-hook-form";
import { InlineError } from "@/components/errors/error-message";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import type { AuthSchemas } from "@/lib/api/clients";
import { formatDateTime } from "@/lib/i18n/format";
import { useRenameOrganization } from "../api/mutations";
import { type OrgNameInput, orgNameSchema } from "../api/schemas";
import { roleLabel, t } from "../messages";

type Org = AuthSchemas["schemas"]["OrgPublic"];

/** The organization's name (admins rename it) and the caller's role in it. */
export function OrganizationCard({ org, isAdmin }: { org: Org; isAdmin: boolean }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("settings")}</CardTitle>
        <CardDescription>{t("createdOn", { date: formatDateTime(org.created_at) })}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {isAdmin ? (
          <RenameForm key={org.id} org={org} />
        ) : (
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-muted-foreground">{t("name")}</dt>
            <dd className="break-words font-medium">{org.name}</dd>
          </dl>
        )}
        <div className="grid gap-1 text-sm">
          <p className="flex items-center gap-2">
            {t("yourRole")}
            <Badge tone="info">{roleLabel(org.role)}</Badge>
          </p>
          <p className="text-xs text-muted-foreground">{t("roleHelp")}</p>
        </div>
      </CardContent>
    </Card>
  );
}

function RenameForm({ org }: { org: Org }) {
  const rename = useRenameOrganization();
  const form = useForm<OrgNameInput>({ resolver: zodResolver(orgNameSchema), defaultValues: { name: org.name } });
  const submit = form.handleSubmit(({ name }) =>
    rename.mutate({ orgId: org.id, name }, { onSuccess: (saved) => form.reset({ name: saved.name }) }),
  );
  return (
    <form onSubmit={submit} className="grid gap-3" noValidate>
      <FormField label={t("name")} error={form.formState.errors.name?.message}>
        <Input autoComplete="organization" {...form.register("name")} />
      </FormField>
      <InlineError error={rename.error} />
      {rename.isSuccess && !form.formState.isDirty ? (
        <p role="status" className="flex items-center gap-1.5 text-sm">
          <CheckCircle2 className="size-4 text-ok" aria-hidden="true" />
          {t("renamed")}
        </p>
      ) : null}
      <Button type="submit" className="justify-self-start" disabled={rename.isPending || !form.formState.isDirty}>
        {rename.isPending ? t("saving") : t("rename")}
      </Button>
    </form>
  );
}
