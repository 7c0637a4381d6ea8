import { useQuery } from "@tanstack/react-query";
import { X } from "lucide-react";
import { useRef, useState } from "react";
import { ErrorMessage } from "@/components/errors/error-message";
import { ActionDialog } from "@/components/ui/action-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog, DialogContent, DialogFooter } from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { formatDateTime, formatRelative } from "@/lib/i18n/format";
import { useRevokeInvitation } from "../api/mutations";
import { type Invitation, invitationsQuery } from "../api/queries";
import { roleLabel, t } from "../messages";
import { FormSlot, InviteForm } from "./lazy-forms";

/** Admins: invite by e-mail (the link is shown once), see what is pending, revoke. */
export function InvitationsCard() {
  const [shown, setShown] = useState<{ email: string; link: string; expiresAt: string } | null>(null);
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("invitations")}</CardTitle>
        <CardDescription>{t("invitationsHint")}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-6">
        <FormSlot height="h-16">
          <InviteForm onInvited={setShown} />
        </FormSlot>
        <PendingList />
      </CardContent>
      {shown ? <InvitationLinkDialog {...shown} onClose={() => setShown(null)} /> : null}
    </Card>
  );
}

function PendingList() {
  const invitations = useQuery(invitationsQuery());
  const revoke = useRevokeInvitation();
  const [revoking, setRevoking] = useState<Invitation | null>(null);
  if (invitations.isPending) return <Skeleton className="h-10" />;
  if (invitations.isError) return <ErrorMessage error={invitations.error} onRetry={() => void invitations.refetch()} />;
  // The server says which have expired; relative times are as of the answer.
  const now = invitations.dataUpdatedAt;
  return (
    <section className="grid gap-2" aria-label={t("pending")}>
      <h4 className="text-sm font-medium">{t("pending")}</h4>
      {invitations.data.length === 0 ? (
        <p className="text-sm text-muted-foreground">{t("noPending")}</p>
      ) : (
        <ul className="divide-y rounded-md border">
          {invitations.data.map((invitation) => {
            const expired = invitation.status === "expired" || Date.parse(invitation.expires_at) <= now;
            return (
              <li key={invitation.id} className="flex flex-wrap items-center gap-x-4 gap-y-1 p-3" data-invitation={invitation.email}>
                <div className="min-w-0 flex-1 basis-48">
                  <p className="flex flex-wrap items-center gap-2 text-sm font-medium">
                    <span className="break-all">{invitation.email}</span>
                    <Badge>{roleLabel(invitation.role)}</Badge>
                    {expired ? <Badge tone="crit">{t("expired")}</Badge> : null}
                  </p>
                  <p className="text-xs text-muted-foreground">
                    {expired ? (
                      t("expiredHint")
                    ) : (
                      <time dateTime={invitation.expires_at} title={formatDateTime(invitation.expires_at)}>
                        {t("expires", { when: formatRelative(invitation.expires_at, now) })}
                      </time>
                    )}
                  </p>
                </div>
                <Button
                  variant="outline"
                  size="sm"
                  aria-label={t("revokeInvitation", { email: invitation.email })}
                  onClick={() => {
                    revoke.reset();
                    setRevoking(invitation);
                  }}
                >
                  <X aria-hidden="true" />
                  {t("revoke")}
                </Button>
              </li>
            );
          })}
        </ul>
      )}
      {revoking ? (
        <ActionDialog
          open
          onOpenChange={(open) => !open && setRevoking(null)}
          title={t("revokeTitle", { email: revoking.email })}
          description={t("revokeHint")}
          confirmLabel={t("revoke")}
          cancelLabel={t("cancel")}
          pending={revoke.isPending}
          error={revoke.error}
          onConfirm={() => revoke.mutate(revoking.id, { onSuccess: () => setRevoking(null) })}
        />
      ) : null}
    </section>
  );
}

function InvitationLinkDialog({ email, link, expiresAt, onClose }: { email: string; link: string; expiresAt: string; onClose: () => void }) {
  const ref = useRef<HTMLInputElement>(null);
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent
        title={t("linkTitle", { email })}
        description={t("linkOnce", { date: formatDateTime(expiresAt), email })}
        closeLabel={t("close")}
        onInteractOutside={(event) => event.preventDefault()}
      >
        <FormField label={t("link")}>
          <Input ref={ref} readOnly value={link} spellCheck={false} className="font-mono text-xs" onFocus={(event) => event.currentTarget.select()} />
        </FormField>
        <CopyButton
          value={link}
          fallbackRef={ref}
          label={t("copyLink")}
          copiedLabel={t("copied")}
          selectedLabel={t("selected")}
          variant="default"
          className="justify-self-start"
        />
        <DialogFooter>
          <Button variant="outline" onClick={onClose}>
            {t("done")}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
