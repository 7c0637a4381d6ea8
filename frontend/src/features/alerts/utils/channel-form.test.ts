import { describe, expect, it } from "vitest";
import type { Channel } from "../api/types";
import { CHANNEL_TYPES } from "./channel-types.fixture";
import { channelFormDefaults, channelFormSchema, fieldsOf, toChannelCreate, toChannelUpdate, type ChannelFormValues } from "./channel-form";

const typeOf = (name: string) => {
  const type = CHANNEL_TYPES.find((candidate) => candidate.type === name);
  if (!type) throw new Error(`no type ${name}`);
  return type;
};

function issues(result: ReturnType<ReturnType<typeof channelFormSchema>["safeParse"]>): Record<string, string> {
  return Object.fromEntries((result.error?.issues ?? []).map((issue) => [issue.path.join("."), issue.message]));
}

const storedWebhook: Channel = {
  id: 7,
  type: "webhook",
  name: "alerts-hook",
  enabled: true,
  daily_summary: false,
  config: { url: "https://example.org/hook", headers: { "X-Team": "ops" } },
  secrets_set: ["secret"],
  secrets_unreadable: false,
  user_id: null,
  created_at: "2026-11-29T08:00:00Z",
  updated_at: "2026-11-29T08:00:00Z",
};

describe("fields generated from a channel type", () => {
  it("reads the webhook's settings: a required URL, a header map and two write-only secrets", () => {
    const fields = fieldsOf(typeOf("webhook"));
    expect(fields.map((field) => [field.name, field.kind, field.required, field.secret])).toEqual([
      ["url", "text", true, false],
      ["headers", "map", false, false],
      ["secret", "secret", false, true],
      ["secret_headers", "secretMultiline", false, true],
    ]);
    expect(fields[0]).toMatchObject({ label: "URL", maxLength: 2048 });
    expect(fields[2]).toMatchObject({ minLength: 8, maxLength: 256, nullable: true });
  });

  it("reads e-mail's list of addresses, optional port range and security choices", () => {
    const fields = Object.fromEntries(fieldsOf(typeOf("email")).map((field) => [field.name, field]));
    expect(fields.to).toMatchObject({ kind: "list", required: true, itemFormat: "email", minItems: 1, maxItems: 20 });
    expect(fields.port).toMatchObject({ kind: "integer", required: false, nullable: true, minimum: 1, maximum: 65535 });
    expect(fields.security).toMatchObject({ kind: "enum", options: ["starttls", "tls", "none"] });
    expect(fields.password).toMatchObject({ kind: "secret", secret: true });
  });

  it("gives every type of the server a form", () => {
    for (const type of CHANNEL_TYPES) expect(fieldsOf(type).length).toBeGreaterThan(0);
  });
});

describe("the generated form's checks", () => {
  const webhook = fieldsOf(typeOf("webhook"));
  const create = channelFormSchema(webhook, { editing: false, secretsSet: [] });
  const blank = channelFormDefaults(webhook, "webhook");

  it("refuses a new webhook without name and URL, and a secret shorter than the server allows", () => {
    const result = create.safeParse({ ...blank, config: { ...blank.config, secret: "short" } });
    expect(issues(result)).toEqual({ name: "Required.", "config.url": "Required.", "config.secret": "At least 8 characters." });
  });

  it("refuses a header without a name and the same header twice", () => {
    const headers = [
      { key: "X-A", value: "1" },
      { key: "x-a", value: "2" },
    ];
    expect(issues(create.safeParse({ ...blank, name: "n", config: { ...blank.config, url: "https://x.org", headers } }))["config.headers"]).toBe(
      "Each name only once.",
    );
    expect(issues(create.safeParse({ ...blank, name: "n", config: { ...blank.config, url: "https://x.org", headers: [{ key: "", value: "1" }] } }))["config.headers"]).toBe(
      "Give each entry a name.",
    );
  });

  it("sends only what was filled in when creating", () => {
    const values: ChannelFormValues = { ...blank, name: " alerts-hook ", config: { ...blank.config, url: " https://example.org/hook ", secret: "s3cret-value" } };
    expect(create.safeParse(values).success).toBe(true);
    expect(toChannelCreate(webhook, values)).toEqual({
      type: "webhook",
      name: "alerts-hook",
      enabled: true,
      daily_summary: false,
      config: { url: "https://example.org/hook", headers: {}, secret: "s3cret-value" },
    });
  });

  it("shows no secret back, keeps a stored one unless retyped, and removes it only on request", () => {
    const defaults = channelFormDefaults(webhook, "webhook", storedWebhook);
    expect(defaults.config.secret).toBe("");
    expect(defaults.config.headers).toEqual([{ key: "X-Team", value: "ops" }]);
    const edit = channelFormSchema(webhook, { editing: true, secretsSet: ["secret"] });
    expect(edit.safeParse(defaults).success).toBe(true);
    expect(toChannelUpdate(webhook, defaults, ["secret"]).config).toEqual({ url: "https://example.org/hook", headers: { "X-Team": "ops" } });
    expect(toChannelUpdate(webhook, { ...defaults, config: { ...defaults.config, secret: "another-secret" } }, ["secret"]).config).toMatchObject({
      secret: "another-secret",
    });
    expect(toChannelUpdate(webhook, { ...defaults, clear: { ...defaults.clear, secret: true } }, ["secret"]).config).toMatchObject({ secret: null });
  });

  it("requires a required secret when creating, not when one is stored", () => {
    const slack = fieldsOf(typeOf("slack"));
    const values = { ...channelFormDefaults(slack, "slack"), name: "s" };
    expect(issues(channelFormSchema(slack, { editing: false, secretsSet: [] }).safeParse(values))["config.webhook_url"]).toBe("Required.");
    expect(channelFormSchema(slack, { editing: true, secretsSet: ["webhook_url"] }).safeParse(values).success).toBe(true);
  });

  it("turns e-mail's text boxes into the types the server expects, and clears emptied settings on edit", () => {
    const email = fieldsOf(typeOf("email"));
    const values: ChannelFormValues = {
      ...channelFormDefaults(email, "email"),
      name: "mail",
      config: { to: "a@example.org,\nb@example.org", host: "", port: "587", username: "", password: "", security: "starttls", from_address: "" },
    };
    const schema = channelFormSchema(email, { editing: false, secretsSet: [] });
    expect(schema.safeParse(values).success).toBe(true);
    expect(toChannelCreate(email, values).config).toEqual({ to: ["a@example.org", "b@example.org"], port: 587, security: "starttls" });
    expect(toChannelUpdate(email, values, []).config).toEqual({
      to: ["a@example.org", "b@example.org"],
      host: null,
      port: 587,
      username: null,
      security: "starttls",
      from_address: null,
    });
    expect(issues(schema.safeParse({ ...values, config: { ...values.config, to: "nobody", port: "70000" } }))).toEqual({
      "config.to": "“nobody” is not an e-mail address.",
      "config.port": "At most 65535.",
    });
  });
});
