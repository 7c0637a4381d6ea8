// The monitor form: its values (text boxes hold strings), the rules the server applies
// (core/schemas/monitors.py: interval 20 s – 24 h, retries 0–10, timeout ≤ 120 s, labels; each
// type's Config in probe_service/checks/<type>.py), and the requests it builds, typed by the
// generated API types. One group of settings per type, so switching types loses nothing typed.
import { z } from "zod";
import { t } from "../messages";
import { isKnownType, type Monitor, type MonitorCreate, MONITOR_TYPES, type MonitorKind, type MonitorUpdate } from "./types";

export const BOUNDS = {
  interval: { min: 20, max: 86_400 },
  retries: { min: 0, max: 10 },
  timeout: { max: 120 },
  name: 120,
  target: 2048,
  description: 1000,
  labels: { max: 32, key: 64, value: 256 },
  redirects: { min: 0, max: 10 },
  port: { min: 1, max: 65_535 },
  pingCount: { min: 1, max: 10 },
  certDays: { min: 1, max: 3650 },
  certDaysCount: 10,
  statusCodes: 20,
  headers: 50,
  expectedValues: 20,
  lossPercent: { min: 0, max: 100 },
  degradedMs: { min: 1, max: 120_000 },
  period: { min: 20, max: 366 * 86_400 },
  grace: { min: 0, max: 30 * 86_400 },
} as const;

export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
export const BODY_TYPES = ["json", "form", "raw"] as const;
export const AUTH_KINDS = ["none", "basic", "bearer"] as const;
export const JSON_OPERATORS = ["==", "!=", "<", "<=", ">", ">=", "contains"] as const;
export const DNS_RECORD_TYPES = ["A", "AAAA", "CAA", "CNAME", "MX", "NS", "PTR", "SOA", "SRV", "TXT"] as const;
export const DNS_RCODES = ["NOERROR", "NXDOMAIN", "SERVFAIL", "REFUSED"] as const;
export const PUSH_SCHEDULES = ["period", "cron"] as const;

const keyValue = z.object({ key: z.string(), value: z.string() });
export type KeyValue = z.infer<typeof keyValue>;

export const toPairs = (record: Record<string, unknown> | null | undefined): KeyValue[] =>
  Object.entries(record ?? {}).map(([key, value]) => ({ key, value: String(value) }));
export const fromPairs = (pairs: readonly KeyValue[]): Record<string, string> =>
  Object.fromEntries(pairs.filter((pair) => pair.key.trim() !== "").map((pair) => [pair.key.trim(), pair.value.trim()]));

const httpSchema = z.object({
  method: z.enum(HTTP_METHODS),
  headers: z.array(keyValue),
  body: z.string(),
  body_type: z.enum(BODY_TYPES),
  auth: z.enum(AUTH_KINDS),
  username: z.string(),
  password: z.string(),
  token: z.string(),
  accepted_status_codes: z.string(),
  max_redirects: z.string(),
  ignore_tls_errors: z.boolean(),
  keyword: z.string(),
  keyword_absent: z.boolean(),
  json_query: z.string(),
  json_operator: z.enum(JSON_OPERATORS),
  json_expected: z.string(),
  degraded_above_ms: z.string(),
  cert_warning_days: z.string(),
});

