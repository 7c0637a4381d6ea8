import { type APIRequestContext, type Page } from "@playwright/test";
import { type RunningAgent, startAgent } from "./platform";
import { admin, expect, expectAccessible, screenshots as save, signIn, test } from "./fixtures";

// One agent goes through its whole life: created (token once), started for real, renamed and
// labelled, its token regenerated (the old agent is refused), deleted (the new one is refused).
test.describe.configure({ mode: "serial" });

const name = `agentsorg-${Date.now().toString(36)}`;
const renamed = `${name}-db`;
const agents: RunningAgent[] = [];
let firstToken = "";

// The agents this spec started stop; its agent goes, whatever happened above.
test.afterAll(async ({ request }) => {
  await Promise.all(agents.map((agent) => agent.stop()));
  await deleteLeftovers(request);
});

async function deleteLeftovers(request: APIRequestContext): Promise<void> {
  const login = await request.post("/api/auth/token", { form: { username: admin.username, password: admin.password } });
  const headers = { Authorization: `Bearer ${((await login.json()) as { access_token: string }).access_token}` };
  const list = (await (await request.get("/api/auth/agents", { headers })).json()) as { id: number; name: string }[];
  for (const agent of list.filter((a) => a.name === name || a.name === renamed)) {
    await request.delete(`/api/auth/agents/${agent.id}`, { headers });
  }
}

/** From the top: the shell's sticky bars would otherwise sit mid-page in a full-page shot. */
async function screenshots(page: Page, shot: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await save(page, shot);
}

function row(page: Page, agentName: string) {
  return page.locator(`li[data-agent="${agentName}"]`);
}

async function tokenOf(page: Page): Promise<string> {
  const token = await page.getByRole("dialog").getByLabel("Agent token").inputValue();
  expect(token).toMatch(/^sm_[\w-]{40,}$/);
  return token;
}

