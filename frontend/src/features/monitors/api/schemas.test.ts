import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/api/errors";
import { monitor } from "../testing/factories";
import { configPath, monitorFormDefaults, monitorFormSchema, type MonitorFormValues, toMonitorCreate, toMonitorUpdate } from "./schemas";
import { applyServerErrors } from "@/lib/api/server-errors";
import type { MonitorKind } from "./types";

type Patch = { [K in keyof MonitorFormValues]?: MonitorFormValues[K] extends object ? Partial<MonitorFormValues[K]> | MonitorFormValues[K] : MonitorFormValues[K] };

function form(type: MonitorKind, patch: Patch = {}): MonitorFormValues {
  const base = monitorFormDefaults(undefined, type);
  const merged: Record<string, unknown> = { ...base, name: "web", target: type === "http" ? "https://example.com/health" : type === "push" ? "" : "example.com" };
  for (const [key, value] of Object.entries(patch)) {
    const current = merged[key];
    merged[key] = current && typeof current === "object" && !Array.isArray(current) && value && typeof value === "object" && !Array.isArray(value) ? { ...current, ...value } : value;
  }
  return merged as MonitorFormValues;
}

const problems = (values: MonitorFormValues) =>
  Object.fromEntries((monitorFormSchema.safeParse(values).error?.issues ?? []).map((issue) => [issue.path.join("."), issue.message]));

