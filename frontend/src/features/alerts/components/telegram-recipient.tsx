import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery } from "@tanstack/react-query";
import { CheckCircle2, Copy, MessageCircle } from "lucide-react";
import { useId, useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { ErrorMessage } from "@/components/errors/error-message";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { useCan } from "@/lib/api/me";
import { recipientQuery } from "../api/queries";
import { useSetRecipient } from "../api/mutations";
import { t } from "../messages";
import { applyServerErrors } from "@/lib/api/server-errors";

// The same rule as the server's Recipient.chat_id (core/schemas/alerting.py).
const recipientSchema = z.object({
  chat_id: z
    .string()
    .trim()
    .regex(/^(-?\d{1,20}|@[A-Za-z0-9_]{5,32})$/, t("chatIdPattern")),
});
type RecipientValues = z.infer<typeof recipientSchema>;

/**
 * The signed-in user's own Telegram chat for alerts (StatusMonitor v1's /recipient), and the
 * steps that link and confirm it: /start to the bot gives the chat id; setting it here gives a
 * one-time code; "/start <code>" from that chat confirms it (then /ack works from Telegram).
 */
export function TelegramRecipient() {
  const canOperate = useCan("operate");
  const setRecipient = useSetRecipient();
  const code = setRecipient.data?.confirm_code ?? null;
  const recipient = useQuery(recipientQuery(code !== null));
  const form = useForm<RecipientValues>({ resolver: zodResolver(recipientSchema), defaultValues: { chat_id: "" } });
  const [copied, setCopied] = useState(false);
  const headingId = useId();
  const current = recipient.data;
  const confirmed = current?.confirmed === true;
  const pendingCode = code !== null && !confirmed ? code : null;
  const nextStep = pendingCode ? setRecipient.data?.next_step : current?.next_step;

  const submit = form.handleSubmit(({ chat_id }) =>
    setRecipient.mutate(chat_id, {
      onSuccess: () => form.reset({ chat_id: "" }),
      onError: (error) => {
        const rest = applyServerErrors(error, ["chat_id"], (_field, message) => form.setError("chat_id", { message }));
        if (rest) form.setError("chat_id", { message: rest });
      },
    }),
  );
  const copy = async (text: string) => {
    await navigator.clipboard.writeText(text);
    setCopied(true);
  };

  return (
    <Card role="region" aria-labelledby={headingId}>
      <CardHeader>
        <CardTitle id={headingId} className="flex items-center gap-2">
          <MessageCircle className="size-4" aria-hidden="true" />
          {t("telegramTitle")}
        </CardTitle>
        <CardDescription>{t("telegramHint")}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {recipient.isPending ? (
          <Skeleton className="h-16" />
        ) : recipient.isError ? (
          <ErrorMessage error={recipient.error} onRetry={() => void recipient.refetch()} />
        ) : (
          <>
            <div className="flex flex-wrap items-center gap-2 text-sm" role="status" aria-live="polite">
              {current?.chat_id ? (
                <>
                  <span>{t("telegramChat", { chat: current.chat_id })}</span>
                  {confirmed ? (
                    <Badge tone="ok">
                      <CheckCircle2 className="size-3" aria-hidden="true" />
                      {t("telegramConfirmed")}
                    </Badge>
                  ) : (
                    <Badge tone="warn">{t("telegramUnconfirmed")}</Badge>
                  )}
                </>
              ) : (
                <span className="text-muted-foreground">{t("telegramNone")}</span>
              )}
            </div>
            <ol className="grid list-decimal gap-3 pl-5 text-sm marker:text-muted-foreground">
              <li>{t("telegramStep1")}</li>
              <li>
                {t("telegramStep2")}
                {canOperate ? (
                  <form onSubmit={submit} className="mt-2 flex flex-col gap-2 sm:flex-row sm:items-start" noValidate>
                    <div className="sm:w-64">
                      <FormField label={t("chatId")} hint={t("chatIdHint")} error={form.formState.errors.chat_id?.message}>
                        <Input inputMode="text" autoComplete="off" placeholder="123456789" {...form.register("chat_id")} />
                      </FormField>
                    </div>
                    <Button type="submit" className="sm:mt-5" disabled={setRecipient.isPending}>
                      {current?.chat_id ? t("telegramSetAgain") : t("telegramSet")}
                    </Button>
                  </form>
                ) : (
                  <p className="mt-1 text-muted-foreground">{t("telegramViewer")}</p>
                )}
              </li>
              <li>
                {t("telegramStep3")}
                {pendingCode ? (
                  <div className="mt-2 grid gap-2 rounded-md border border-primary/40 bg-primary/5 p-3">
                    <div className="flex flex-wrap items-center gap-2">
                      <code className="rounded bg-muted px-2 py-1 font-mono text-base tracking-wider">/start {pendingCode}</code>
                      <Button size="sm" variant="outline" onClick={() => void copy(`/start ${pendingCode}`)}>
                        <Copy aria-hidden="true" />
                        {copied ? t("copied") : t("copy")}
                      </Button>
                    </div>
                    {nextStep ? <p className="text-muted-foreground">{nextStep}</p> : null}
                    <p className="text-xs text-muted-foreground">{t("telegramWaiting")}</p>
                  </div>
                ) : nextStep ? (
                  <p className="mt-1 text-muted-foreground">{nextStep}</p>
                ) : null}
              </li>
            </ol>
          </>
        )}
      </CardContent>
    </Card>
  );
}
