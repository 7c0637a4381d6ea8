import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { AuthSchemas } from "@/lib/api/clients";
import { formatDateTime } from "@/lib/i18n/format";
import { roleLabel, t } from "../messages";
import { FormSlot, RenameForm } from "./lazy-forms";

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
          <FormSlot>
            <RenameForm key={org.id} org={org} />
          </FormSlot>
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
