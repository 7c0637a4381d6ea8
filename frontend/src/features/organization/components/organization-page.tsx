import { useSuspenseQuery } from "@tanstack/react-query";
import { Page } from "@/components/layout/page";
import { can, meQuery } from "@/lib/api/me";
import { t } from "../messages";
import { ApiDocsCard } from "./api-docs-card";
import { InvitationsCard } from "./invitations-card";
import { MembersCard } from "./members-card";
import { NewOrganizationCard } from "./new-organization-card";
import { OrganizationCard } from "./organization-card";

export function OrganizationPage() {
  // Loaded by the _app route before any page renders.
  const { data: me } = useSuspenseQuery(meQuery());
  const isAdmin = can(me, "administer");
  const org = me.organizations.find((item) => item.id === me.org_id);
  return (
    <Page title={t("title")} description={t("description")}>
      <div className="grid gap-4 lg:grid-cols-2">
        {org ? <OrganizationCard org={org} isAdmin={isAdmin} /> : null}
        <ApiDocsCard />
        <div className="lg:col-span-2">
          <MembersCard me={me} isAdmin={isAdmin} />
        </div>
        {isAdmin ? (
          <div className="lg:col-span-2">
            <InvitationsCard />
          </div>
        ) : null}
        <NewOrganizationCard />
      </div>
    </Page>
  );
}
