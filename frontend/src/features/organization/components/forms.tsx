// The organization page's forms (react-hook-form + zod), loaded after the page itself: the
// members and invitations show first and the page's first JavaScript stays light.
import { zodResolver } from "@hookform/resolvers/zod";
import { useNavigate } from "@tanstack/react-router";
import { CheckCircle2, MailPlus } from "lucide-react";
import { useForm } from "react-hook-form";
import { InlineError } from "@/components/errors/error-message";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input, NativeSelect } from "@/components/ui/input";
import type { AuthSchemas } from "@/lib/api/clients";
import { invitationLink } from "../api/links";
import { useCreateOrganization, useInvite, useRenameOrganization, useSwitchOrganization } from "../api/mutations";
import { ROLES } from "../api/queries";
import { type InviteInput, inviteSchema, type OrgNameInput, orgNameSchema } from "../api/schemas";
import { roleLabel, t } from "../messages";

type Org = AuthSchemas["schemas"]["OrgPublic"];

export function RenameForm({ org }: { org: Org }) {
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

export function InviteForm({ onInvited }: { onInvited: (shown: { email: string; link: string; expiresAt: string }) => void }) {
  const invite = useInvite();
  const form = useForm<InviteInput>({ resolver: zodResolver(inviteSchema), defaultValues: { email: "", role: "viewer" } });
  const submit = form.handleSubmit((values) =>
    invite.mutate(values, {
      onSuccess: (created) => {
        onInvited({ email: created.email, link: invitationLink(window.location.origin, created.token), expiresAt: created.expires_at });
        invite.reset(); // the token now lives only in the dialog
        form.reset();
      },
    }),
  );
  return (
    <form onSubmit={submit} className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_10rem_auto] sm:items-start" noValidate>
      <FormField label={t("email")} error={form.formState.errors.email?.message}>
        <Input type="email" autoComplete="off" placeholder="name@example.com" {...form.register("email")} />
      </FormField>
      <FormField label={t("role")}>
        <NativeSelect {...form.register("role")}>
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {roleLabel(role)}
            </option>
          ))}
        </NativeSelect>
      </FormField>
      <Button type="submit" className="sm:mt-5" disabled={invite.isPending}>
        <MailPlus aria-hidden="true" />
        {invite.isPending ? t("inviting") : t("invite")}
      </Button>
      {invite.error ? (
        <div className="sm:col-span-3">
          <InlineError error={invite.error} />
        </div>
      ) : null}
    </form>
  );
}

/** Anyone may start another organization (POST /organizations) and becomes its admin. */
export function NewOrganizationForm() {
  const create = useCreateOrganization();
  const switchOrg = useSwitchOrganization();
  const navigate = useNavigate();
  const form = useForm<OrgNameInput>({ resolver: zodResolver(orgNameSchema), defaultValues: { name: "" } });
  const submit = form.handleSubmit(({ name }) => create.mutate(name, { onSuccess: () => form.reset() }));
  const created = create.data;
  return (
    <div className="grid gap-3">
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
    </div>
  );
}
