import { useQuery } from "@tanstack/react-query";
import { History, Pencil, Plus, Send, Trash2, Webhook } from "lucide-react";
import { useState } from "react";
import { ErrorMessage, InlineError } from "@/components/errors/error-message";
import { EmptyState } from "@/components/layout/page";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import { Skeleton } from "@/components/ui/skeleton";
import { meQuery, useCan } from "@/lib/api/me";
import { channelsQuery, channelTypesQuery } from "../api/queries";
import { useDeleteChannel, useSaveChannel, useTestChannel } from "../api/mutations";
import type { Channel, ChannelType } from "../api/types";
import { t } from "../messages";
import { ChannelForm } from "./channel-form";
import { DeliveryLog } from "./delivery-log";
import { TelegramRecipient } from "./telegram-recipient";

export function ChannelsTab() {
  const channels = useQuery(channelsQuery());
  const types = useQuery(channelTypesQuery());
  const canOperate = useCan("operate");
  const save = useSaveChannel();
  const [editing, setEditing] = useState<Channel | "new" | null>(null);
  const typeList = types.data ?? [];

  return (
    <div className="grid gap-6">
      <section aria-labelledby="channels-heading" className="grid gap-4">
        <div className="flex flex-wrap items-end justify-between gap-2">
          <div>
            <h2 id="channels-heading" className="text-lg font-semibold">
              {t("tabChannels")}
            </h2>
            <p className="text-sm text-muted-foreground">{t("channelsHint")}</p>
          </div>
          {canOperate ? (
            <Button onClick={() => setEditing("new")} disabled={typeList.length === 0}>
              <Plus aria-hidden="true" />
              {t("newChannel")}
            </Button>
          ) : null}
        </div>
        {channels.isPending || types.isPending ? (
          <div className="grid gap-2">
            {Array.from({ length: 2 }, (_, index) => (
              <Skeleton key={index} className="h-24" />
            ))}
          </div>
        ) : channels.isError || types.isError ? (
          <ErrorMessage error={channels.error ?? types.error} onRetry={() => void Promise.all([channels.refetch(), types.refetch()])} />
        ) : channels.data.length === 0 ? (
          <EmptyState
            icon={<Webhook />}
            title={t("noChannels")}
            description={canOperate ? t("noChannelsHint") : t("noChannelsViewerHint")}
            action={canOperate ? <Button onClick={() => setEditing("new")}>{t("newChannel")}</Button> : undefined}
          />
        ) : (
          <ul className="grid gap-2" aria-label={t("channelList")}>
            {channels.data.map((channel) => (
              <ChannelRow key={channel.id} channel={channel} type={typeList.find((type) => type.type === channel.type)} onEdit={() => setEditing(channel)} />
            ))}
          </ul>
        )}
      </section>
      <TelegramRecipient />
      {editing !== null ? (
        <Dialog open onOpenChange={(open) => !open && setEditing(null)}>
          <DialogContent
            className="max-w-xl"
            title={editing === "new" ? t("newChannel") : t("editChannel", { name: editing.name })}
            description={editing === "new" ? t("newChannelHint") : t("editChannelHint")}
            closeLabel={t("close")}
          >
            <ChannelForm
              types={typeList}
              channel={editing === "new" ? undefined : editing}
              pending={save.isPending}
              onSubmit={(request) => save.mutateAsync(request).then(() => setEditing(null))}
              onCancel={() => setEditing(null)}
            />
          </DialogContent>
        </Dialog>
      ) : null}
    </div>
  );
}