test("create an agent: its token shown once, with a countdown and snippets; the real agent comes online", async ({ page, context, baseURL }) => {
  test.setTimeout(180_000); // a real agent's first reports, on a platform other suites share
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signIn(page, admin.username, admin.password);
  await page.goto("/agents");
  await expect(page.getByRole("heading", { name: "Agents", level: 1 })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole("button", { name: "Add agent" }).first().click();
  const form = page.getByRole("dialog", { name: "Add an agent" });
  await form.getByRole("button", { name: "Create agent and show its token" }).click();
  await expect(form.getByText("A name is required.")).toBeVisible();
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Key of label 1").fill("env");
  await form.getByLabel("Value of label 1").fill("e2e");
  await expectAccessible(page);
  await form.getByRole("button", { name: "Create agent and show its token" }).click();

  const dialog = page.getByRole("dialog", { name: `${name} is ready: start its agent` });
  await expect(dialog).toBeVisible();
  firstToken = await tokenOf(page);
  await dialog.getByRole("button", { name: "Copy token" }).click();
  await expect(dialog.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(firstToken);

  // The activation window: AGENT_TOKEN_ACTIVATION_MINUTES (5) counted down live.
  const timer = dialog.getByRole("timer");
  await expect(timer).toHaveText(/Start the agent within 4:5\d|5:00/);
  const before = await timer.textContent();
  await expect(timer).not.toHaveText(before ?? "");

  // Snippets with this page's gateway URL and the token.
  const systemd = dialog.getByLabel("Linux (systemd) commands");
  await expect(systemd).toContainText(`INGESTION_URL=${baseURL ?? ""}/api`);
  await expect(systemd).toContainText(`AGENT_TOKEN=${firstToken}`);
  await dialog.getByRole("tab", { name: "Docker" }).click();
  await expect(dialog.getByLabel("Docker commands")).toContainText(`-e AGENT_TOKEN=${firstToken}`);
  await dialog.getByRole("tab", { name: "pip" }).click();
  await expect(dialog.getByLabel("pip commands")).toContainText("statusmonitor-agent");
  await dialog.getByRole("button", { name: "Copy commands" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(`AGENT_TOKEN=${firstToken}`);
  await expectAccessible(page);
  await screenshots(page, "agents-token");

  // Start the real agent while the dialog waits for it.
  agents.push(startAgent(firstToken));
  await expect(dialog.getByRole("status")).toContainText("The agent is reporting", { timeout: 45_000 });
  await dialog.getByRole("button", { name: "Done, I have stored the token" }).click();
  await expect(dialog).toBeHidden();

  // Shown once: gone from the page, and never again after a reload.
  expect(await page.content()).not.toContain(firstToken);
  await page.reload();
  const agentRow = row(page, name);
  await expect(agentRow).toContainText("Online", { timeout: 30_000 });
  await expect(agentRow).toContainText("env=e2e");
  await expect(agentRow).toContainText(/agent \d+\.\d+/, { timeout: 20_000 });
  await expect(agentRow).toContainText(/Last seen (just now|\d+ seconds? ago)/);
  expect(await page.content()).not.toContain(firstToken);
  await expectAccessible(page);
  await screenshots(page, "agents");
});

test("rename and relabel it, with each field's error shown", async ({ page }) => {
  await signIn(page, admin.username, admin.password);
  await page.goto("/agents");
  await row(page, name).getByRole("button", { name: `Actions for ${name}` }).click();
  await page.getByRole("menuitem", { name: "Edit name, labels, dependency" }).click();
  const form = page.getByRole("dialog", { name: `Edit ${name}` });
  await form.getByLabel("Name").fill(renamed);
  await form.getByRole("button", { name: "Add label" }).click();
  await form.getByLabel("Key of label 2").fill("k".repeat(65));
  await form.getByLabel("Value of label 2").fill("db");
  await form.getByRole("button", { name: "Add label" }).click();
  await form.getByLabel("Key of label 3").fill("env");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByLabel("Key of label 2")).toHaveAccessibleDescription("Keys have at most 64 characters.");
  await expect(form.getByLabel("Key of label 3")).toHaveAccessibleDescription("This key is used twice.");
  await expectAccessible(page);
  await screenshots(page, "agents-edit");
  await form.getByLabel("Key of label 2").fill("role");
  await form.getByRole("button", { name: "Remove label 3" }).click();
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form).toBeHidden();
  const agentRow = row(page, renamed);
  await expect(agentRow).toContainText("env=e2e");
  await expect(agentRow).toContainText("role=db");
  await page.getByLabel("Filter agents").fill("role=db env=e2e");
  await expect(agentRow).toBeVisible();
  await page.getByLabel("Filter agents").fill("role=none-such");
  await expect(page.getByText("No agent matches")).toBeVisible();
});

test("regenerate its token: the running agent is refused, one started with the new token reports", async ({ page }) => {
  await signIn(page, admin.username, admin.password);
  await page.goto("/agents");
  await row(page, renamed).getByRole("button", { name: `Actions for ${renamed}` }).click();
  await page.getByRole("menuitem", { name: "Regenerate token" }).click();
  const confirm = page.getByRole("alertdialog", { name: `Regenerate the token of ${renamed}?` });
  await expect(confirm).toContainText("stops working at once");
  await confirm.getByRole("button", { name: "Regenerate" }).click();

  const dialog = page.getByRole("dialog", { name: `New token for ${renamed}` });
  await expect(dialog).toBeVisible();
  const secondToken = await tokenOf(page);
  expect(secondToken).not.toBe(firstToken);
  await expect(dialog.getByRole("timer")).toBeVisible();
  // The agent still running with the old token is refused and stops (exit code 3).
  expect(await agents[0]?.exited).toBe(3);
  expect(agents[0]?.output()).toContain("agent token rejected");

  agents.push(startAgent(secondToken));
  await expect(dialog.getByRole("status")).toContainText("The agent is reporting", { timeout: 45_000 });
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(row(page, renamed)).toContainText("Online");
});

test("delete it after confirming: gone from the list, its agent refused", async ({ page }) => {
  await signIn(page, admin.username, admin.password);
  await page.goto("/agents");
  await row(page, renamed).getByRole("button", { name: `Actions for ${renamed}` }).click();
  await page.getByRole("menuitem", { name: "Delete" }).click();
  const confirm = page.getByRole("alertdialog", { name: `Delete ${renamed}?` });
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(row(page, renamed)).toBeVisible();
  await row(page, renamed).getByRole("button", { name: `Actions for ${renamed}` }).click();
  await page.getByRole("menuitem", { name: "Delete" }).click();
  await expectAccessible(page);
  await confirm.getByRole("button", { name: "Delete agent" }).click();
  await expect(confirm).toBeHidden();
  await expect(row(page, renamed)).toHaveCount(0);
  expect(await agents[1]?.exited).toBe(3);
});