describe("the monitor form's rules (as core/schemas/monitors.py and the types' Configs)", () => {
  it("accepts each type's defaults with a name and target", () => {
    for (const type of ["http", "ping", "dns", "tls", "push"] as const) expect(problems(form(type))).toEqual({});
    expect(problems(form("tcp"))).toEqual({ "tcp.port": "Required." });
    expect(problems(form("tcp", { tcp: { port: "5432" } }))).toEqual({});
  });

  it("bounds interval (20 s – 24 h), retries (0–10), timeout (≤ 120 s) as the server does", () => {
    expect(problems(form("http", { interval_seconds: "19", retries: "11", timeout_seconds: "121" }))).toEqual({
      interval_seconds: "At least 20.",
      retries: "At most 10.",
      timeout_seconds: "At most 120.",
    });
    expect(problems(form("http", { interval_seconds: "86401", retries: "1.5", timeout_seconds: "0" }))).toEqual({
      interval_seconds: "At most 86400.",
      retries: "Enter a whole number.",
      timeout_seconds: "More than 0.",
    });
    expect(problems(form("http", { interval_seconds: "20", retries: "0", timeout_seconds: "0.5", retry_interval_seconds: "" }))).toEqual({});
    expect(problems(form("http", { retry_interval_seconds: "10" }))).toEqual({ retry_interval_seconds: "At least 20." });
  });

  it("checks the target for the type: a URL, a host without scheme, none for push", () => {
    expect(problems(form("http", { target: "example.com" }))).toEqual({ target: "Enter a full URL, such as https://example.com/health." });
    expect(problems(form("http", { target: "ftp://example.com" }))).toEqual({ target: "Only http:// and https:// URLs." });
    expect(problems(form("tls", { target: "https://example.com" }))).toEqual({ target: "A host name or address only, without http:// or a path." });
    expect(problems(form("ping", { target: "bad host" }))).toEqual({ target: "Not a host name or IP address." });
    expect(problems(form("ping", { target: "192.168.1.1" }))).toEqual({});
    expect(problems(form("dns", { target: "" }))).toEqual({ target: "Required." });
    expect(problems(form("push", { target: "anything" }))).toEqual({});
  });

  it("checks labels: names, duplicates and their number", () => {
    expect(problems(form("http", { labels: [{ key: "env", value: "a" }, { key: "env", value: "b" }, { key: "", value: "x" }] }))).toEqual({
      "labels.1.key": "Each name only once.",
      "labels.2.key": "A name is needed.",
    });
    const many = Array.from({ length: 33 }, (_, i) => ({ key: `k${i}`, value: "v" }));
    expect(problems(form("http", { labels: many }))).toEqual({ labels: "At most 32." });
  });

  it("checks HTTP settings: codes, redirects, body, auth, conditions", () => {
    expect(problems(form("http", { http: { accepted_status_codes: "200-299, 3xx", max_redirects: "11" } }))).toEqual({
      "http.accepted_status_codes": "“3xx” is not a status code (100–599) or a range of them.",
      "http.max_redirects": "At most 10.",
    });
    expect(problems(form("http", { http: { accepted_status_codes: "299-200" } }))).toEqual({ "http.accepted_status_codes": "“299-200” is not a status code (100–599) or a range of them." });
    expect(problems(form("http", { http: { method: "POST", body_type: "json", body: "{oops" } }))).toEqual({ "http.body": "Not valid JSON." });
    expect(problems(form("http", { http: { method: "POST", body_type: "form", body: "a=1" } }))).toEqual({ "http.body": 'Form fields as a JSON object: {"name": "value"}.' });
    expect(problems(form("http", { http: { auth: "basic" } }))).toEqual({ "http.username": "Required.", "http.password": "Required." });
    // An edit keeps a stored password when the field stays empty.
    expect(problems(form("http", { http: { auth: "basic", username: "me" }, secrets_set: ["password"] }))).toEqual({});
    expect(problems(form("http", { http: { auth: "bearer" } }))).toEqual({ "http.token": "Required." });
    expect(problems(form("http", { http: { headers: [{ key: "Bad Header", value: "x" }] } }))).toEqual({ "http.headers.0.key": "Letters, digits and !#$%&'*+.^_`|~- only." });
    expect(problems(form("http", { http: { cert_warning_days: "30, 0", degraded_above_ms: "-5" } }))).toEqual({
      "http.cert_warning_days": "“0” is not a number of days (1–3650).",
      "http.degraded_above_ms": "At least 1.",
    });
    expect(problems(form("http", { http: { json_expected: "ok" } }))).toEqual({ "http.json_query": "An expected value needs a query." });
  });

  it("checks the other types' settings", () => {
    expect(problems(form("tcp", { tcp: { port: "70000" } }))).toEqual({ "tcp.port": "At most 65535." });
    expect(problems(form("ping", { ping: { count: "11", packet_loss_max_percent: "101" } }))).toEqual({ "ping.count": "At most 10.", "ping.packet_loss_max_percent": "At most 100." });
    expect(problems(form("dns", { dns: { resolver: "dns.google" } }))).toEqual({ "dns.resolver": "An IP address, such as 1.1.1.1." });
    expect(problems(form("tls", { tls: { warning_days: "" } }))).toEqual({ "tls.warning_days": "Required." });
    expect(problems(form("tls", { tls: { warning_days: "7, 7" } }))).toEqual({ "tls.warning_days": "Each number of days only once." });
    expect(problems(form("push", { push: { period_seconds: "10", grace_seconds: String(31 * 86_400) } }))).toEqual({
      "push.period_seconds": "At least 20.",
      "push.grace_seconds": "At most 2592000.",
    });
    expect(problems(form("push", { push: { schedule: "cron", cron: "every day", timezone: "Mars/Olympus" } }))).toEqual({
      "push.cron": "Five fields, such as */5 * * * *.",
      "push.timezone": "Not a time zone this browser knows, such as Europe/Paris.",
    });
  });
});

