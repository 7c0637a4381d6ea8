// The alert area against a running platform: a webhook channel to a receiver this spec starts,
// its test send; a CPU rule on a real agent's host; the alert appearing in the Alerts tab
// without a reload, acknowledged with a comment; silences and a maintenance window; and a
// viewer who finds nothing to change. Every object it makes is named "alerts-…" and removed.
//
// Webhooks to 127.0.0.1: the alert service's outbound guard refuses loopback and private
// targets unless ALERT_OUTBOUND_ALLOW_PRIVATE=true (core/outbound.py). Against a platform
// started without it, the spec expects the test send to fail with that refusal, named in the
// page; with it (set SM_OUTBOUND_ALLOW_PRIVATE=1 for the spec too) the receiver must get the
// test and the firing notification.
import { type APIRequestContext, type Page, request as playwrightRequest } from "@playwright/test";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { admin, expect, expectAccessible, screenshots, signIn, test } from "./fixtures";
import { type RunningAgent, startAgent } from "./platform";

const LOOPBACK_ALLOWED = process.env.SM_OUTBOUND_ALLOW_PRIVATE === "1";
const stamp = Date.now().toString(36);
const names = {
  agent: `alerts-e2e-${stamp}`,
  channel: `alerts-hook-${stamp}`,
  viewer: `alerts-viewer-${stamp}`,
  operator: `alerts-operator-${stamp}`,
};

interface Received {
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

const received: Received[] = [];
let receiver: Server;
let receiverUrl = "";
let api: APIRequestContext;
let agentProcess: RunningAgent | undefined;
const created: { agentId?: number; ruleIds: number[]; channelIds: number[]; memberIds: number[] } = { ruleIds: [], channelIds: [], memberIds: [] };

async function token(username: string, password: string, baseURL: string): Promise<string> {
  const context = await playwrightRequest.newContext({ baseURL });
  const answer = await context.post("/api/auth/token", { form: { username, password } });
  expect(answer.ok(), await answer.text()).toBe(true);
  const { access_token } = (await answer.json()) as { access_token: string };
  await context.dispose();
  return access_token;
}

async function json<T>(response: Awaited<ReturnType<APIRequestContext["get"]>>): Promise<T> {
  expect(response.ok(), `${response.url()}: ${response.status()} ${await response.text()}`).toBe(true);
  return (await response.json()) as T;
}

/** The fixture's screenshots, taken from the top of the page (steps scroll down to click). */
async function shots(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshots(page, name);
}

test.describe.configure({ mode: "serial" });
// Not UTC, so times typed and times shown are converted: windows carry the browser's zone.
test.use({ timezoneId: "America/New_York" });

test.beforeAll(async ({ baseURL }) => {
  const base = baseURL ?? "http://localhost:8080";
  api = await playwrightRequest.newContext({ baseURL: base, extraHTTPHeaders: { Authorization: `Bearer ${await token(admin.username, admin.password, base)}` } });

  receiver = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString()));
    req.on("end", () => {
      received.push({ headers: req.headers, body: JSON.parse(raw || "{}") as Record<string, unknown> });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  // A real host: the agent with a token of its own, in its own HOME (its own queue).
  const agent = await json<{ id: number; token: string }>(await api.post("/api/auth/agents", { data: { name: names.agent } }));
  created.agentId = agent.id;
  agentProcess = startAgent(agent.token, 1);
});

test.afterAll(async () => {
  await agentProcess?.stop();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  // Whatever a failed run left behind (each delete is harmless when it is already gone).
  const silences = await json<{ id: number; comment: string }[]>(await api.get("/api/alerts/silences"));
  for (const silence of silences.filter((s) => s.comment.startsWith("alerts-"))) await api.delete(`/api/alerts/silences/${silence.id}`);
  for (const id of created.ruleIds) await api.delete(`/api/alerts/rules/${id}`);
  const channels = await json<{ id: number; name: string }[]>(await api.get("/api/alerts/channels"));
  for (const channel of channels.filter((c) => c.name === names.channel)) await api.delete(`/api/alerts/channels/${channel.id}`);
  for (const channel of channels.filter((c) => c.name.includes(names.operator))) await api.delete(`/api/alerts/channels/${channel.id}`);
  for (const id of created.memberIds) await api.delete(`/api/auth/members/${id}`);
  if (created.agentId) await api.delete(`/api/auth/agents/${created.agentId}`);
  await api.dispose();
});

test("an operator wires a webhook, a CPU rule fires on a real host, and is acknowledged and silenced", async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, admin.username, admin.password);

