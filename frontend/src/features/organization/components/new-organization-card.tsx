import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { t } from "../messages";
import { FormSlot, NewOrganizationForm } from "./lazy-forms";

export function NewOrganizationCard() {
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("newOrg")}</CardTitle>
        <CardDescription>{t("newOrgHint")}</CardDescription>
      </CardHeader>
      <CardContent>
        <FormSlot>
          <NewOrganizationForm />
        </FormSlot>
      </CardContent>
    </Card>
  );
}