describe("the requests the form builds", () => {
  it("an HTTP monitor: its type's settings only, empty optional ones as null", () => {
    const values = form("http", { labels: [{ key: " env ", value: "prod" }, { key: "", value: "" }], parent_id: "4", http: { accepted_status_codes: "200 - 299, 301", keyword: "", cert_warning_days: "30, 7" } });
    expect(toMonitorCreate(values)).toEqual({
      name: "web",
      type: "http",
      target: "https://example.com/health",
      config: {
        method: "GET",
        headers: {},
        body: null,
        body_type: "json",
        auth: "none",
        accepted_status_codes: ["200-299", "301"],
        max_redirects: 10,
        ignore_tls_errors: false,
        keyword: null,
        keyword_absent: false,
        json_query: null,
        json_operator: "==",
        json_expected: null,
        degraded_above_ms: null,
        cert_warning_days: [30, 7],
      },
      interval_seconds: 60,
      retry_interval_seconds: null,
      retries: 0,
      timeout_seconds: 10,
      upside_down: false,
      labels: { env: "prod" },
      description: "",
      active: true,
      parent_id: 4,
    });
  });

  it("sends a secret only when typed, so an edit keeps the stored one", () => {
    const typed = toMonitorCreate(form("http", { http: { auth: "basic", username: "me", password: "s3cret" } })).config;
    expect(typed).toMatchObject({ auth: "basic", username: "me", password: "s3cret" });
    const kept = toMonitorCreate(form("http", { http: { auth: "bearer" }, secrets_set: ["token"] })).config;
    expect(kept).toMatchObject({ auth: "bearer" });
    expect(kept).not.toHaveProperty("token");
  });

  it("a push monitor: no target, a period or a cron in its zone", () => {
    expect(toMonitorCreate(form("push", { push: { period_seconds: "3600", grace_seconds: "600" } }))).toMatchObject({
      type: "push",
      target: "",
      config: { period_seconds: 3600, grace_seconds: 600, cron: null },
    });
    expect(toMonitorCreate(form("push", { push: { schedule: "cron", cron: " 0 3 * * * ", timezone: "Europe/Paris" } })).config).toEqual({
      cron: "0 3 * * *",
      timezone: "Europe/Paris",
      grace_seconds: 3600,
    });
  });

  it("round-trips a stored monitor through the form; the update has no type and an explicit retry interval", () => {
    const stored = monitor(7, {
      type: "tls",
      target: "example.com",
      config: { port: 8443, warning_days: [21, 7], check_hostname: false },
      interval_seconds: 300,
      retry_interval_seconds: 300,
      retries: 2,
      labels: { env: "prod" },
      parent_id: 3,
      active: false,
    });
    const values = monitorFormDefaults(stored);
    expect(values.type).toBe("tls");
    expect(values.tls).toEqual({ port: "8443", warning_days: "21, 7", check_hostname: false });
    expect(values.retry_interval_seconds).toBe("");
    expect(toMonitorUpdate(values)).toEqual({
      name: "site-7",
      target: "example.com",
      config: { port: 8443, warning_days: [21, 7], check_hostname: false },
      interval_seconds: 300,
      retry_interval_seconds: 300,
      retries: 2,
      timeout_seconds: 10,
      upside_down: false,
      labels: { env: "prod" },
      description: "",
      active: false,
      parent_id: 3,
    });
  });
});

describe("the server's refusals on the form", () => {
  const fields = ["name", "target", "interval_seconds", "labels", "http.accepted_status_codes", "tcp.port"];
  const placed = (error: unknown, type = "http") => {
    const found: Record<string, string> = {};
    const rest = applyServerErrors(error, fields, (field, message) => (found[field] = message), configPath(type));
    return { found, rest };
  };

  it("FastAPI's field errors land on their fields; a label's on the labels", () => {
    const error = new ApiError(422, "", {
      detail: [
        { loc: ["body", "interval_seconds"], msg: "Input should be greater than or equal to 20" },
        { loc: ["body", "labels", "env"], msg: "String should have at most 256 characters" },
        { loc: ["body", "upside_down"], msg: "Input should be a valid boolean" },
      ],
    });
    expect(placed(error)).toEqual({
      found: { interval_seconds: "Input should be greater than or equal to 20", labels: "String should have at most 256 characters" },
      rest: "upside_down: Input should be a valid boolean",
    });
  });

  it("the type's own refusals (config.<field>) land on that type's field", () => {
    const error = new ApiError(422, "", { detail: "config.port: Input should be less than or equal to 65535; target: 'a b' is not a valid host name" });
    expect(placed(error, "tcp")).toEqual({ found: { "tcp.port": "Input should be less than or equal to 65535", target: "'a b' is not a valid host name" }, rest: null });
    expect(placed(new ApiError(422, "", { detail: "config: Value error, bearer auth needs a token" }))).toEqual({ found: {}, rest: "config: bearer auth needs a token" });
  });

  it("anything else is one message", () => {
    expect(placed(new ApiError(403, "this action needs the operator role", { detail: "this action needs the operator role" }))).toEqual({ found: {}, rest: "this action needs the operator role" });
  });
});
