import { describe, expect, it } from "vitest";
import { COMMON_METRICS } from "../utils/metrics";
import { CUSTOM_METRIC, ruleFormDefaults, ruleFormSchema, type RuleFormValues, toRuleCreate, toRuleUpdate } from "./schemas";
import type { Rule } from "./types";

const defaults = ruleFormDefaults(undefined, COMMON_METRICS);
const problems = (values: Partial<RuleFormValues>) =>
  Object.fromEntries((ruleFormSchema.safeParse({ ...defaults, ...values }).error?.issues ?? []).map((issue) => [issue.path.join("."), issue.message]));

describe("rule form validation (as core/schemas/alerting.py)", () => {
  it("accepts the defaults: CPU above 90% on all hosts", () => {
    expect(problems({})).toEqual({});
  });

  it("keeps percentages between 0 and 100, other metrics unbounded", () => {
    expect(problems({ threshold: "101" })).toEqual({ threshold: "A percentage must be between 0 and 100." });
    expect(problems({ metric_choice: "memory", threshold: "-1" })).toEqual({ threshold: "A percentage must be between 0 and 100." });
    expect(problems({ metric_choice: "load", threshold: "250" })).toEqual({});
    expect(problems({ threshold: "" })).toEqual({ threshold: "Required." });
    expect(problems({ threshold: "ninety" })).toEqual({ threshold: "Enter a number." });
  });

  it("bounds the durations as the server does", () => {
    expect(problems({ for_seconds: "86401", renotify_seconds: "59" })).toEqual({ for_seconds: "At most 86400.", renotify_seconds: "At least 60." });
    expect(problems({ for_seconds: "1.5" })).toEqual({ for_seconds: "Enter a whole number." });
    expect(problems({ hysteresis: "-1" })).toEqual({ hysteresis: "At least 0." });
  });

  it("takes any metric name, refusing what the server would", () => {
    expect(problems({ metric_choice: CUSTOM_METRIC, metric_custom: "process_count", threshold: "500" })).toEqual({});
    expect(problems({ metric_choice: CUSTOM_METRIC, metric_custom: "9lives" })).toEqual({
      metric_custom: "Unknown metric “9lives”: use a name of letters, digits and _ (not starting with a digit).",
    });
    expect(problems({ metric_choice: CUSTOM_METRIC, metric_custom: " " })).toEqual({ metric_custom: "Required." });
    expect(problems({ metric_choice: CUSTOM_METRIC, metric_custom: "monitor_down" })).toEqual({
      metric_custom: "“monitor_down” is a monitor metric: choose Monitors under What it watches.",
    });
  });

  it("checks label names and counts", () => {
    expect(problems({ labels: [{ key: "env-name", value: "prod" }] })).toEqual({ "labels.0.key": "Letters, digits and _, not starting with a digit." });
    expect(problems({ match: [{ key: "mountpoint", value: "/" }, { key: "mountpoint", value: "/data" }] })).toEqual({ "match.1.key": "Each name only once." });
    const many = Array.from({ length: 17 }, (_, i) => ({ key: `k${i}`, value: "v" }));
    expect(problems({ labels: many })).toEqual({ labels: "At most 16 labels." });
  });
});

describe("the rule requests", () => {
  it("creates a rule on one host without host labels", () => {
    const values: RuleFormValues = { ...defaults, agent_id: "5", threshold: "0.5", labels: [{ key: "env", value: "prod" }], channel_ids: [2] };
    expect(toRuleCreate(values)).toEqual({
      agent_id: 5,
      target_type: "agent",
      monitor_id: null,
      metric_type: "cpu",
      condition: "gt",
      threshold: 0.5,
      severity: "warning",
      for_seconds: 0,
      renotify_seconds: 300,
      hysteresis: 0,
      enabled: true,
      labels: {},
      match: {},
      channel_ids: [2],
    });
  });

  it("round-trips a stored rule through the form", () => {
    const rule: Rule = {
      id: 4,
      agent_id: null,
      target_type: "agent",
      monitor_id: null,
      metric_type: "partition_percent",
      condition: "ge",
      threshold: 80,
      enabled: false,
      severity: "critical",
      for_seconds: 300,
      renotify_seconds: 3600,
      labels: { env: "prod" },
      match: { mountpoint: "/data" },
      hysteresis: 5,
      channel_ids: [1, 3],
      created_at: "2026-11-29T08:00:00Z",
    };
    const values = ruleFormDefaults(rule, COMMON_METRICS);
    expect(toRuleUpdate(values)).toEqual({
      target_type: "agent",
      metric_type: "partition_percent",
      condition: "ge",
      threshold: 80,
      enabled: false,
      severity: "critical",
      for_seconds: 300,
      renotify_seconds: 3600,
      labels: { env: "prod" },
      match: { mountpoint: "/data" },
      hysteresis: 5,
      channel_ids: [1, 3],
    });
    const custom = ruleFormDefaults({ ...rule, metric_type: "dataset_files_count" }, COMMON_METRICS);
    expect([custom.metric_choice, custom.metric_custom]).toEqual([CUSTOM_METRIC, "dataset_files_count"]);
  });
});

const onMonitors = ruleFormDefaults(undefined, COMMON_METRICS, { monitorId: 3 });
const everyMonitor: RuleFormValues = { ...onMonitors, monitor_id: "" };
const monitorRule: Rule = {
  id: 9,
  target_type: "monitor",
  agent_id: null,
  monitor_id: null,
  metric_type: "monitor_down",
  condition: "ge",
  threshold: 1,
  enabled: true,
  severity: "critical",
  for_seconds: 0,
  renotify_seconds: 300,
  labels: {},
  match: {},
  hysteresis: 0,
  channel_ids: [],
  created_at: "2026-11-29T08:00:00Z",
};