export const monitorFormSchema = z
  .object({
    type: z.enum(MONITOR_TYPES),
    name: z.string(),
    target: z.string(),
    interval_seconds: z.string(),
    retries: z.string(),
    retry_interval_seconds: z.string(), // "" = the interval
    timeout_seconds: z.string(),
    upside_down: z.boolean(),
    active: z.boolean(),
    description: z.string(),
    parent_id: z.string(), // "" = no dependency
    labels: z.array(keyValue),
    http: httpSchema,
    tcp: z.object({ port: z.string(), tls: z.boolean(), ignore_tls_errors: z.boolean() }),
    ping: z.object({ count: z.string(), packet_loss_max_percent: z.string() }),
    dns: z.object({ record_type: z.enum(DNS_RECORD_TYPES), resolver: z.string(), port: z.string(), expected_values: z.string(), expected_rcode: z.enum(DNS_RCODES) }),
    tls: z.object({ port: z.string(), warning_days: z.string(), check_hostname: z.boolean() }),
    push: z.object({ schedule: z.enum(PUSH_SCHEDULES), period_seconds: z.string(), grace_seconds: z.string(), cron: z.string(), timezone: z.string() }),
    /** secrets already stored (edit): a blank field keeps them */
    secrets_set: z.array(z.string()),
  })
  .superRefine((value, ctx) => {
    const problem = (path: (string | number)[], message: string | null) => {
      if (message) ctx.addIssue({ code: "custom", path, message });
    };
    const name = value.name.trim();
    problem(["name"], name === "" ? t("required") : name.length > BOUNDS.name ? t("atMostChars", { max: BOUNDS.name }) : null);
    problem(["target"], targetProblem(value.type, value.target));
    if (value.type !== "push") {
      problem(["interval_seconds"], numberProblem(value.interval_seconds, { integer: true, ...BOUNDS.interval }));
      problem(["retries"], numberProblem(value.retries, { integer: true, ...BOUNDS.retries }));
      problem(["retry_interval_seconds"], numberProblem(value.retry_interval_seconds, { required: false, integer: true, ...BOUNDS.interval }));
      problem(["timeout_seconds"], numberProblem(value.timeout_seconds, { above: 0, max: BOUNDS.timeout.max }));
    }
    problem(["description"], value.description.length > BOUNDS.description ? t("atMostChars", { max: BOUNDS.description }) : null);
    checkPairs(value.labels, "labels", ctx, { max: BOUNDS.labels.max, keyMax: BOUNDS.labels.key, valueMax: BOUNDS.labels.value });
    TYPE_RULES[value.type](value, problem, ctx);
  });

export type MonitorFormValues = z.infer<typeof monitorFormSchema>;
type Problem = (path: (string | number)[], message: string | null) => void;

// --- rules ---------------------------------------------------------------------------------------

/** A number typed in a text box: "" when optional, else finite, whole when asked, in range. */
export function numberProblem(
  text: string,
  { required = true, integer = false, min, max, above }: { required?: boolean; integer?: boolean; min?: number; max?: number; above?: number },
): string | null {
  const trimmed = text.trim();
  if (trimmed === "") return required ? t("required") : null;
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return t("notANumber");
  if (integer && !Number.isInteger(value)) return t("wholeNumber");
  if (above !== undefined && value <= above) return t("above", { min: above });
  if (min !== undefined && value < min) return t("atLeast", { min });
  if (max !== undefined && value > max) return t("atMost", { max });
  return null;
}

const HOST_RE = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})?(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})?)*\.?|[0-9a-fA-F:.]+)$/;

export function targetProblem(type: MonitorKind, raw: string): string | null {
  const target = raw.trim();
  if (type === "push") return null;
  if (target === "") return t("required");
  if (target.length > BOUNDS.target) return t("atMostChars", { max: BOUNDS.target });
  if (type === "http") {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return t("urlInvalid");
    }
    return url.protocol === "http:" || url.protocol === "https:" ? (url.hostname ? null : t("urlInvalid")) : t("urlScheme");
  }
  if (target.includes("://") || target.includes("/")) return t("hostNotUrl");
  return HOST_RE.test(target) && target.length <= 253 ? null : t("hostInvalid");
}

