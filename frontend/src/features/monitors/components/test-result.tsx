import { CheckCircle2, XCircle } from "lucide-react";
import type { CheckResult } from "../api/types";
import { formatMs } from "../model/uptime";
import { t } from "../messages";
import { detailsLine } from "./checks-table";
import { StatusBadge } from "./status";

/** What "test now" found: the status it would record, how fast, why it failed, and its facts. */
export function TestResult({ result }: { result: CheckResult }) {
  const passed = result.status === "up" || result.status === "degraded";
  const metrics = Object.entries(result.metrics);
  return (
    <section
      aria-label={t("testResult")}
      role="status"
      data-test-status={result.status}
      className={passed ? "grid gap-2 rounded-md border border-ok/40 bg-ok/10 p-3 text-sm" : "grid gap-2 rounded-md border border-crit/40 bg-crit/10 p-3 text-sm"}
    >
      <p className="flex flex-wrap items-center gap-2 font-medium">
        {passed ? <CheckCircle2 className="size-4 text-ok" aria-hidden="true" /> : <XCircle className="size-4 text-crit" aria-hidden="true" />}
        {passed ? t("testPassed") : t("testFailed")}
        <StatusBadge status={result.status} />
        <span className="font-normal text-muted-foreground">{t("testResponse", { value: formatMs(result.response_ms) })}</span>
      </p>
      {result.error ? <p className="break-words">{result.error}</p> : null}
      {Object.keys(result.details).length > 0 ? <p className="font-mono text-xs break-words text-muted-foreground">{detailsLine(result.details)}</p> : null}
      {metrics.length > 0 ? (
        <dl className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-muted-foreground">
          {metrics.map(([name, value]) => (
            <div key={name} className="flex gap-1">
              <dt>{name}</dt>
              <dd className="font-mono text-foreground">{Number.isInteger(value) ? value : value.toFixed(2)}</dd>
            </div>
          ))}
        </dl>
      ) : null}
    </section>
  );
}
