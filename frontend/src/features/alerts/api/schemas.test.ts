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