function checkPairs(pairs: readonly KeyValue[], path: string, ctx: z.RefinementCtx, bounds: { max: number; keyMax: number; valueMax: number; keyPattern?: RegExp }) {
  const named = pairs.map((pair, index) => ({ ...pair, index })).filter((pair) => pair.key.trim() !== "" || pair.value.trim() !== "");
  if (named.length > bounds.max) ctx.addIssue({ code: "custom", path: [path], message: t("tooManyPairs", { max: bounds.max }) });
  const seen = new Set<string>();
  for (const pair of named) {
    const key = pair.key.trim();
    const at = (field: string, message: string) => ctx.addIssue({ code: "custom", path: [path, pair.index, field], message });
    if (key === "") at("key", t("keyRequired"));
    else if (key.length > bounds.keyMax) at("key", t("atMostChars", { max: bounds.keyMax }));
    else if (bounds.keyPattern && !bounds.keyPattern.test(key)) at("key", t("headerNameInvalid"));
    else if (seen.has(key.toLowerCase())) at("key", t("keyTwice"));
    seen.add(key.toLowerCase());
    if (pair.value.trim().length > bounds.valueMax) at("value", t("atMostChars", { max: bounds.valueMax }));
  }
}

/** "200-299, 301": codes (100–599) and ranges of them. */
export function statusCodesProblem(text: string): string | null {
  const parts = splitList(text);
  if (parts.length === 0) return t("required");
  if (parts.length > BOUNDS.statusCodes) return t("tooManyItems", { max: BOUNDS.statusCodes });
  for (const part of parts) {
    const match = /^(\d{3})(?:\s*-\s*(\d{3}))?$/.exec(part);
    const low = Number(match?.[1]);
    const high = match?.[2] === undefined ? low : Number(match[2]);
    if (!match || low < 100 || high > 599 || high < low) return t("statusCodes", { part });
  }
  return null;
}

/** "30, 14, 7": whole days, each once. */
export function daysProblem(text: string, required: boolean): string | null {
  const parts = splitList(text);
  if (parts.length === 0) return required ? t("required") : null;
  if (parts.length > BOUNDS.certDaysCount) return t("tooManyItems", { max: BOUNDS.certDaysCount });
  for (const part of parts) {
    const problem = numberProblem(part, { integer: true, min: BOUNDS.certDays.min, max: BOUNDS.certDays.max });
    if (problem) return t("daysList", { part });
  }
  return new Set(parts.map(Number)).size === parts.length ? null : t("daysTwice");
}

export function splitList(text: string): string[] {
  return text
    .split(/[\n,]+/)
    .map((part) => part.trim())
    .filter(Boolean);
}

/** Five fields of a crontab schedule ("*\/5 * * * *", "0 3 * * mon-fri"); the server checks the rest. */
export function cronProblem(text: string): string | null {
  const fields = text.trim().split(/\s+/).filter(Boolean);
  if (fields.length === 0) return t("required");
  if (fields.length !== 5 || !fields.every((field) => /^[\w*/,?#-]+$/.test(field))) return t("cronInvalid");
  return null;
}

export function timeZoneProblem(zone: string): string | null {
  if (zone.trim() === "") return t("required");
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: zone.trim() });
    return null;
  } catch {
    return t("timeZoneInvalid");
  }
}

/** The body as its type says: JSON, or for a form a JSON object of fields (probe_service/checks/_http.py). */
export function bodyProblem(body: string, type: (typeof BODY_TYPES)[number]): string | null {
  if (body === "" || type === "raw") return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return type === "json" ? t("jsonInvalid") : t("formBody");
  }
  if (type === "form" && (parsed === null || typeof parsed !== "object" || Array.isArray(parsed) || !Object.values(parsed).every((v) => typeof v === "string" || typeof v === "number"))) {
    return t("formBody");
  }
  return null;
}

