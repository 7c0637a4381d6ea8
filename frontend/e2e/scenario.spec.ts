// The whole story of issue 11, as a new admin lives it in the browser: sign in as the first
// admin, add a host and start its real agent, watch it come online and its charts fill, wire a
// webhook and a CPU rule, see the alert arrive live and acknowledge it, invite a viewer who
// finds nothing to change (and whose writes the API refuses), and sign out.
import type { Page } from "@playwright/test";
import { admin, expect, expectAccessible, joinByInvitation, screenshots, signIn, test } from "./fixtures";
import { type RunningAgent, startAgent, startWebhookReceiver, type WebhookReceiver } from "./platform";

test.describe.configure({ mode: "serial" });

const run = `scenario-${Date.now().toString(36)}`;
const host = `${run}-web`;
const channel = `${run}-hook`;
const viewer = { username: `${run}-viewer`, email: `${run}-viewer@example.com`, password: "viewer-password-1" };
let agent: RunningAgent | undefined;
let receiver: WebhookReceiver;
let invitation = "";

test.beforeAll(async () => {
  receiver = await startWebhookReceiver();
});

test.afterAll(async () => {
  await agent?.stop();
  await receiver.close();
});

const section = (page: Page, name: string) =>
  page.getByRole("navigation", { name: "Alert sections" }).getByRole("link", { name, exact: true });

test("an admin adds a host, sees it live, is alerted about it and acknowledges", async ({ page }) => {
  test.setTimeout(300_000);
  await signIn(page, admin.username, admin.password);

  // A host: its token once, the real agent started with it.
  await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Agents" }).click();
  await page.getByRole("button", { name: "Add agent" }).first().click();
  const form = page.getByRole("dialog", { name: "Add an agent" });
  await form.getByLabel("Name").fill(host);
  await form.getByRole("button", { name: "Create agent and show its token" }).click();
  const ready = page.getByRole("dialog", { name: `${host} is ready: start its agent` });
  const token = await ready.getByLabel("Agent token").inputValue();
  agent = startAgent(token, 1);
  await expect(ready.getByRole("status")).toContainText("The agent is reporting", { timeout: 60_000 });
  await ready.getByRole("button", { name: "Done, I have stored the token" }).click();

  // Its card goes online on the home page, and its charts fill.
  await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Hosts" }).click();
  const card = page.locator("article[data-host-card]", { has: page.getByRole("link", { name: host, exact: true }) });
  await expect(card).toContainText("Online", { timeout: 30_000 });
  await screenshots(page, "scenario-hosts");
  await card.getByRole("link", { name: host, exact: true }).click();
  await expect(page.getByRole("heading", { name: host, level: 1 })).toBeVisible();
  const cpu = page.locator('[data-chart-id="cpu"] [data-chart]');
  await expect.poll(async () => Number((await cpu.getAttribute("data-points")) ?? 0), { timeout: 30_000 }).toBeGreaterThan(3);
  await screenshots(page, "scenario-host");

  // A webhook channel to a receiver on this machine, and a rule the host is already over.
  await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Alerts" }).click();
  await section(page, "Channels").click();
  await page.getByRole("button", { name: "New channel" }).first().click();
  const newChannel = page.getByRole("dialog", { name: "New channel" });
  await newChannel.getByLabel("Type").selectOption("webhook");
  await newChannel.getByLabel("Name").fill(channel);
  await newChannel.getByLabel("URL").fill(receiver.url);
  await newChannel.getByRole("button", { name: "Create channel" }).click();
  await expect(newChannel).toBeHidden();

  await section(page, "Rules").click();
  await page.getByRole("button", { name: "New rule" }).first().click();
  const rule = page.getByRole("dialog", { name: "New rule" });
  await rule.getByLabel("Host", { exact: true }).selectOption({ label: host });
  await rule.getByLabel("Metric").selectOption("cpu");
  await rule.getByLabel("Condition").selectOption("ge");
  await rule.getByLabel("Threshold (%)").fill("0");
  await rule.getByRole("group", { name: "Notify" }).getByLabel(channel).check();
  await rule.getByRole("button", { name: "Create rule" }).click();
  await expect(rule).toBeHidden();

  // The alert arrives without a reload, the receiver is told, and it is acknowledged.
  await section(page, "Alerts").click();
  const alert = page.getByRole("listitem").filter({ hasText: host }).filter({ hasText: "CPU ≥ 0%" }).first();
  await expect(alert).toBeVisible({ timeout: 60_000 });
  const notified = await receiver.waitFor((r) => r.body.includes(host), 60_000);
  expect(notified.method).toBe("POST");
  await alert.getByRole("button", { name: "Acknowledge" }).click();
  const ack = page.getByRole("dialog");
  await ack.getByLabel("Comment").fill("on it");
  await ack.getByRole("button", { name: "Acknowledge" }).click();
  await expect(alert.getByRole("button", { name: "Acknowledge" })).toHaveCount(0);
  await expect(alert).toContainText("on it");
  await expectAccessible(page);
  await screenshots(page, "scenario-alerts");

  // A viewer is invited; the link is shown once.
  await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Organization" }).click();
  await page.getByLabel("E-mail").fill(viewer.email);
  await page.getByLabel("Role", { exact: true }).selectOption("viewer");
  await page.getByRole("button", { name: "Invite" }).click();
  invitation = await page.getByRole("dialog").getByLabel("Invitation link").inputValue();
  expect(invitation).toContain("/invitation?token=");
});

test("the viewer joins by the link, finds nothing to change, the API refuses a write, and signs out", async ({ browser, request }) => {
  test.setTimeout(180_000);
  const context = await browser.newContext();
  const page = await context.newPage();
  await joinByInvitation(page, invitation, viewer);

  await expect(page.locator("article[data-host-card]", { has: page.getByRole("link", { name: host, exact: true }) })).toBeVisible();
  await page.goto("/agents");
  await expect(page.locator(`li[data-agent="${host}"]`)).toBeVisible();
  await expect(page.getByRole("button", { name: "Add agent" })).toHaveCount(0);
  await page.goto("/alerts");
  await expect(page.getByRole("listitem").filter({ hasText: host }).first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Acknowledge" })).toHaveCount(0);
  await section(page, "Rules").click();
  await expect(page.getByRole("button", { name: "New rule" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Edit rule/ })).toHaveCount(0);
  await screenshots(page, "scenario-viewer-rules");

  const signedIn = await request.post("/api/auth/token", { form: { username: viewer.username, password: viewer.password } });
  const headers = { Authorization: `Bearer ${((await signedIn.json()) as { access_token: string }).access_token}` };
  const write = await request.post("/api/alerts/rules", { headers, data: { metric: "cpu", condition: "ge", threshold: 1 } });
  expect(write.status()).toBe(403);

  await page.getByRole("button", { name: "Account menu" }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/alerts");
  await expect(page).toHaveURL(/\/login/);
  await context.close();
});
