// The forms' rules, mirroring the server's (core/schemas/alerting.py), and the requests they
// build, typed by the generated API types.
import { z } from "zod";
import { t } from "../messages";
import { isKnownMetric, isPercentMetric, LABEL_NAME_RE } from "../utils/metrics";
import { browserTimeZone, localInputToIso } from "../utils/silence-time";
import { CONDITIONS, SEVERITIES, type Rule, type RuleCreate, type RuleUpdate, type SilenceCreate } from "./types";

export const keyValueSchema = z.object({ key: z.string(), value: z.string() });
export type KeyValue = z.infer<typeof keyValueSchema>;

export const toPairs = (record: Record<string, string>): KeyValue[] => Object.entries(record).map(([key, value]) => ({ key, value }));
export const fromPairs = (pairs: readonly KeyValue[]): Record<string, string> =>
  Object.fromEntries(pairs.filter((pair) => pair.key.trim() !== "").map((pair) => [pair.key.trim(), pair.value]));

/** A number typed in a text box: "" when optional, else finite, an integer when asked, in range. */
function numberProblem(text: string, { required = true, integer = false, min, max }: { required?: boolean; integer?: boolean; min?: number; max?: number }): string | null {
  const trimmed = text.trim();
  if (trimmed === "") return required ? t("required") : null;
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return t("notANumber");
  if (integer && !Number.isInteger(value)) return t("wholeNumber");
  if (min !== undefined && value < min) return t("atLeast", { min });
  if (max !== undefined && value > max) return t("atMost", { max });
  return null;
}

function checkLabels(pairs: readonly KeyValue[], path: string, ctx: z.RefinementCtx, keyPattern: RegExp | null, max: number) {
  const named = pairs.filter((pair) => pair.key.trim() !== "" || pair.value !== "");
  if (named.length > max) ctx.addIssue({ code: "custom", path: [path], message: t("tooManyLabels", { max }) });
  const seen = new Set<string>();
  named.forEach((pair, index) => {
    const key = pair.key.trim();
    if (key === "") ctx.addIssue({ code: "custom", path: [path, index, "key"], message: t("labelKeyRequired") });
    else if (keyPattern && !keyPattern.test(key)) ctx.addIssue({ code: "custom", path: [path, index, "key"], message: t("labelKeyPattern") });
    else if (seen.has(key)) ctx.addIssue({ code: "custom", path: [path, index, "key"], message: t("labelKeyTwice") });
    seen.add(key);
    if (pair.value.length > 256) ctx.addIssue({ code: "custom", path: [path, index, "value"], message: t("atMostChars", { max: 256 }) });
  });
}

// --- rules ----------------------------------------------------------------------------------

export const CUSTOM_METRIC = "__custom";

export const ruleFormSchema = z
  .object({
    agent_id: z.string(), // "" = every host (optionally those carrying `labels`)
    metric_choice: z.string(),
    metric_custom: z.string(),
    condition: z.enum(CONDITIONS),
    threshold: z.string(),
    severity: z.enum(SEVERITIES),
    for_seconds: z.string(),
    renotify_seconds: z.string(),
    hysteresis: z.string(),
    enabled: z.boolean(),
    labels: z.array(keyValueSchema),
    match: z.array(keyValueSchema),
    channel_ids: z.array(z.number().int().positive()).max(50, t("atMostChannels", { max: 50 })),
  })
  .superRefine((value, ctx) => {
    const metric = ruleMetric(value);
    if (metric === "") ctx.addIssue({ code: "custom", path: ["metric_custom"], message: t("required") });
    else if (metric.length > 200 || !isKnownMetric(metric)) {
      ctx.addIssue({ code: "custom", path: ["metric_custom"], message: t("unknownMetric", { metric }) });
    }
    const percent = isPercentMetric(metric);
    const threshold = numberProblem(value.threshold, percent ? { min: 0, max: 100 } : {});
    if (threshold) ctx.addIssue({ code: "custom", path: ["threshold"], message: percent && threshold !== t("required") && threshold !== t("notANumber") ? t("percentRange") : threshold });
    const forSeconds = numberProblem(value.for_seconds, { integer: true, min: 0, max: 86_400 });
    if (forSeconds) ctx.addIssue({ code: "custom", path: ["for_seconds"], message: forSeconds });
    const renotify = numberProblem(value.renotify_seconds, { integer: true, min: 60, max: 7 * 86_400 });
    if (renotify) ctx.addIssue({ code: "custom", path: ["renotify_seconds"], message: renotify });
    const hysteresis = numberProblem(value.hysteresis, { min: 0 });
    if (hysteresis) ctx.addIssue({ code: "custom", path: ["hysteresis"], message: hysteresis });
    checkLabels(value.labels, "labels", ctx, LABEL_NAME_RE, 16);
    checkLabels(value.match, "match", ctx, LABEL_NAME_RE, 16);
  });
export type RuleFormValues = z.infer<typeof ruleFormSchema>;

export function ruleMetric(values: Pick<RuleFormValues, "metric_choice" | "metric_custom">): string {
  return values.metric_choice === CUSTOM_METRIC ? values.metric_custom.trim() : values.metric_choice;
}