export function isIpAddress(value: string): boolean {
  if (/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(value)) return value.split(".").every((part) => Number(part) <= 255);
  return value.includes(":") && /^[0-9a-fA-F:.]+$/.test(value);
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const TYPE_RULES: Record<MonitorKind, (value: MonitorFormValues, problem: Problem, ctx: z.RefinementCtx) => void> = {
  http: ({ http, secrets_set }, problem, ctx) => {
    checkPairs(http.headers, "http.headers", ctx, { max: BOUNDS.headers, keyMax: 256, valueMax: 8192, keyPattern: HEADER_NAME });
    problem(["http", "body"], bodyProblem(http.body, http.body_type));
    if (http.auth === "basic") {
      problem(["http", "username"], http.username.trim() === "" ? t("required") : null);
      problem(["http", "password"], http.password === "" && !secrets_set.includes("password") ? t("required") : null);
    }
    if (http.auth === "bearer") problem(["http", "token"], http.token === "" && !secrets_set.includes("token") ? t("required") : null);
    problem(["http", "accepted_status_codes"], statusCodesProblem(http.accepted_status_codes));
    problem(["http", "max_redirects"], numberProblem(http.max_redirects, { integer: true, ...BOUNDS.redirects }));
    problem(["http", "degraded_above_ms"], numberProblem(http.degraded_above_ms, { required: false, ...BOUNDS.degradedMs }));
    problem(["http", "cert_warning_days"], daysProblem(http.cert_warning_days, false));
    if (http.json_query.trim() === "" && http.json_expected.trim() !== "") problem(["http", "json_query"], t("jsonQueryRequired"));
    if (http.username.includes(":")) problem(["http", "username"], t("usernameColon"));
  },
  tcp: ({ tcp }, problem) => problem(["tcp", "port"], numberProblem(tcp.port, { integer: true, ...BOUNDS.port })),
  ping: ({ ping }, problem) => {
    problem(["ping", "count"], numberProblem(ping.count, { integer: true, ...BOUNDS.pingCount }));
    problem(["ping", "packet_loss_max_percent"], numberProblem(ping.packet_loss_max_percent, BOUNDS.lossPercent));
  },
  dns: ({ dns }, problem) => {
    problem(["dns", "port"], numberProblem(dns.port, { integer: true, ...BOUNDS.port }));
    const resolver = dns.resolver.trim();
    problem(["dns", "resolver"], resolver !== "" && !isIpAddress(resolver) ? t("resolverIp") : null);
    const values = splitList(dns.expected_values);
    problem(["dns", "expected_values"], values.length > BOUNDS.expectedValues ? t("tooManyItems", { max: BOUNDS.expectedValues }) : values.some((value) => value.length > 500) ? t("atMostChars", { max: 500 }) : null);
  },
  tls: ({ tls }, problem) => {
    problem(["tls", "port"], numberProblem(tls.port, { integer: true, ...BOUNDS.port }));
    problem(["tls", "warning_days"], daysProblem(tls.warning_days, true));
  },
  push: ({ push }, problem) => {
    if (push.schedule === "period") problem(["push", "period_seconds"], numberProblem(push.period_seconds, { integer: true, ...BOUNDS.period }));
    else {
      problem(["push", "cron"], cronProblem(push.cron));
      problem(["push", "timezone"], timeZoneProblem(push.timezone));
    }
    problem(["push", "grace_seconds"], numberProblem(push.grace_seconds, { integer: true, ...BOUNDS.grace }));
  },
};

// --- defaults ------------------------------------------------------------------------------------

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

const text = (value: unknown, fallback = ""): string => (typeof value === "string" ? value : typeof value === "number" ? String(value) : fallback);
const bool = (value: unknown, fallback = false): boolean => (typeof value === "boolean" ? value : fallback);
const list = (value: unknown, fallback: string): string =>
  Array.isArray(value) ? value.map(String).join(", ") : typeof value === "number" || typeof value === "string" ? String(value) : fallback;
const pick = <const T extends string>(value: unknown, allowed: readonly T[], fallback: T): T =>
  typeof value === "string" && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;

/** The form for a new monitor of `type`, or filled from a stored one (secrets stay blank). */
export function monitorFormDefaults(monitor?: Monitor, type: MonitorKind = "http"): MonitorFormValues {
  const kind = monitor && isKnownType(monitor.type) ? monitor.type : type;
  const c: Record<string, unknown> = monitor?.config ?? {};
  const mine = (wanted: MonitorKind) => (kind === wanted ? c : {});
  const http = mine("http");
  const tcp = mine("tcp");
  const ping = mine("ping");
  const dns = mine("dns");
  const tls = mine("tls");
  const push = mine("push");
  return {
    type: kind,
    name: monitor?.name ?? "",
    target: monitor?.target ?? "",
    interval_seconds: String(monitor?.interval_seconds ?? 60),
    retries: String(monitor?.retries ?? 0),
    retry_interval_seconds: monitor && monitor.retry_interval_seconds !== monitor.interval_seconds ? String(monitor.retry_interval_seconds) : "",
    timeout_seconds: String(monitor?.timeout_seconds ?? 10),
    upside_down: monitor?.upside_down ?? false,
    active: monitor?.active ?? true,
    description: monitor?.description ?? "",
    parent_id: monitor?.parent_id == null ? "" : String(monitor.parent_id),
    labels: toPairs(monitor?.labels),
    http: {
      method: pick(http.method, HTTP_METHODS, "GET"),
      headers: toPairs(http.headers as Record<string, unknown> | undefined),
      body: text(http.body),
      body_type: pick(http.body_type, BODY_TYPES, "json"),
      auth: pick(http.auth, AUTH_KINDS, "none"),
      username: text(http.username),
      password: "",
      token: "",
      accepted_status_codes: list(http.accepted_status_codes, "200-299"),
      max_redirects: text(http.max_redirects, "10"),
      ignore_tls_errors: bool(http.ignore_tls_errors),
      keyword: text(http.keyword),
      keyword_absent: bool(http.keyword_absent),
      json_query: text(http.json_query),
      json_operator: pick(http.json_operator, JSON_OPERATORS, "=="),
      json_expected: text(http.json_expected),
      degraded_above_ms: text(http.degraded_above_ms),
      cert_warning_days: list(http.cert_warning_days, "30, 14, 7"),
    },
    tcp: { port: text(tcp.port), tls: bool(tcp.tls), ignore_tls_errors: bool(tcp.ignore_tls_errors) },
    ping: { count: text(ping.count, "3"), packet_loss_max_percent: text(ping.packet_loss_max_percent, "100") },
    dns: {
      record_type: pick(dns.record_type, DNS_RECORD_TYPES, "A"),
      resolver: text(dns.resolver),
      port: text(dns.port, "53"),
      expected_values: list(dns.expected_values, ""),
      expected_rcode: pick(dns.expected_rcode, DNS_RCODES, "NOERROR"),
    },
    tls: { port: text(tls.port, "443"), warning_days: list(tls.warning_days, "30, 14, 7"), check_hostname: bool(tls.check_hostname, true) },
    push: {
      schedule: typeof push.cron === "string" && push.cron !== "" ? "cron" : "period",
      period_seconds: text(push.period_seconds, "86400"),
      grace_seconds: text(push.grace_seconds, "3600"),
      cron: text(push.cron, "0 3 * * *"),
      timezone: text(push.timezone, browserTimeZone()),
    },
    secrets_set: monitor?.secret_fields ?? [],
  };
}

// --- requests ------------------------------------------------------------------------------------

const int = (value: string) => Number(value.trim());
const optionalNumber = (value: string) => (value.trim() === "" ? null : Number(value.trim()));
const days = (value: string) => splitList(value).map(Number);
const orNull = (value: string) => (value === "" ? null : value);

/**
 * The type's `config` as the API takes it. Every setting the form shows is sent (a cleared
 * optional one as empty or null, so an edit clears it); a secret only when typed, so an
 * edit's blank secret keeps the stored one.
 */
export function toConfig(values: MonitorFormValues): Record<string, unknown> {
  switch (values.type) {
    case "http": {
      const { http } = values;
      const auth =
        http.auth === "basic"
          ? { username: http.username.trim(), ...(http.password === "" ? {} : { password: http.password }) }
          : http.auth === "bearer"
            ? http.token === ""
              ? {}
              : { token: http.token }
            : {};
      return {
        method: http.method,
        headers: fromPairs(http.headers),
        body: orNull(http.body),
        body_type: http.body_type,
        auth: http.auth,
        ...auth,
        accepted_status_codes: splitList(http.accepted_status_codes).map((part) => part.replace(/\s+/g, "")),
        max_redirects: int(http.max_redirects),
        ignore_tls_errors: http.ignore_tls_errors,
        keyword: orNull(http.keyword),
        keyword_absent: http.keyword_absent,
        json_query: orNull(http.json_query.trim()),
        json_operator: http.json_operator,
        // A query needs an expected value, even an empty one; without a query there is none.
        json_expected: http.json_query.trim() === "" ? null : http.json_expected,
        degraded_above_ms: optionalNumber(http.degraded_above_ms),
        cert_warning_days: days(http.cert_warning_days),
      };
    }
    case "tcp":
      return { port: int(values.tcp.port), tls: values.tcp.tls, ignore_tls_errors: values.tcp.ignore_tls_errors };
    case "ping":
      return { count: int(values.ping.count), packet_loss_max_percent: Number(values.ping.packet_loss_max_percent.trim()) };
    case "dns":
      return {
        record_type: values.dns.record_type,
        resolver: orNull(values.dns.resolver.trim()),
        port: int(values.dns.port),
        expected_values: splitList(values.dns.expected_values),
        expected_rcode: values.dns.expected_rcode,
      };
    case "tls":
      return { port: int(values.tls.port), warning_days: days(values.tls.warning_days), check_hostname: values.tls.check_hostname };
    case "push": {
      const { push } = values;
      // A period (and no cron), or a cron in its zone (the period then unused, left as it is).
      return push.schedule === "period"
        ? { period_seconds: int(push.period_seconds), grace_seconds: int(push.grace_seconds), cron: null }
        : { cron: push.cron.trim(), timezone: push.timezone.trim(), grace_seconds: int(push.grace_seconds) };
    }
  }
}

export function toMonitorCreate(values: MonitorFormValues): MonitorCreate {
  const scheduled = values.type !== "push";
  return {
    name: values.name.trim(),
    type: values.type,
    target: scheduled ? values.target.trim() : "",
    config: toConfig(values),
    // A push monitor is not scheduled: its settings stay at their defaults.
    interval_seconds: scheduled ? int(values.interval_seconds) : 60,
    retry_interval_seconds: scheduled ? optionalNumber(values.retry_interval_seconds) : null,
    retries: scheduled ? int(values.retries) : 0,
    timeout_seconds: scheduled ? Number(values.timeout_seconds.trim()) : 10,
    upside_down: values.upside_down,
    labels: fromPairs(values.labels),
    description: values.description.trim(),
    active: values.active,
    parent_id: values.parent_id === "" ? null : Number(values.parent_id),
  };
}

/** PATCH body: everything the form edits (the type of a monitor is fixed once created). */
export function toMonitorUpdate(values: MonitorFormValues): MonitorUpdate {
  const body: Partial<MonitorCreate> = toMonitorCreate(values);
  delete body.type;
  // The server ignores a null retry interval in an update: "same as the interval" is said so.
  return { ...body, retry_interval_seconds: body.retry_interval_seconds ?? body.interval_seconds ?? null };
}

/** The form's path for a path the probe names: a type's `config.port` is the form's `tcp.port`. */
export function configPath(type: string): (path: string) => string {
  return (path) => (path.startsWith("config.") ? `${type}.${path.slice("config.".length)}` : path);
}