describe("monitor rules (target_type monitor, as tests/alerting/test_monitor_alerts.py makes them)", () => {
  it("starts as “monitor down” on the monitor it was opened for, critical", () => {
    expect(toRuleCreate(onMonitors)).toEqual({
      target_type: "monitor",
      agent_id: null,
      monitor_id: 3,
      metric_type: "monitor_down",
      condition: "ge",
      threshold: 1,
      severity: "critical",
      for_seconds: 0,
      renotify_seconds: 300,
      hysteresis: 0,
      enabled: true,
      labels: {},
      match: {},
      channel_ids: [],
    });
  });

  it("sends each choice's own condition, whatever the hidden fields hold", () => {
    const request = (values: Partial<RuleFormValues>) => {
      const { metric_type, condition, threshold } = toRuleCreate({ ...everyMonitor, condition: "ne", threshold: "250", ...values });
      return [metric_type, condition, threshold];
    };
    expect(request({ monitor_choice: "monitor_degraded" })).toEqual(["monitor_degraded", "ge", 1]);
    expect(request({ monitor_choice: "response_time_ms" })).toEqual(["response_time_ms", "gt", 250]);
    expect(request({ monitor_choice: "cert_days_left", threshold: "7" })).toEqual(["cert_days_left", "le", 7]);
    // Another monitor metric keeps the condition typed; short names go as the server stores them.
    expect(request({ monitor_choice: CUSTOM_METRIC, metric_custom: "cert_expiry", condition: "lt" })).toEqual(["cert_days_left", "lt", 250]);
  });

  it("chooses monitors by labels only when it names none, and never sends per-item matches", () => {
    const pairs = { labels: [{ key: "env", value: "prod" }], match: [{ key: "mountpoint", value: "/" }] };
    const every = toRuleCreate({ ...everyMonitor, ...pairs });
    expect([every.monitor_id, every.labels, every.match]).toEqual([null, { env: "prod" }, {}]);
    const one = toRuleCreate({ ...onMonitors, ...pairs });
    expect([one.monitor_id, one.labels, one.match]).toEqual([3, {}, {}]);
  });

  it("checks only what a monitor rule needs, refusing metrics monitors do not have", () => {
    const monitorProblems = (values: Partial<RuleFormValues>) => problems({ ...everyMonitor, ...values });
    expect(monitorProblems({ threshold: "" })).toEqual({}); // "is down" takes no number
    expect(monitorProblems({ monitor_choice: "response_time_ms", threshold: "" })).toEqual({ threshold: "Required." });
    expect(monitorProblems({ monitor_choice: "cert_days_left", threshold: "soon" })).toEqual({ threshold: "Enter a number." });
    expect(monitorProblems({ monitor_choice: CUSTOM_METRIC, metric_custom: "cpu" })).toEqual({
      metric_custom: expect.stringMatching(/^“cpu” is not a monitor metric: use one of monitor_up, monitor_down, /) as unknown,
    });
    expect(monitorProblems({ match: [{ key: "", value: "x" }] })).toEqual({}); // not sent for monitors
  });

  it("shows a new organization's default rule as “monitor down” on every monitor and saves it unchanged", () => {
    const values = ruleFormDefaults(monitorRule, COMMON_METRICS);
    expect([values.target_type, values.monitor_id, values.monitor_choice]).toEqual(["monitor", "", "monitor_down"]);
    expect(toRuleUpdate(values)).toEqual({
      target_type: "monitor",
      monitor_id: null,
      metric_type: "monitor_down",
      condition: "ge",
      threshold: 1,
      severity: "critical",
      for_seconds: 0,
      renotify_seconds: 300,
      hysteresis: 0,
      enabled: true,
      labels: {},
      match: {},
      channel_ids: [],
    });
  });

  it("keeps a stored rule the short list does not offer as it is", () => {
    const odd = ruleFormDefaults({ ...monitorRule, monitor_id: 4, metric_type: "monitor_down", condition: "lt", threshold: 1 }, COMMON_METRICS);
    expect([odd.monitor_choice, odd.metric_custom, odd.condition, odd.monitor_id]).toEqual([CUSTOM_METRIC, "monitor_down", "lt", "4"]);
    const { metric_type, condition, threshold, monitor_id } = toRuleUpdate(odd);
    expect([metric_type, condition, threshold, monitor_id]).toEqual(["monitor_down", "lt", 1, 4]);
    const slow = ruleFormDefaults({ ...monitorRule, metric_type: "response_time_ms", condition: "gt", threshold: 800 }, COMMON_METRICS);
    expect([slow.monitor_choice, slow.threshold]).toEqual(["response_time_ms", "800"]);
  });

  it("turns a host rule into a monitor rule (the server drops its host)", () => {
    const hostRule = ruleFormDefaults(undefined, COMMON_METRICS, { agentId: 5 });
    const moved = toRuleUpdate({ ...hostRule, target_type: "monitor", monitor_id: "2", monitor_choice: "cert_days_left", threshold: "14" });
    expect(moved).toMatchObject({ target_type: "monitor", monitor_id: 2, metric_type: "cert_days_left", condition: "le", threshold: 14, match: {} });
  });
});
