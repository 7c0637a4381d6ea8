import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { Trash2 } from "lucide-react";
import { useState } from "react";
import { ErrorMessage } from "@/components/errors/error-message";
import { ActionDialog } from "@/components/ui/action-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { NativeSelect } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import type { Me } from "@/lib/api/me";
import { formatDateTime } from "@/lib/i18n/format";
import { useChangeRole, useRemoveMember, useSwitchOrganization } from "../api/mutations";
import { type Member, membersQuery, type Role, ROLES } from "../api/queries";
import { roleLabel, t } from "../messages";

type Pending = { kind: "role"; member: Member; role: Role } | { kind: "remove"; member: Member } | null;

const nameOf = (member: Member) => member.username ?? member.email;

/** Members with their roles; admins change a role or remove a member, after confirming. */
export function MembersCard({ me, isAdmin }: { me: Me; isAdmin: boolean }) {
  const members = useQuery(membersQuery());
  const [pending, setPending] = useState<Pending>(null);
  const changeRole = useChangeRole();
  const remove = useRemoveMember();
  const switchOrg = useSwitchOrganization();
  const navigate = useNavigate();
  // Admins see open invitations in their own card, with expiry and revoke.
  const rows = (members.data ?? []).filter((member) => !isAdmin || member.status === "active");

  const ask = (next: Pending) => {
    changeRole.reset();
    remove.reset();
    setPending(next);
  };
  const leftOrganization = () => {
    // Our token is scoped to the organization just left: move to another one, if any.
    const other = me.organizations.find((org) => org.id !== me.org_id);
    if (other) switchOrg.mutate(other.id, { onSuccess: () => void navigate({ to: "/hosts" }) });
    else window.location.assign("/");
  };
  const confirm = () => {
    if (pending?.kind === "role" && pending.member.user_id !== null) {
      changeRole.mutate({ userId: pending.member.user_id, role: pending.role }, { onSuccess: () => setPending(null) });
    } else if (pending?.kind === "remove" && pending.member.user_id !== null) {
      const self = pending.member.user_id === me.id;
      remove.mutate(pending.member.user_id, {
        onSuccess: () => {
          setPending(null);
          if (self) leftOrganization();
        },
      });
    }
  };
  const self = pending?.member.user_id === me.id;

  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("members")}</CardTitle>
        <CardDescription>{isAdmin ? t("membersHint") : t("membersReadOnly")}</CardDescription>
      </CardHeader>
      <CardContent>
        {members.isPending ? (
          <div className="grid gap-2" aria-busy="true">
            <Skeleton className="h-10" />
            <Skeleton className="h-10" />
          </div>
        ) : members.isError ? (
          <ErrorMessage error={members.error} onRetry={() => void members.refetch()} />
        ) : (
          <ul className="divide-y" aria-label={t("members")}>
            {rows.map((member) => (
              <MemberRow
                key={member.user_id ?? `invitation-${String(member.invitation_id)}`}
                member={member}
                isSelf={member.user_id === me.id}
                isAdmin={isAdmin}
                onRole={(role) => ask({ kind: "role", member, role })}
                onRemove={() => ask({ kind: "remove", member })}
              />
            ))}
          </ul>
        )}
      </CardContent>
      {pending ? (
        <ActionDialog
          open
          onOpenChange={(open) => !open && setPending(null)}
          title={
            pending.kind === "role"
              ? t("changeRoleTitle", { name: nameOf(pending.member), role: roleLabel(pending.role).toLowerCase() })
              : self
                ? t("leaveTitle")
                : t("removeTitle", { name: nameOf(pending.member) })
          }
          description={
            pending.kind === "role"
              ? self && pending.role !== "admin"
                ? t("changeRoleSelfHint")
                : t("changeRoleHint")
              : self
                ? t("leaveHint")
                : t("removeHint")
          }
          confirmLabel={pending.kind === "role" ? t("changeRole") : self ? t("leave") : t("remove")}
          cancelLabel={t("cancel")}
          destructive={pending.kind === "remove" || (self && pending.role !== "admin")}
          pending={changeRole.isPending || remove.isPending || switchOrg.isPending}
          error={changeRole.error ?? remove.error ?? switchOrg.error}
          onConfirm={confirm}
        />
      ) : null}
    </Card>
  );
}

function MemberRow({
  member,
  isSelf,
  isAdmin,
  onRole,
  onRemove,
}: {
  member: Member;
  isSelf: boolean;
  isAdmin: boolean;
  onRole: (role: Role) => void;
  onRemove: () => void;
}) {
  const editable = isAdmin && member.status === "active" && member.user_id !== null;
  const name = nameOf(member);
  return (
    <li className="flex flex-wrap items-center gap-x-4 gap-y-2 py-3" data-member={member.email}>
      <div className="min-w-0 flex-1 basis-48">
        <p className="flex flex-wrap items-center gap-2 font-medium">
          <span className="break-all">{name}</span>
          {isSelf ? <Badge tone="info">{t("you")}</Badge> : null}
          {member.status === "invited" ? <Badge tone="warn">{t("invited")}</Badge> : null}
        </p>
        <p className="text-xs break-all text-muted-foreground">
          {member.username && member.username !== member.email ? `${member.email} · ` : ""}
          {t("memberSince", { date: formatDateTime(member.since) })}
        </p>
      </div>
      {editable ? (
        <div className="flex items-center gap-2">
          <NativeSelect
            aria-label={t("roleOf", { name })}
            value={member.role}
            onChange={(event) => {
              const role = ROLES.find((item) => item === event.target.value);
              if (role) onRole(role);
            }}
            className="w-32"
          >
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {roleLabel(role)}
              </option>
            ))}
          </NativeSelect>
          <Button variant="ghost" size="icon" aria-label={isSelf ? t("leave") : t("removeMember", { name })} onClick={onRemove}>
            <Trash2 aria-hidden="true" />
          </Button>
        </div>
      ) : (
        <Badge>{roleLabel(member.role)}</Badge>
      )}
    </li>
  );
}
