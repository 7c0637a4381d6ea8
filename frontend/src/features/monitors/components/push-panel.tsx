import { useQuery } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { ErrorMessage } from "@/components/errors/error-message";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { formatDateTime, formatRelative } from "@/lib/i18n/format";
import { pushRunsQuery } from "../api/queries";
import type { Monitor, PushRun } from "../api/types";
import { useNow } from "../hooks/use-now";
import { cronSchedule, PUSH_SNIPPETS, type PushSnippetKind, pushUrl } from "../model/snippets";
import { formatDuration, formatMs } from "../model/uptime";
import { t } from "../messages";

const KINDS: readonly PushSnippetKind[] = ["crontab", "wrapper", "powershell", "curl"];
const DEFAULT_COMMAND = "/usr/local/bin/backup.sh";

function numberOf(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** "every 1 h, 5 min grace" or "0 3 * * * (Europe/Paris), 5 min grace". */
function expectation(config: Record<string, unknown>): string {
  const grace = formatDuration(numberOf(config.grace_seconds) ?? 0);
  if (typeof config.cron === "string" && config.cron !== "") {
    return t("expectCron", { cron: config.cron, zone: typeof config.timezone === "string" ? config.timezone : "UTC", grace });
  }
  return t("expectPeriod", { period: formatDuration(numberOf(config.period_seconds)), grace });
}

/** A push monitor's URL with copy-paste snippets, what it expects, and its latest runs. */
export function PushPanel({ monitor, origin = window.location.origin }: { monitor: Monitor; origin?: string }) {
  const now = useNow();
  return (
    <Card className="min-w-0" data-push-panel="">
      <CardHeader>
        <CardTitle>{t("pushTitle")}</CardTitle>
        <CardDescription>{expectation(monitor.config)}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4 [&>*]:min-w-0">
        <dl className="grid gap-3 text-sm sm:grid-cols-2">
          <div>
            <dt className="text-xs text-muted-foreground">{t("lastPing")}</dt>
            <dd>{monitor.last_ping_at ? <time dateTime={monitor.last_ping_at}>{formatRelative(monitor.last_ping_at, now)}</time> : t("neverPinged")}</dd>
          </div>
          <div>
            <dt className="text-xs text-muted-foreground">{t("nextDeadline")}</dt>
            <dd>{monitor.push_deadline ? <time dateTime={monitor.push_deadline}>{`${formatDateTime(monitor.push_deadline)} (${formatRelative(monitor.push_deadline, now)})`}</time> : "—"}</dd>
          </div>
        </dl>
        {monitor.push_path ? <PushSnippets url={pushUrl(origin, monitor.push_path)} config={monitor.config} /> : <p className="rounded-md bg-muted p-3 text-sm">{t("pushUrlHidden")}</p>}
        <PushRuns monitorId={monitor.id} />
      </CardContent>
    </Card>
  );
}

function PushSnippets({ url, config }: { url: string; config: Record<string, unknown> }) {
  const urlRef = useRef<HTMLInputElement>(null);
  const [command, setCommand] = useState(DEFAULT_COMMAND);
  const { schedule, exact } = cronSchedule({ cron: typeof config.cron === "string" ? config.cron : null, period_seconds: numberOf(config.period_seconds) });
  const input = { url, schedule, command: command.trim() || DEFAULT_COMMAND };
  return (
    <div className="grid gap-3 [&>*]:min-w-0">
      <div className="grid gap-2">
        <FormField label={t("pushUrl")} hint={t("pushUrlHint")}>
          <Input ref={urlRef} readOnly value={url} spellCheck={false} className="font-mono text-xs" onFocus={(event) => event.currentTarget.select()} />
        </FormField>
        <CopyButton value={url} fallbackRef={urlRef} label={t("copyUrl")} copiedLabel={t("copied")} selectedLabel={t("selectedForCopy")} variant="default" className="justify-self-start" />
      </div>
      <FormField label={t("jobCommand")} hint={exact ? t("jobCommandHint") : t("scheduleApprox", { schedule })}>
        <Input value={command} onChange={(event) => setCommand(event.target.value)} spellCheck={false} className="font-mono text-xs" />
      </FormField>
      <Tabs defaultValue="crontab">
        <TabsList aria-label={t("snippets")}>
          {KINDS.map((kind) => (
            <TabsTrigger key={kind} value={kind}>
              {t(`snippet_${kind}`)}
            </TabsTrigger>
          ))}
        </TabsList>
        {KINDS.map((kind) => (
          <TabsContent key={kind} value={kind}>
            <Snippet kind={kind} text={PUSH_SNIPPETS[kind](input)} />
          </TabsContent>
        ))}
      </Tabs>
    </div>
  );
}

function Snippet({ kind, text }: { kind: PushSnippetKind; text: string }) {
  const ref = useRef<HTMLPreElement>(null);
  return (
    <div className="grid gap-2 [&>*]:min-w-0">
      <pre ref={ref} tabIndex={0} aria-label={t("snippetLabel", { kind: t(`snippet_${kind}`) })} className="max-h-72 overflow-auto rounded-md border bg-muted p-3 font-mono text-xs leading-relaxed whitespace-pre">
        {text}
      </pre>
      <CopyButton value={text} fallbackRef={ref} label={t("copySnippet")} copiedLabel={t("copied")} selectedLabel={t("selectedForCopy")} className="justify-self-start" />
    </div>
  );
}

function runOutcome(run: PushRun): string {
  if (run.kind === "start") return t("runStarted");
  if (run.exit_status != null) return run.exit_status === 0 ? t("runSucceeded") : t("runExit", { status: run.exit_status });
  return run.kind === "fail" || run.kind === "down" ? t("runFailed") : t("runSucceeded");
}

function PushRuns({ monitorId }: { monitorId: number }) {
  const runs = useQuery(pushRunsQuery(monitorId));
  const headingId = useId();
  return (
    <section className="grid gap-2 [&>*]:min-w-0" aria-labelledby={headingId}>
      <h3 id={headingId} className="font-semibold">
        {t("recentRuns")}
      </h3>
      {runs.isPending ? (
        <Skeleton className="h-16" />
      ) : runs.isError ? (
        <ErrorMessage error={runs.error} onRetry={() => void runs.refetch()} />
      ) : runs.data.length === 0 ? (
        <p className="text-sm text-muted-foreground">{t("noRuns")}</p>
      ) : (
        <ul className="grid gap-2" data-push-runs={runs.data.length}>
          {runs.data.map((run) => (
            <li key={`${run.received_at}-${run.kind}`} className="min-w-0 rounded-md border p-2 text-sm">
              <p className="flex flex-wrap items-center gap-x-3 gap-y-1">
                <span className="font-medium">{runOutcome(run)}</span>
                <time dateTime={run.received_at} className="text-muted-foreground">
                  {formatDateTime(run.received_at)}
                </time>
                {run.duration_ms != null ? <span className="text-muted-foreground">{t("runDuration", { duration: formatMs(run.duration_ms) })}</span> : null}
                {run.message ? <span className="break-words">{run.message}</span> : null}
              </p>
              {run.body ? (
                <details className="mt-1">
                  <summary className="cursor-pointer text-xs text-muted-foreground">{t("runLog", { size: run.body.length })}</summary>
                  <pre className="mt-1 max-h-60 overflow-auto rounded bg-muted p-2 font-mono text-xs break-all whitespace-pre-wrap">{run.body}</pre>
                </details>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
