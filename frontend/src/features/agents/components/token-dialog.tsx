import { CheckCircle2, KeyRound, TimerOff } from "lucide-react";
import { useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog, DialogContent, DialogFooter } from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { formatCountdown } from "../api/activation";
import type { IssuedToken } from "../api/mutations";
import { DEFAULT_SOURCE, isLocalOnly, SNIPPETS, type SnippetKind } from "../api/snippets";
import { useNow } from "../hooks/use-now";
import { t } from "../messages";

const KINDS: readonly SnippetKind[] = ["systemd", "docker", "pip"];

/**
 * The one time a token is shown: copy it, start the agent before its activation window closes
 * (a live countdown), or learn that it closed and how to get another. `connected` turns true
 * once the agent reported (the page watches the live status). The token lives only in this
 * dialog's props: closing it drops the last reference.
 */
export function TokenDialog({
  issued,
  regenerated = false,
  connected = false,
  origin = window.location.origin,
  onClose,
  onRegenerate,
}: {
  issued: IssuedToken;
  regenerated?: boolean;
  connected?: boolean;
  origin?: string;
  onClose: () => void;
  onRegenerate?: (() => void) | undefined;
}) {
  const tokenRef = useRef<HTMLInputElement>(null);
  const { agent, token, deadline } = issued;
  const now = useNow(1000, deadline !== null && !connected);
  const left = deadline === null ? null : deadline - now;
  const closed = left !== null && left <= 0 && !connected;
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent
        className="max-w-2xl"
        title={t(regenerated ? "tokenRegeneratedTitle" : "tokenCreatedTitle", { name: agent.name })}
        description={t("tokenOnce")}
        closeLabel={t("close")}
        // The token must not vanish by a stray click beside the dialog.
        onInteractOutside={(event) => event.preventDefault()}
      >
        <div className="grid gap-2">
          <FormField label={t("token")}>
            <Input
              ref={tokenRef}
              readOnly
              value={token}
              spellCheck={false}
              autoComplete="off"
              className="font-mono text-xs"
              onFocus={(event) => event.currentTarget.select()}
            />
          </FormField>
          <CopyButton
            value={token}
            fallbackRef={tokenRef}
            label={t("copyToken")}
            copiedLabel={t("copied")}
            selectedLabel={t("selected")}
            variant="default"
            className="justify-self-start"
          />
        </div>
        <ActivationState connected={connected} closed={closed} left={left} onRegenerate={onRegenerate} />
        <Snippets token={token} origin={origin} />
        <DialogFooter>
          <Button onClick={onClose}>{t("done")}</Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

function ActivationState({
  connected,
  closed,
  left,
  onRegenerate,
}: {
  connected: boolean;
  closed: boolean;
  left: number | null;
  onRegenerate?: (() => void) | undefined;
}) {
  if (connected) {
    return (
      <p role="status" className="flex items-center gap-2 rounded-md border border-ok/40 bg-ok/10 p-3 text-sm">
        <CheckCircle2 className="size-4 shrink-0 text-ok" aria-hidden="true" />
        {t("connected")}
      </p>
    );
  }
  if (closed) {
    return (
      <div role="alert" className="grid gap-2 rounded-md border border-crit/40 bg-crit/10 p-3 text-sm">
        <p className="flex items-center gap-2 font-medium">
          <TimerOff className="size-4 shrink-0 text-crit" aria-hidden="true" />
          {t("windowClosed")}
        </p>
        <p className="text-muted-foreground">{t("windowClosedHint")}</p>
        {onRegenerate ? (
          <Button variant="outline" size="sm" className="justify-self-start" onClick={onRegenerate}>
            <KeyRound aria-hidden="true" />
            {t("regenerate")}
          </Button>
        ) : null}
      </div>
    );
  }
  if (left === null) return null;
  return (
    <div className="grid gap-1 rounded-md border border-warn/50 bg-warn/10 p-3 text-sm">
      <p className="font-medium">
        {/* role=timer: announced on request, not every second */}
        <span role="timer" aria-atomic="true">
          {t("countdown", { left: formatCountdown(left) })}
        </span>
      </p>
      <p className="text-muted-foreground">{t("countdownHint")}</p>
    </div>
  );
}

function Snippets({ token, origin }: { token: string; origin: string }) {
  const [source, setSource] = useState(DEFAULT_SOURCE);
  const headingId = useId();
  return (
    <section className="grid gap-3" aria-labelledby={headingId}>
      <div>
        <h3 id={headingId} className="font-semibold">
          {t("install")}
        </h3>
        <p className="text-sm text-muted-foreground">{t("installHint")}</p>
      </div>
      {isLocalOnly(origin) ? (
        <p className="rounded-md bg-muted p-2 text-xs">{t("localOnly", { origin })}</p>
      ) : null}
      <FormField label={t("source")} hint={t("sourceHint")}>
        <Input value={source} onChange={(event) => setSource(event.target.value)} spellCheck={false} className="font-mono text-xs" />
      </FormField>
      <Tabs defaultValue="systemd">
        <TabsList aria-label={t("install")}>
          {KINDS.map((kind) => (
            <TabsTrigger key={kind} value={kind}>
              {t(kind)}
            </TabsTrigger>
          ))}
        </TabsList>
        {KINDS.map((kind) => (
          <TabsContent key={kind} value={kind}>
            <Snippet kind={kind} text={SNIPPETS[kind]({ origin, token, source: source.trim() || DEFAULT_SOURCE })} />
          </TabsContent>
        ))}
      </Tabs>
    </section>
  );
}

function Snippet({ kind, text }: { kind: SnippetKind; text: string }) {
  const ref = useRef<HTMLPreElement>(null);
  return (
    <div className="grid gap-2">
      <pre
        ref={ref}
        tabIndex={0}
        aria-label={t("snippetLabel", { kind: t(kind) })}
        className="max-h-72 overflow-auto rounded-md border bg-muted p-3 font-mono text-xs leading-relaxed whitespace-pre"
      >
        {text}
      </pre>
      <CopyButton
        value={text}
        fallbackRef={ref}
        label={t("copySnippet")}
        copiedLabel={t("copied")}
        selectedLabel={t("selected")}
        className="justify-self-start"
      />
    </div>
  );
}
