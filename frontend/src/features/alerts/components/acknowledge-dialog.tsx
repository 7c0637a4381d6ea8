import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { InlineError } from "@/components/errors/error-message";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogFooter } from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Textarea } from "@/components/ui/input";
import { useAcknowledge } from "../api/mutations";
import { ackSchema, type AckValues } from "../api/schemas";
import type { Alert } from "../api/types";
import { t } from "../messages";
import { describeCondition } from "../utils/format";

/** Acknowledging stops the alert's reminders; its resolution is still announced. */
export function AcknowledgeDialog({ alert, onClose }: { alert: Alert; onClose: () => void }) {
  const acknowledge = useAcknowledge();
  const form = useForm<AckValues>({ resolver: zodResolver(ackSchema), defaultValues: { comment: "" } });
  const submit = form.handleSubmit(({ comment }) => acknowledge.mutate({ alertId: alert.id, comment }, { onSuccess: onClose }));
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent
        title={t("ackTitle", { what: describeCondition(alert.metric, alert.condition, alert.threshold) })}
        description={t("ackHint")}
        closeLabel={t("close")}
      >
        <form onSubmit={submit} className="grid gap-4" noValidate>
          <FormField label={t("ackComment")} hint={t("ackCommentHint")} error={form.formState.errors.comment?.message}>
            <Textarea autoFocus maxLength={500} {...form.register("comment")} />
          </FormField>
          <InlineError error={acknowledge.error} />
          <DialogFooter>
            <DialogClose asChild>
              <Button variant="outline">{t("cancel")}</Button>
            </DialogClose>
            <Button type="submit" disabled={acknowledge.isPending}>
              {t("acknowledge")}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
