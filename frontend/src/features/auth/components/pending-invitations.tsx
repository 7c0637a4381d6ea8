import { useQuery } from "@tanstack/react-query";
import { myInvitationsQuery } from "../api/queries";
import { roleLabel, t } from "../messages";

/** Invitations waiting for this account (accepting needs the link's token, so only listed). */
export function PendingInvitations() {
  const { data } = useQuery(myInvitationsQuery());
  if (!data || data.length === 0) return null;
  return (
    <section aria-label={t("pendingInvitations")} className="rounded-lg border border-primary/40 bg-primary/5 p-3 text-sm">
      <h2 className="font-medium">{t("pendingInvitations")}</h2>
      <ul className="mt-1 list-disc pl-5">
        {data.map((invitation) => (
          <li key={invitation.id}>{t("joinAs", { org: invitation.org_name, role: roleLabel(invitation.role) })}</li>
        ))}
      </ul>
    </section>
  );
}