export function ruleFormDefaults(rule: Rule | undefined, knownMetrics: readonly string[], agentId?: number): RuleFormValues {
  const metric = rule?.metric_type ?? "cpu";
  const known = knownMetrics.includes(metric);
  return {
    agent_id: rule ? (rule.agent_id == null ? "" : String(rule.agent_id)) : agentId == null ? "" : String(agentId),
    metric_choice: known ? metric : CUSTOM_METRIC,
    metric_custom: known ? "" : metric,
    condition: rule?.condition ?? "gt",
    threshold: rule ? String(rule.threshold) : "90",
    severity: rule?.severity ?? "warning",
    for_seconds: String(rule?.for_seconds ?? 0),
    renotify_seconds: String(rule?.renotify_seconds ?? 300),
    hysteresis: String(rule?.hysteresis ?? 0),
    enabled: rule?.enabled ?? true,
    labels: toPairs(rule?.labels ?? {}),
    match: toPairs(rule?.match ?? {}),
    channel_ids: rule?.channel_ids ?? [],
  };
}

export function toRuleCreate(values: RuleFormValues): RuleCreate {
  const agentId = values.agent_id === "" ? null : Number(values.agent_id);
  return { ...toRuleUpdate(values), agent_id: agentId, target_type: "agent", monitor_id: null };
}

/** PATCH body: everything the form edits (the host of a rule is fixed once created; this form
 * makes host rules, the monitors' pages make monitor rules). */
export function toRuleUpdate(
  values: RuleFormValues,
): Required<Omit<RuleCreate, "agent_id" | "target_type" | "monitor_id">> & RuleUpdate {
  return {
    metric_type: ruleMetric(values),
    condition: values.condition,
    threshold: Number(values.threshold),
    severity: values.severity,
    for_seconds: Number(values.for_seconds),
    renotify_seconds: Number(values.renotify_seconds),
    hysteresis: Number(values.hysteresis),
    enabled: values.enabled,
    // Labels choose hosts for a rule on every host; a rule on one host has none.
    labels: values.agent_id === "" ? fromPairs(values.labels) : {},
    match: fromPairs(values.match),
    channel_ids: values.channel_ids,
  };
}

// --- acknowledge ----------------------------------------------------------------------------

export const ackSchema = z.object({ comment: z.string().trim().max(500, t("atMostChars", { max: 500 })) });
export type AckValues = z.infer<typeof ackSchema>;

// --- silences -------------------------------------------------------------------------------

export const SILENCE_KINDS = ["period", "weekly"] as const;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export const silenceFormSchema = z
  .object({
    kind: z.enum(SILENCE_KINDS),
    agent_id: z.string(),
    rule_id: z.string(),
    labels: z.array(keyValueSchema),
    starts_at: z.string(), // datetime-local, the browser's zone; "" = now
    ends_at: z.string(),
    weekdays: z.array(z.number().int().min(0).max(6)),
    window_start: z.string(),
    window_end: z.string(),
    comment: z.string().max(500, t("atMostChars", { max: 500 })),
  })
  .superRefine((value, ctx) => {
    checkLabels(value.labels, "labels", ctx, null, 16);
    if (value.kind === "period") {
      const starts = value.starts_at === "" ? null : localInputToIso(value.starts_at);
      const ends = localInputToIso(value.ends_at);
      if (value.starts_at !== "" && starts === null) ctx.addIssue({ code: "custom", path: ["starts_at"], message: t("invalidDate") });
      if (value.ends_at === "") ctx.addIssue({ code: "custom", path: ["ends_at"], message: t("required") });
      else if (ends === null) ctx.addIssue({ code: "custom", path: ["ends_at"], message: t("invalidDate") });
      else if (starts !== null && ends <= starts) ctx.addIssue({ code: "custom", path: ["ends_at"], message: t("endsAfterStarts") });
      else if (new Date(ends).getTime() <= Date.now()) ctx.addIssue({ code: "custom", path: ["ends_at"], message: t("endsInPast") });
      return;
    }
    if (value.weekdays.length === 0) ctx.addIssue({ code: "custom", path: ["weekdays"], message: t("pickWeekday") });
    if (!HHMM.test(value.window_start)) ctx.addIssue({ code: "custom", path: ["window_start"], message: t("timeFormat") });
    if (!HHMM.test(value.window_end)) ctx.addIssue({ code: "custom", path: ["window_end"], message: t("timeFormat") });
    else if (value.window_start === value.window_end) ctx.addIssue({ code: "custom", path: ["window_end"], message: t("emptyWindow") });
  });
export type SilenceFormValues = z.infer<typeof silenceFormSchema>;

export function silenceFormDefaults(kind: SilenceFormValues["kind"], prefill: { agentId?: number | null; ruleId?: number | null } = {}): SilenceFormValues {
  return {
    kind,
    agent_id: prefill.agentId == null ? "" : String(prefill.agentId),
    rule_id: prefill.ruleId == null ? "" : String(prefill.ruleId),
    labels: [],
    starts_at: "",
    ends_at: "",
    weekdays: kind === "weekly" ? [6] : [],
    window_start: "02:00",
    window_end: "04:00",
    comment: "",
  };
}

/** The request: instants in UTC for a period; for a window, its times in the browser's zone. */
export function toSilenceCreate(values: SilenceFormValues, zone = browserTimeZone()): SilenceCreate {
  const common = {
    agent_id: values.agent_id === "" ? null : Number(values.agent_id),
    rule_id: values.rule_id === "" ? null : Number(values.rule_id),
    labels: fromPairs(values.labels),
    comment: values.comment.trim(),
    timezone: zone,
  };
  if (values.kind === "period") {
    return {
      ...common,
      starts_at: values.starts_at === "" ? null : localInputToIso(values.starts_at),
      ends_at: localInputToIso(values.ends_at),
    };
  }
  return {
    ...common,
    weekdays: [...values.weekdays].sort((a, b) => a - b),
    window_start: values.window_start,
    window_end: values.window_end,
  };
}