  await test.step("channels: create a webhook to the local receiver from the generated form, send a test", async () => {
    await page.getByRole("link", { name: "Alerts", exact: true }).first().click();
    await page.getByRole("navigation", { name: "Alert sections" }).getByRole("link", { name: "Channels" }).click();
    await expect(page.getByRole("heading", { name: "Your Telegram" })).toBeVisible();
    await page.getByRole("button", { name: "New channel" }).first().click();
    const dialog = page.getByRole("dialog", { name: "New channel" });
    await dialog.getByLabel("Type").selectOption("webhook");
    await dialog.getByRole("button", { name: "Create channel" }).click();
    await expect(dialog.getByLabel("URL")).toHaveAttribute("aria-invalid", "true"); // checked before sending
    await dialog.getByLabel("Name").fill(names.channel);
    await dialog.getByLabel("URL").fill(receiverUrl);
    await dialog.getByLabel("Secret (optional)").fill("alerts-signing-secret");
    await expectAccessible(page);
    await dialog.getByRole("button", { name: "Create channel" }).click();
    await expect(dialog).toBeHidden();

    const row = page.locator("li", { has: page.getByRole("heading", { name: names.channel }) });
    await expect(row).toContainText("Secrets set: secret");
    await expect(row).not.toContainText("alerts-signing-secret");
    const channels = await json<{ id: number; name: string }[]>(await api.get("/api/alerts/channels"));
    created.channelIds.push(...channels.filter((c) => c.name === names.channel).map((c) => c.id));

    // Editing leaves the secret as stored unless it is typed again.
    await row.getByRole("button", { name: `Edit ${names.channel}` }).click();
    const edit = page.getByRole("dialog", { name: `Edit ${names.channel}` });
    await expect(edit.getByLabel("Secret (optional)")).toHaveValue("");
    await expect(edit.getByLabel("Secret (optional)")).toHaveAttribute("placeholder", "•••••• (unchanged)");
    await edit.getByLabel("URL").fill(`${receiverUrl}?team=ops`);
    await edit.getByRole("button", { name: "Save channel" }).click();
    await expect(edit).toBeHidden();
    await expect(row).toContainText("/hook?team=ops");
    await expect(row).toContainText("Secrets set: secret");

    await row.getByRole("button", { name: `Send a test to ${names.channel}` }).click();
    if (LOOPBACK_ALLOWED) {
      await expect(row.getByRole("status")).toHaveText("Test notification sent. Check that it arrived.");
      expect(received.some((r) => r.headers["x-statusmonitor-event"] === "test")).toBe(true);
    } else {
      // The shared platform runs without ALERT_OUTBOUND_ALLOW_PRIVATE: the guard's refusal, in words.
      const refusal = row.getByRole("alert");
      await expect(refusal).toContainText("The test failed: refused to connect to 127.0.0.1");
      await expect(refusal).toContainText("loopback");
      await expect(refusal).toContainText("ALERT_OUTBOUND_ALLOW_PRIVATE=true");
      expect(received).toHaveLength(0);
    }
    await row.getByRole("button", { name: `Delivery log of ${names.channel}` }).click();
    const log = page.getByRole("dialog", { name: `Deliveries to ${names.channel}` });
    await expect(log.getByRole("listitem").first()).toContainText(LOOPBACK_ALLOWED ? "Sent" : "Failed");
    await expect(log.getByRole("listitem").first()).toContainText("Test");
    await log.getByRole("button", { name: "Close" }).click();
    await expectAccessible(page);
    await shots(page, "alerts-channels");
  });

