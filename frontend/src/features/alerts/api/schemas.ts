// The forms' rules, mirroring the server's (core/schemas/alerting.py), and the requests they
// build, typed by the generated API types.
import { z } from "zod";
import { t } from "../messages";
import {
  isKnownMetric,
  isPercentMetric,
  isStateMetric,
  LABEL_NAME_RE,
  MONITOR_CHOICES,
  MONITOR_METRIC_NAMES,
  type MonitorChoice,
  monitorMetric,
} from "../utils/metrics";
import { browserTimeZone, localInputToIso } from "../utils/silence-time";
import { CONDITIONS, SEVERITIES, TARGET_TYPES, type Rule, type RuleCreate, type RuleUpdate, type SilenceCreate } from "./types";

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
    target_type: z.enum(TARGET_TYPES),
    agent_id: z.string(), // "" = every host (optionally those carrying `labels`)
    monitor_id: z.string(), // "" = every monitor (optionally those carrying `labels`)
    metric_choice: z.string(), // a host metric, or CUSTOM_METRIC
    monitor_choice: z.string(), // one of MONITOR_CHOICES' metrics, or CUSTOM_METRIC
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
    const metricProblem = ruleMetricProblem(value);
    if (metricProblem) ctx.addIssue({ code: "custom", path: ["metric_custom"], message: metricProblem });
    const metric = ruleMetric(value);
    if (!monitorChoice(value)?.fixed) {
      const percent = isPercentMetric(metric);
      const threshold = numberProblem(value.threshold, percent ? { min: 0, max: 100 } : {});
      if (threshold) ctx.addIssue({ code: "custom", path: ["threshold"], message: percent && threshold !== t("required") && threshold !== t("notANumber") ? t("percentRange") : threshold });
    }
    const forSeconds = numberProblem(value.for_seconds, { integer: true, min: 0, max: 86_400 });
    if (forSeconds) ctx.addIssue({ code: "custom", path: ["for_seconds"], message: forSeconds });
    const renotify = numberProblem(value.renotify_seconds, { integer: true, min: 60, max: 7 * 86_400 });
    if (renotify) ctx.addIssue({ code: "custom", path: ["renotify_seconds"], message: renotify });
    const hysteresis = numberProblem(value.hysteresis, { min: 0 });
    if (hysteresis) ctx.addIssue({ code: "custom", path: ["hysteresis"], message: hysteresis });
    // Labels choose targets when the rule names none; a monitor has no per-item metrics.
    if (everyTarget(value)) checkLabels(value.labels, "labels", ctx, LABEL_NAME_RE, 16);
    if (value.target_type === "agent") checkLabels(value.match, "match", ctx, LABEL_NAME_RE, 16);
  });
export type RuleFormValues = z.infer<typeof ruleFormSchema>;

type MetricFields = Pick<RuleFormValues, "target_type" | "metric_choice" | "monitor_choice" | "metric_custom">;

/** Whether the rule watches every host (monitor) rather than one. */
export function everyTarget(values: Pick<RuleFormValues, "target_type" | "agent_id" | "monitor_id">): boolean {
  return (values.target_type === "monitor" ? values.monitor_id : values.agent_id) === "";
}

/** The monitor rule chosen from the short list (null for a host rule or another metric). */
export function monitorChoice(values: Pick<RuleFormValues, "target_type" | "monitor_choice">): MonitorChoice | null {
  if (values.target_type !== "monitor") return null;
  return MONITOR_CHOICES.find((choice) => choice.metric === values.monitor_choice) ?? null;
}

/** The metric the rule watches, as the request names it. */
export function ruleMetric(values: MetricFields): string {
  if (values.target_type === "monitor") {
    if (values.monitor_choice !== CUSTOM_METRIC) return values.monitor_choice;
    const typed = values.metric_custom.trim();
    return monitorMetric(typed) ?? typed;
  }
  return values.metric_choice === CUSTOM_METRIC ? values.metric_custom.trim() : values.metric_choice;
}