function ChannelRow({ channel, type, onEdit }: { channel: Channel; type: ChannelType | undefined; onEdit: () => void }) {
  const canOperate = useCan("operate");
  const { data: me } = useQuery(meQuery());
  const test = useTestChannel();
  const remove = useDeleteChannel();
  const [logOpen, setLogOpen] = useState(false);
  // A personal Telegram channel is its owner's (or an admin's) to change.
  const mayChange = canOperate && (channel.user_id == null || channel.user_id === me?.id || me?.role === "admin");
  const settings = Object.entries(channel.config).filter(([, value]) => value !== null && value !== "" && !(typeof value === "object" && Object.keys(value).length === 0));

  return (
    <li>
      <Card className="grid gap-3 p-3" data-channel-id={channel.id}>
        <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
          <div className="grid min-w-0 gap-1.5">
            <div className="flex flex-wrap items-center gap-2">
              <h3 className="font-medium break-all">{channel.name}</h3>
              <Badge tone="info">{type?.label ?? channel.type}</Badge>
              {channel.enabled ? <Badge tone="ok">{t("enabled")}</Badge> : <Badge>{t("disabled")}</Badge>}
              {channel.daily_summary ? <Badge>{t("dailySummaryBadge")}</Badge> : null}
              {channel.user_id != null ? <Badge>{channel.user_id === me?.id ? t("personalMine") : t("personal")}</Badge> : null}
            </div>
            {settings.length > 0 ? (
              <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-0.5 text-sm">
                {settings.map(([key, value]) => (
                  <div key={key} className="contents">
                    <dt className="text-muted-foreground">{key}</dt>
                    <dd className="truncate font-mono text-xs leading-5" title={display(value)}>
                      {display(value)}
                    </dd>
                  </div>
                ))}
              </dl>
            ) : null}
            {channel.secrets_set.length > 0 ? <p className="text-xs text-muted-foreground">{t("secretsSet", { names: channel.secrets_set.join(", ") })}</p> : null}
            {channel.secrets_unreadable ? (
              <p role="alert" className="text-xs text-destructive">
                {t("secretsUnreadable")}
              </p>
            ) : null}
          </div>
          <div className="flex shrink-0 flex-wrap gap-2">
            {canOperate ? (
              <Button size="sm" onClick={() => test.mutate(channel.id)} disabled={test.isPending} aria-label={t("sendTestNamed", { name: channel.name })}>
                <Send aria-hidden="true" />
                {test.isPending ? t("sending") : t("sendTest")}
              </Button>
            ) : null}
            <Button size="sm" variant="outline" onClick={() => setLogOpen(true)} aria-label={t("deliveryLogNamed", { name: channel.name })}>
              <History aria-hidden="true" />
              {t("deliveryLog")}
            </Button>
            {mayChange ? (
              <>
                <Button size="sm" variant="outline" onClick={onEdit} aria-label={t("editChannelNamed", { name: channel.name })} disabled={!type}>
                  <Pencil aria-hidden="true" />
                  {t("edit")}
                </Button>
                <ConfirmDialog
                  trigger={
                    <Button size="sm" variant="outline" aria-label={t("deleteChannelNamed", { name: channel.name })}>
                      <Trash2 aria-hidden="true" />
                      {t("delete")}
                    </Button>
                  }
                  title={t("deleteChannelTitle", { name: channel.name })}
                  description={t("deleteChannelHint")}
                  confirmLabel={t("delete")}
                  cancelLabel={t("cancel")}
                  pending={remove.isPending}
                  onConfirm={() => remove.mutate(channel.id)}
                />
              </>
            ) : null}
          </div>
        </div>
        {test.data ? (
          test.data.ok ? (
            <p role="status" className="rounded-md bg-ok/15 p-2 text-sm">
              {t("testSent")}
            </p>
          ) : (
            <p role="alert" className="rounded-md border border-destructive/40 bg-destructive/5 p-2 text-sm break-words">
              {t("testFailed", { error: test.data.error ?? "" })}
            </p>
          )
        ) : null}
        <InlineError error={test.error ?? remove.error} />
      </Card>
      {logOpen ? (
        <Dialog open onOpenChange={setLogOpen}>
          <DialogContent className="max-w-2xl" title={t("deliveryLogTitle", { name: channel.name })} description={t("deliveryLogHint")} closeLabel={t("close")}>
            <DeliveryLog channelId={channel.id} />
          </DialogContent>
        </Dialog>
      ) : null}
    </li>
  );
}

function display(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(", ");
  if (value && typeof value === "object") return Object.entries(value).map(([k, v]) => `${k}: ${String(v)}`).join(", ");
  return String(value);
}