  await test.step("rules: a CPU rule on the agent's host, the current value shown beside the threshold", async () => {
    await expect
      .poll(async () => (await json<{ data: { id: number; values: Record<string, number> }[] }>(await api.get("/api/auth/agents/overview"))).data.find((h) => h.id === created.agentId)?.values.cpu_percent, {
        timeout: 60_000,
      })
      .toBeDefined();
    await page.getByRole("navigation", { name: "Alert sections" }).getByRole("link", { name: "Rules" }).click();
    await page.getByRole("button", { name: "New rule" }).first().click();
    const dialog = page.getByRole("dialog", { name: "New rule" });
    await dialog.getByLabel("Host", { exact: true }).selectOption({ label: names.agent });
    await dialog.getByLabel("Metric").selectOption("cpu");
    await dialog.getByLabel("Threshold (%)").fill("150");
    await dialog.getByRole("button", { name: "Create rule" }).click();
    await expect(dialog.getByText("A percentage must be between 0 and 100.")).toBeVisible();
    await dialog.getByLabel("Condition").selectOption("ge");
    await dialog.getByLabel("Threshold (%)").fill("0");
    await expect(dialog.getByText(new RegExp(`Now on ${names.agent}: [\\d.,]+% — would fire`))).toBeVisible();
    await dialog.getByLabel("Remind every (seconds)").fill("3600");
    await dialog.getByRole("group", { name: "Notify" }).getByLabel(names.channel).check();
    await expectAccessible(page);
    await dialog.getByRole("button", { name: "Create rule" }).click();
    await expect(dialog).toBeHidden();
    const rules = await json<{ id: number; agent_id: number | null }[]>(await api.get("/api/alerts/rules"));
    const rule = rules.find((r) => r.agent_id === created.agentId);
    expect(rule).toBeDefined();
    created.ruleIds.push(rule?.id ?? 0);
    const row = page.locator(`[data-rule-id="${rule?.id}"]`);
    await expect(row).toContainText("CPU ≥ 0%");
    await expect(row).toContainText(names.agent);
    await expect(row).toContainText(`notifies ${names.channel}`);
    await row.getByRole("button", { name: `Edit rule #${rule?.id} CPU ≥ 0%` }).click();
    const edit = page.getByRole("dialog", { name: `Edit rule #${rule?.id}` });
    await expect(edit.getByLabel("Host", { exact: true })).toBeDisabled(); // a rule keeps its host
    await edit.getByLabel("Remind every (seconds)").fill("7200");
    await edit.getByRole("button", { name: "Save rule" }).click();
    await expect(edit).toBeHidden();
    await expect(row).toContainText("reminds every 2 h");
    await shots(page, "alerts-rules");
  });

  await test.step("alerts: the alert appears without a reload, is acknowledged with a comment and silenced", async () => {
    await page.evaluate(() => Object.assign(window, { alertsNoReload: true }));
    await page.getByRole("navigation", { name: "Alert sections" }).getByRole("link", { name: "Alerts" }).click();
    const row = page.getByRole("listitem").filter({ hasText: names.agent }).filter({ hasText: "CPU ≥ 0%" }).first();
    await expect(row).toBeVisible({ timeout: 60_000 });
    await expect(row).toContainText("Firing");
    expect(await page.evaluate(() => "alertsNoReload" in window)).toBe(true); // polled in, not reloaded

    await page.getByLabel("Host").selectOption({ label: names.agent });
    await expect(page).toHaveURL(new RegExp(`host=${created.agentId}`));
    await page.getByLabel("Status").selectOption("firing");
    await expect(page).toHaveURL(/status=firing/);
    await expect(row).toBeVisible();

    await row.getByRole("button", { name: "Acknowledge" }).click();
    const ack = page.getByRole("dialog");
    await ack.getByLabel("Comment").fill("alerts-e2e: looking into it");
    await expectAccessible(page);
    await ack.getByRole("button", { name: "Acknowledge" }).click();
    await expect(ack).toBeHidden();
    await expect(row).toContainText("Acknowledged by");
    await expect(row).toContainText("“alerts-e2e: looking into it”");
    await expect(row.getByRole("button", { name: "Acknowledge" })).toHaveCount(0);

    await row.getByRole("button", { name: "Silence" }).click();
    const silence = page.getByRole("dialog", { name: "Silence this alert" });
    await expect(silence.getByLabel(`this host: ${names.agent}`)).toBeChecked();
    await silence.getByText("4 hours").click();
    await silence.getByLabel("Comment").fill("alerts-e2e: from the alert");
    await expectAccessible(page);
    await silence.getByRole("button", { name: "Silence" }).click();
    await expect(silence.getByRole("status")).toContainText("Silenced until");
    await silence.getByRole("button", { name: "Close" }).first().click();
    if (LOOPBACK_ALLOWED) {
      await expect.poll(() => received.some((r) => r.headers["x-statusmonitor-event"] === "firing"), { timeout: 60_000 }).toBe(true);
    }
    await expectAccessible(page);
    await shots(page, "alerts-list");
  });