/** Why the server would refuse the typed metric for this kind of target, or null. */
function ruleMetricProblem(values: MetricFields): string | null {
  const metric = ruleMetric(values);
  if (metric === "") return t("required");
  if (values.target_type === "monitor") {
    return monitorMetric(metric) ? null : t("notAMonitorMetric", { metric, known: MONITOR_METRIC_NAMES.join(", ") });
  }
  if (metric.length > 200 || !isKnownMetric(metric)) return t("unknownMetric", { metric });
  return isStateMetric(metric) ? t("monitorOnlyMetric", { metric }) : null;
}

/** The threshold a metric choice starts with: monitor choices have their own (ms, days). */
export function defaultThreshold(values: Pick<RuleFormValues, "target_type" | "monitor_choice">): string {
  if (values.target_type === "agent") return "90";
  return String(monitorChoice(values)?.threshold ?? 1);
}

export function ruleFormDefaults(
  rule: Rule | undefined,
  knownMetrics: readonly string[],
  target: { agentId?: number | undefined; monitorId?: number | undefined } = {},
): RuleFormValues {
  const targetType = rule?.target_type ?? (target.monitorId === undefined ? "agent" : "monitor");
  const monitor = targetType === "monitor";
  const metric = rule?.metric_type ?? (monitor ? MONITOR_CHOICES[0].metric : "cpu");
  const hostKnown = !monitor && knownMetrics.includes(metric);
  // The short list's entry this rule is, if any (a state rule only when it reads "is down").
  const choice = monitor
    ? MONITOR_CHOICES.find((item) => item.metric === metric && (!rule || (item.condition === rule.condition && (!item.fixed || item.threshold === rule.threshold))))
    : undefined;
  const custom = monitor ? choice === undefined : !hostKnown;
  const idOf = (stored: number | null | undefined, given: number | undefined) => {
    const id = rule ? stored : given;
    return id == null ? "" : String(id);
  };
  return {
    target_type: targetType,
    agent_id: idOf(rule?.agent_id, target.agentId),
    monitor_id: idOf(rule?.monitor_id, target.monitorId),
    metric_choice: hostKnown ? metric : monitor ? "cpu" : CUSTOM_METRIC,
    monitor_choice: monitor ? (choice?.metric ?? CUSTOM_METRIC) : MONITOR_CHOICES[0].metric,
    metric_custom: custom ? metric : "",
    condition: rule?.condition ?? choice?.condition ?? "gt",
    threshold: rule ? String(rule.threshold) : defaultThreshold({ target_type: targetType, monitor_choice: MONITOR_CHOICES[0].metric }),
    severity: rule?.severity ?? (monitor ? "critical" : "warning"),
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
  const { target_type, ...rest } = toRuleUpdate(values);
  if (target_type === "monitor") return { ...rest, target_type, agent_id: null, monitor_id: values.monitor_id === "" ? null : Number(values.monitor_id) };
  return { ...rest, target_type: "agent", agent_id: values.agent_id === "" ? null : Number(values.agent_id), monitor_id: null };
}

/** PATCH body: everything the form edits. A host rule's host is fixed once created (the API
 * has no agent_id to PATCH); a monitor rule's monitor may change, and so may the target type
 * (the server then drops the other kind's target). */
export function toRuleUpdate(values: RuleFormValues): Required<Omit<RuleCreate, "agent_id" | "monitor_id">> & RuleUpdate {
  const choice = monitorChoice(values);
  const monitor = values.target_type === "monitor";
  return {
    target_type: values.target_type,
    ...(monitor ? { monitor_id: values.monitor_id === "" ? null : Number(values.monitor_id) } : {}),
    metric_type: ruleMetric(values),
    condition: choice ? choice.condition : values.condition,
    threshold: choice?.fixed ? choice.threshold : Number(values.threshold),
    severity: values.severity,
    for_seconds: Number(values.for_seconds),
    renotify_seconds: Number(values.renotify_seconds),
    hysteresis: Number(values.hysteresis),
    enabled: values.enabled,
    // Labels choose targets for a rule on every host (monitor); a rule on one has none.
    labels: everyTarget(values) ? fromPairs(values.labels) : {},
    match: monitor ? {} : fromPairs(values.match),
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
