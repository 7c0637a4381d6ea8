import { InlineError } from "@/components/errors/error-message";
import { Button } from "@/components/ui/button";
import { useAnswerInvitation } from "../api/mutations";
import { t } from "../messages";

/** Accept or decline the invitation whose token the link carried, once signed in. */
export function InvitationAnswer({ token, onDone }: { token: string; onDone: (orgId: number | null) => void }) {
  const answer = useAnswerInvitation();
  return (
    <div className="grid gap-3">
      <InlineError error={answer.error} />
      <div className="flex gap-2">
        <Button
          disabled={answer.isPending}
          onClick={() => answer.mutate({ token, accept: true }, { onSuccess: (org) => onDone(org?.id ?? null) })}
        >
          {t("accept")}
        </Button>
        <Button
          variant="outline"
          disabled={answer.isPending}
          onClick={() => answer.mutate({ token, accept: false }, { onSuccess: () => onDone(null) })}
        >
          {t("decline")}
        </Button>
      </div>
    </div>
  );
}
