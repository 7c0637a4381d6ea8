// A channel's form, generated from its type as GET /channels/types describes it: the JSON
// schema of its settings (pydantic's, from alert_service/channels/*.py) and which settings are
// secrets. Secrets are write-only: the API says only which are set, an edit leaves them as
// they are unless retyped (or removed on purpose), and nothing here ever shows one back.
import { z } from "zod";
import { compact } from "@/lib/search";
import { t } from "../messages";
import type { Channel, ChannelCreate, ChannelType, ChannelUpdate } from "../api/types";

export type FieldKind = "text" | "textarea" | "secret" | "secretMultiline" | "integer" | "number" | "boolean" | "enum" | "list" | "map";

export interface ChannelField {
  name: string;
  label: string;
  kind: FieldKind;
  required: boolean;
  secret: boolean;
  nullable: boolean;
  options: string[]; // enum values
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  itemFormat?: string; // "email" for lists of addresses
  format?: string;
}

type JsonSchema = Record<string, unknown>;

/** A stored setting as the text of its input. */
const textOf = (value: unknown): string =>
  typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : JSON.stringify(value);
const isObject = (value: unknown): value is JsonSchema => typeof value === "object" && value !== null && !Array.isArray(value);
const numberOf = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);
const stringOf = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** `anyOf: [X, {type: null}]` is an optional X. */
function unwrapNullable(schema: JsonSchema): { schema: JsonSchema; nullable: boolean } {
  const anyOf = schema.anyOf;
  if (Array.isArray(anyOf)) {
    const options = anyOf.filter(isObject);
    const concrete = options.filter((option) => option.type !== "null");
    if (concrete.length === 1 && concrete[0]) return { schema: { ...concrete[0], title: schema.title }, nullable: concrete.length < options.length };
  }
  return { schema, nullable: schema.type === "null" };
}

// Texts longer than a URL are written on several lines (the webhook's secret headers).
const MULTILINE_AFTER = 4096;

function kindOf(schema: JsonSchema, secret: boolean): FieldKind {
  const type = schema.type;
  const maxLength = numberOf(schema.maxLength);
  if (secret) return maxLength !== undefined && maxLength > MULTILINE_AFTER ? "secretMultiline" : "secret";
  if (Array.isArray(schema.enum)) return "enum";
  if (type === "boolean") return "boolean";
  if (type === "integer") return "integer";
  if (type === "number") return "number";
  if (type === "array") return "list";
  if (type === "object") return "map";
  return maxLength !== undefined && maxLength > MULTILINE_AFTER ? "textarea" : "text";
}

/** "Webhook Url" (pydantic's title) is shown as "Webhook URL". */
function labelOf(name: string, schema: JsonSchema): string {
  const title = stringOf(schema.title) ?? name.replace(/_/g, " ").replace(/^\w/, (c) => c.toUpperCase());
  return title.replace(/\bUrl\b/g, "URL").replace(/\bId\b/g, "ID");
}

/** The fields of a channel type's form, in the order its schema lists them. */
export function fieldsOf(type: Pick<ChannelType, "config_schema" | "secret_fields">): ChannelField[] {
  const root = type.config_schema;
  const properties = isObject(root.properties) ? root.properties : {};
  const required = new Set(Array.isArray(root.required) ? root.required.filter((name): name is string => typeof name === "string") : []);
  return Object.entries(properties).flatMap(([name, raw]) => {
    if (!isObject(raw)) return [];
    const { schema, nullable } = unwrapNullable(raw);
    const secret = type.secret_fields.includes(name) || schema.writeOnly === true;
    const items = isObject(schema.items) ? schema.items : {};
    const field: ChannelField = {
      name,
      label: labelOf(name, raw),
      kind: kindOf(schema, secret),
      required: required.has(name),
      secret,
      nullable,
      options: Array.isArray(schema.enum) ? schema.enum.map(String) : [],
    };
    const limits = compact({
      minLength: numberOf(schema.minLength),
      maxLength: numberOf(schema.maxLength),
      minimum: numberOf(schema.minimum) ?? (numberOf(schema.exclusiveMinimum) !== undefined ? (numberOf(schema.exclusiveMinimum) ?? 0) + 1 : undefined),
      maximum: numberOf(schema.maximum) ?? (numberOf(schema.exclusiveMaximum) !== undefined ? (numberOf(schema.exclusiveMaximum) ?? 0) - 1 : undefined),
      minItems: numberOf(schema.minItems),
      maxItems: numberOf(schema.maxItems ?? schema.maxProperties),
      itemFormat: stringOf(items.format),
      format: stringOf(schema.format),
    });
    return [{ ...field, ...limits }];
  });
}