  await test.step("silences: the alert's silence is listed; a silence and a weekly window are created and deleted", async () => {
    // A window another client stored in UTC is shown in the browser's zone as well.
    await json(
      await api.post("/api/alerts/silences", {
        data: { weekdays: [0], window_start: "01:00", window_end: "03:00", timezone: "UTC", comment: "alerts-e2e: utc window", agent_id: created.agentId },
      }),
    );
    await page.getByRole("navigation", { name: "Alert sections" }).getByRole("link", { name: "Silences" }).click();
    const fromAlert = page.getByRole("listitem").filter({ hasText: "alerts-e2e: from the alert" });
    await expect(fromAlert).toContainText(`Host ${names.agent}`);
    await expect(fromAlert).toContainText("Active now");

    await page.getByRole("button", { name: "New silence" }).click();
    let dialog = page.getByRole("dialog", { name: "New silence" });
    await dialog.getByLabel("Host", { exact: true }).selectOption({ label: names.agent });
    await dialog.getByRole("button", { name: "Create silence" }).click();
    await expect(dialog.getByText("Required.")).toBeVisible();
    await dialog.getByRole("group", { name: "End after" }).getByRole("button", { name: "1 hour" }).click();
    await dialog.getByLabel("Comment").fill("alerts-e2e: planned silence");
    await dialog.getByRole("button", { name: "Create silence" }).click();
    await expect(dialog).toBeHidden();
    const planned = page.getByRole("listitem").filter({ hasText: "alerts-e2e: planned silence" });
    await expect(planned).toContainText("Active now");
    await expect(planned).toContainText(/ends in (1 hour|60 minutes)/);

    await page.getByRole("button", { name: "New maintenance window" }).click();
    dialog = page.getByRole("dialog", { name: "New maintenance window" });
    await dialog.getByLabel("Saturday").check();
    await dialog.getByLabel("Sunday").uncheck();
    await dialog.getByLabel("Sunday").check();
    await dialog.getByLabel("From").fill("23:00");
    await dialog.getByLabel("Until").fill("01:30");
    await dialog.getByLabel("Comment").fill("alerts-e2e: weekly backups");
    const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    await expect(dialog).toContainText(`Times in your time zone (${zone}).`);
    await expectAccessible(page);
    await dialog.getByRole("button", { name: "Create window" }).click();
    await expect(dialog).toBeHidden();
    const weeklyRow = page.getByRole("listitem").filter({ hasText: "alerts-e2e: weekly backups" });
    await expect(weeklyRow).toContainText(`23:00–01:30 (${zone})`);
    await expect(page.getByRole("listitem").filter({ hasText: "alerts-e2e: utc window" })).toContainText(
      /Mon 01:00–03:00 \(UTC\) · your time: Sun (20|21):00–(22|23):00/,
    );
    const stored = (await json<{ comment: string; weekdays: number[]; timezone: string }[]>(await api.get("/api/alerts/silences"))).find(
      (s) => s.comment === "alerts-e2e: weekly backups",
    );
    expect(stored).toMatchObject({ weekdays: [5, 6], timezone: zone }); // Monday = 0
    await expectAccessible(page);
    await shots(page, "alerts-silences");

    for (const item of [planned, weeklyRow]) {
      await item.getByRole("button", { name: /^Delete silence/ }).click();
      await page.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
      await expect(item).toHaveCount(0);
    }
    await fromAlert.getByRole("button", { name: /^Delete silence/ }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
    await expect(fromAlert).toHaveCount(0);
  });

  await test.step("clean up through the page: delete the rule and the channel after confirming", async () => {
    await page.getByRole("navigation", { name: "Alert sections" }).getByRole("link", { name: "Rules" }).click();
    const ruleId = created.ruleIds[0] ?? 0;
    await page.getByRole("button", { name: `Delete rule #${ruleId} CPU ≥ 0%` }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
    await expect(page.locator(`[data-rule-id="${ruleId}"]`)).toHaveCount(0);
    await page.getByRole("navigation", { name: "Alert sections" }).getByRole("link", { name: "Channels" }).click();
    await page.getByRole("button", { name: `Delete ${names.channel}` }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
    await expect(page.getByRole("heading", { name: names.channel })).toHaveCount(0);
  });
});

/** A member of the admin's organization with `role`, signed up through an invitation. */
async function member(username: string, role: "viewer" | "operator", baseURL: string): Promise<string> {
  const password = `alerts-${stamp}-Pw!`;
  const email = `${username}@example.org`;
  const invitation = await json<{ token: string }>(await api.post("/api/auth/members", { data: { email, role } }));
  const context = await playwrightRequest.newContext({ baseURL });
  await json(await context.post("/api/auth/register", { data: { username, email, password, invitation_token: invitation.token } }));
  await context.dispose();
  const members = await json<{ user_id: number | null; email: string }[]>(await api.get("/api/auth/members"));
  const id = members.find((m) => m.email === email)?.user_id;
  if (id != null) created.memberIds.push(id);
  return password;
}

test("an operator links their Telegram chat: the steps and the code to send the bot", async ({ page, baseURL }) => {
  const password = await member(names.operator, "operator", baseURL ?? "http://localhost:8080");
  await signIn(page, names.operator, password);
  await page.goto("/alerts/channels");
  const card = page.getByRole("region", { name: "Your Telegram" });
  await expect(card).toContainText("No chat set yet.");
  await card.getByLabel("Chat id").fill("not a chat");
  await card.getByRole("button", { name: "Set chat" }).click();
  await expect(card.getByText("A numeric chat id (negative for groups) or @channelname of 5–32 letters, digits or _.")).toBeVisible();
  await card.getByLabel("Chat id").fill("123456789");
  await card.getByRole("button", { name: "Set chat" }).click();
  await expect(card).toContainText("Chat 123456789");
  await expect(card).toContainText("Not confirmed");
  const code = card.locator("code");
  await expect(code).toHaveText(/^\/start [A-HJ-NP-Z2-9]{8}$/);
  await expect(card).toContainText("Send /start");
  await expect(card).toContainText("Waiting for the bot to see the code");
  // Their personal channel is listed, theirs to change.
  await expect(page.getByRole("heading", { name: `Telegram (${names.operator})` })).toBeVisible();
  await expectAccessible(page);
  await shots(page, "alerts-telegram");
});

test("a viewer reads every tab and finds nothing to change; the API refuses the write", async ({ page, baseURL }) => {
  const password = await member(names.viewer, "viewer", baseURL ?? "http://localhost:8080");
  await signIn(page, names.viewer, password);
  await page.goto("/alerts");
  await expect(page.getByRole("heading", { name: "Alerts", level: 1 })).toBeVisible();
  await expect(page.getByLabel("Status")).toBeVisible();
  await expect(page.getByRole("button", { name: "Acknowledge" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Silence" })).toHaveCount(0);
  await page.goto("/alerts/rules");
  await expect(page.getByRole("heading", { name: "Rules", exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "New rule" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^(Edit|Delete) rule/ })).toHaveCount(0);
  await page.goto("/alerts/channels");
  await expect(page.getByRole("heading", { name: "Your Telegram" })).toBeVisible();
  await expect(page.getByRole("button", { name: "New channel" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Send a test/ })).toHaveCount(0);
  await expect(page.getByText("Setting a chat needs the operator or admin role.")).toBeVisible();
  await page.goto("/alerts/silences");
  await expect(page.getByRole("heading", { name: "Maintenance windows", exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: /^New (silence|maintenance window)/ })).toHaveCount(0);
  await expectAccessible(page);

  const viewerToken = await token(names.viewer, password, baseURL ?? "http://localhost:8080");
  const refused = await page.request.post("/api/alerts/rules", {
    headers: { Authorization: `Bearer ${viewerToken}` },
    data: { metric_type: "cpu", condition: "gt", threshold: 1 },
  });
  expect(refused.status()).toBe(403);
});