// --- the form's values ------------------------------------------------------------------------

export interface Pair {
  key: string;
  value: string;
}
export type ConfigValue = string | boolean | Pair[];

const pairSchema = z.object({ key: z.string(), value: z.string() });
export const channelFormBase = z.object({
  type: z.string().min(1, t("required")),
  name: z.string().trim().min(1, t("required")).max(120, t("atMostChars", { max: 120 })),
  enabled: z.boolean(),
  daily_summary: z.boolean(),
  config: z.record(z.string(), z.union([z.string(), z.boolean(), z.array(pairSchema)])),
  // Optional secrets that are set and should be removed on save.
  clear: z.record(z.string(), z.boolean()),
});
export type ChannelFormValues = z.infer<typeof channelFormBase>;

export interface FormMode {
  /** Creating a channel, or editing one whose secrets are these (names of those set). */
  editing: boolean;
  secretsSet: readonly string[];
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** "a@x.org, b@y.org" or one a line → the list. */
export const splitList = (text: string): string[] =>
  text
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter(Boolean);

function emptyValue(field: ChannelField): ConfigValue {
  if (field.kind === "boolean") return false;
  if (field.kind === "map") return [];
  return "";
}

function isBlank(value: ConfigValue | undefined): boolean {
  return value === undefined || value === "" || (Array.isArray(value) && value.every((pair) => pair.key.trim() === "" && pair.value === ""));
}

/** Why this field's value would be refused, or null. */
export function fieldProblem(field: ChannelField, value: ConfigValue | undefined, mode: FormMode, clearing = false): string | null {
  const keepsStoredSecret = field.secret && mode.editing && mode.secretsSet.includes(field.name) && !clearing;
  if (isBlank(value)) {
    if (field.kind === "boolean") return null;
    if (field.required && !keepsStoredSecret) return t("required");
    return null;
  }
  switch (field.kind) {
    case "text":
    case "textarea":
    case "secret":
    case "secretMultiline":
    case "enum": {
      const text = typeof value === "string" ? value.trim() : "";
      if (field.kind === "enum" && !field.options.includes(text)) return t("chooseOne", { options: field.options.join(", ") });
      if (field.minLength !== undefined && text.length < field.minLength) return t("atLeastChars", { min: field.minLength });
      if (field.maxLength !== undefined && text.length > field.maxLength) return t("atMostChars", { max: field.maxLength });
      if (field.format === "email" && !EMAIL.test(text)) return t("notAnEmail");
      return null;
    }
    case "integer":
    case "number": {
      const number = Number(typeof value === "string" ? value.trim() : Number.NaN);
      if (!Number.isFinite(number)) return t("notANumber");
      if (field.kind === "integer" && !Number.isInteger(number)) return t("wholeNumber");
      if (field.minimum !== undefined && number < field.minimum) return t("atLeast", { min: field.minimum });
      if (field.maximum !== undefined && number > field.maximum) return t("atMost", { max: field.maximum });
      return null;
    }
    case "list": {
      const items = splitList(typeof value === "string" ? value : "");
      if (field.minItems !== undefined && items.length < field.minItems) return t("atLeastItems", { min: field.minItems });
      if (field.maxItems !== undefined && items.length > field.maxItems) return t("atMostItems", { max: field.maxItems });
      const bad = field.itemFormat === "email" ? items.find((item) => !EMAIL.test(item)) : undefined;
      return bad === undefined ? null : t("notAnEmailNamed", { value: bad });
    }
    case "map": {
      const pairs = Array.isArray(value) ? value.filter((pair) => pair.key.trim() !== "" || pair.value !== "") : [];
      if (field.maxItems !== undefined && pairs.length > field.maxItems) return t("atMostItems", { max: field.maxItems });
      if (pairs.some((pair) => pair.key.trim() === "")) return t("labelKeyRequired");
      const keys = pairs.map((pair) => pair.key.trim().toLowerCase());
      return new Set(keys).size === keys.length ? null : t("labelKeyTwice");
    }
    case "boolean":
      return null;
  }
}

/** The zod schema of a type's form: the common fields, and each setting checked as above. */
export function channelFormSchema(fields: readonly ChannelField[], mode: FormMode) {
  return channelFormBase.superRefine((values, ctx) => {
    for (const field of fields) {
      const problem = fieldProblem(field, values.config[field.name], mode, values.clear[field.name] === true);
      if (problem) ctx.addIssue({ code: "custom", path: ["config", field.name], message: problem });
    }
  });
}

/** The form's values for a new channel of `type`, or for `channel` as stored. */
export function channelFormDefaults(fields: readonly ChannelField[], type: string, channel?: Channel): ChannelFormValues {
  const config: Record<string, ConfigValue> = {};
  for (const field of fields) {
    const stored: unknown = field.secret ? undefined : channel?.config[field.name];
    if (stored === undefined || stored === null) config[field.name] = emptyValue(field);
    else if (field.kind === "boolean") config[field.name] = stored === true;
    else if (field.kind === "list") config[field.name] = Array.isArray(stored) ? stored.map(textOf).join("\n") : textOf(stored);
    else if (field.kind === "map") config[field.name] = isObject(stored) ? Object.entries(stored).map(([key, value]) => ({ key, value: textOf(value) })) : [];
    else config[field.name] = textOf(stored);
  }
  return {
    type,
    name: channel?.name ?? "",
    enabled: channel?.enabled ?? true,
    daily_summary: channel?.daily_summary ?? false,
    config,
    clear: Object.fromEntries(fields.filter((field) => field.secret).map((field) => [field.name, false])),
  };
}

/** What an empty field sends: null clears an optional setting; undefined leaves it out. */
function blankValue(field: ChannelField): unknown {
  if (field.kind === "boolean") return false;
  if (field.nullable) return null;
  if (field.kind === "map") return {};
  if (field.kind === "list") return [];
  return undefined;
}

function apiValue(field: ChannelField, value: ConfigValue | undefined): unknown {
  if (value === undefined || isBlank(value)) return blankValue(field);
  if (field.kind === "boolean") return value === true;
  if (Array.isArray(value)) return Object.fromEntries(value.filter((pair) => pair.key.trim() !== "").map((pair) => [pair.key.trim(), pair.value]));
  const text = typeof value === "string" ? value : "";
  if (field.kind === "integer" || field.kind === "number") return Number(text.trim());
  if (field.kind === "list") return splitList(text);
  return field.kind === "secretMultiline" || field.kind === "textarea" ? text : text.trim();
}

/**
 * The settings to send. Creating: what was filled in. Editing: every plain setting (an emptied
 * optional one as null, which clears it), and a secret only when retyped — or null when the
 * user chose to remove it; an untouched secret is left out, so the server keeps it.
 */
export function toConfig(fields: readonly ChannelField[], values: ChannelFormValues, mode: FormMode): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values.config[field.name];
    if (field.secret) {
      if (mode.editing && values.clear[field.name] === true) config[field.name] = null;
      else if (!isBlank(value)) config[field.name] = apiValue(field, value);
      continue;
    }
    const converted = apiValue(field, value);
    if (converted === undefined || (converted === null && !mode.editing)) continue;
    config[field.name] = converted;
  }
  return config;
}

export function toChannelCreate(fields: readonly ChannelField[], values: ChannelFormValues): ChannelCreate {
  return {
    type: values.type,
    name: values.name.trim(),
    enabled: values.enabled,
    daily_summary: values.daily_summary,
    config: toConfig(fields, values, { editing: false, secretsSet: [] }),
  };
}

export function toChannelUpdate(fields: readonly ChannelField[], values: ChannelFormValues, secretsSet: readonly string[]): ChannelUpdate {
  return {
    name: values.name.trim(),
    enabled: values.enabled,
    daily_summary: values.daily_summary,
    config: toConfig(fields, values, { editing: true, secretsSet }),
  };
}
