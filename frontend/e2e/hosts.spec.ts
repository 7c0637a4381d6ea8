// The hosts home page against the real platform: a real agent's card goes online and its
// numbers move without a reload; pushed reports drive search, filters, sort and the table.
import { type APIRequestContext, type Page, request as playwrightRequest } from "@playwright/test";
import { admin, expect, expectAccessible, screenshots, signIn, test } from "./fixtures";
import { baseURL as BASE_URL, type RunningAgent, startAgent } from "./platform";
const RUN = `hosts-e2e-${Date.now().toString(36)}`; // every object this spec makes carries it

interface Created {
  id: number;
  token: string;
  name: string;
}

let api: APIRequestContext;
let headers: Record<string, string>;
const created: Created[] = [];
let agentProcess: RunningAgent | undefined;

async function createAgent(name: string, labels: Record<string, string>): Promise<Created> {
  const answer = await api.post("/api/auth/agents", { headers, data: { name, labels } });
  expect(answer.status(), await answer.text()).toBe(201);
  const body = (await answer.json()) as { id: number; token: string };
  const agent = { id: body.id, token: body.token, name };
  created.push(agent);
  return agent;
}

async function report(agent: Created, cpu: number, extra: { memory?: number; disk?: number; interval?: number } = {}): Promise<void> {
  const answer = await api.post("/api/ingest", {
    headers: { "X-Agent-Token": agent.token },
    data: {
      cpu: { percent: cpu },
      memory: { percent: extra.memory ?? 40 },
      disk: { percent: extra.disk ?? 50 },
      network: { recv_bytes_per_s: 2048, sent_bytes_per_s: 1024 },
      interval: extra.interval ?? 60,
      timestamp: Date.now() / 1000,
    },
  });
  expect(answer.status(), await answer.text()).toBeLessThan(300);
}

const card = (page: Page, name: string) => page.locator("article[data-host-card]", { has: page.getByRole("link", { name, exact: true }) });
const cardNames = (page: Page) => page.locator("article[data-host-card] h3").allTextContents();

test.describe.configure({ mode: "serial" });

let web: Created;
let db: Created;
let ci: Created;
let gone: Created;
let real: Created;

test.beforeAll(async () => {
  api = await playwrightRequest.newContext({ baseURL: BASE_URL });
  const login = await api.post("/api/auth/token", { form: { username: admin.username, password: admin.password } });
  expect(login.ok(), await login.text()).toBe(true);
  headers = { Authorization: `Bearer ${((await login.json()) as { access_token: string }).access_token}` };

  web = await createAgent(`${RUN}-web`, { e2e: RUN, role: "web" });
  db = await createAgent(`${RUN}-db`, { e2e: RUN, role: "db" });
  ci = await createAgent(`${RUN}-ci`, { e2e: RUN, role: "ci" });
  gone = await createAgent(`${RUN}-gone`, { e2e: RUN, role: "web" });
  real = await createAgent(`${RUN}-real`, { e2e: RUN, role: "real" });
  await createAgent(`${RUN}-new`, { e2e: RUN }); // never reports
  await report(web, 35, { memory: 20, disk: 30 });
  await report(db, 95, { memory: 75, disk: 60 });
  await report(ci, 60, { memory: 50, disk: 92 });

  agentProcess = startAgent(real.token, 2);
});

test.afterAll(async () => {
  await agentProcess?.stop();
  for (const agent of created) await api.delete(`/api/auth/agents/${agent.id}`, { headers });
  await api.dispose();
});

test("a real agent's card goes online and its numbers change live, without a reload", async ({ page }) => {
  await signIn(page, admin.username, admin.password);
  await page.goto(`/hosts?q=${RUN}`);
  await expect(page.getByRole("heading", { name: "Hosts", level: 1 })).toBeVisible();
  await expect(page.getByText("Showing 6 of")).toBeVisible();

  const realCard = card(page, real.name);
  await expect(realCard.getByText("Online")).toBeVisible({ timeout: 30_000 });
  const numbers = () => realCard.locator("dd").allTextContents();
  const first = await numbers();
  await expect.poll(numbers, { timeout: 20_000, message: "CPU, memory, disk or network of the real agent change" }).not.toEqual(first);
  await expect.poll(async () => Number(await realCard.locator("svg[data-points]").getAttribute("data-points")), { timeout: 20_000 }).toBeGreaterThan(1);

  // A pushed report shows up on its card within the topic's second, colour and all.
  const webCard = card(page, web.name);
  await expect(webCard.locator('[data-metric="cpu"]')).toHaveText("35%");
  await report(web, 77.7);
  await expect(webCard.locator('[data-metric="cpu"]')).toHaveText("77.7%");
  await expect(card(page, `${RUN}-new`).getByText("Never reported")).toBeVisible();

  // A host that falls silent turns offline on its own (one report, a 1 s interval).
  await report(gone, 10, { interval: 1 });
  await expect(card(page, gone.name).getByText("Online")).toBeVisible();
  await expect(card(page, gone.name).getByText("Offline")).toBeVisible({ timeout: 15_000 });

  // The page never reloaded: the same document all along.
  expect(await page.evaluate(() => performance.getEntriesByType("navigation").length)).toBe(1);
  await expectAccessible(page);
  await screenshots(page, "hosts-grid");
});

test("search, status and label filters, sort and the table view, all in the URL", async ({ page }) => {
  await signIn(page, admin.username, admin.password);
  await page.goto("/hosts");
  await page.evaluate(() => localStorage.removeItem("sm-hosts-view"));
  await page.getByRole("searchbox", { name: "Search hosts" }).fill(RUN);
  await expect(page).toHaveURL(new RegExp(`q=${RUN}`));
  await expect(page.getByText("Showing 6 of")).toBeVisible();

  await page.getByRole("searchbox", { name: "Search hosts" }).fill(`${RUN} role=web`);
  await expect.poll(() => cardNames(page)).toEqual([gone.name, web.name]);

  await page.getByRole("searchbox", { name: "Search hosts" }).fill(RUN);
  await page.getByRole("combobox", { name: "Status" }).selectOption("never");
  await expect.poll(() => cardNames(page)).toEqual([`${RUN}-new`]);
  await page.getByRole("combobox", { name: "Status" }).selectOption("");

  await page.getByRole("button", { name: "Labels" }).click();
  await page.getByRole("menuitemcheckbox", { name: /^role=db / }).click();
  await page.getByRole("menuitemcheckbox", { name: /^role=ci / }).click();
  await page.keyboard.press("Escape");
  await expect.poll(() => cardNames(page)).toEqual([ci.name, db.name]);
  await expect(page).toHaveURL(/labels=/);
  await page.getByRole("button", { name: "Labels (2)" }).click();
  await page.getByRole("menuitemcheckbox", { name: /^role=web / }).click();
  await page.keyboard.press("Escape");
  await expect.poll(() => cardNames(page)).toEqual([ci.name, db.name, gone.name, web.name]);

  await page.getByRole("combobox", { name: "Sort by" }).selectOption("cpu");
  await expect(page).toHaveURL(/sort=cpu/);
  await expect.poll(() => cardNames(page)).toEqual([db.name, web.name, ci.name, gone.name]); // 95, 77.7, 60, 10 %
  await expect(card(page, db.name).getByRole("meter", { name: `CPU ${db.name}` }).locator("div")).toHaveClass(/bg-(warn|crit)/);
  await page.getByRole("button", { name: "Reverse the order" }).click();
  await expect.poll(() => cardNames(page)).toEqual([gone.name, ci.name, web.name, db.name]);
  await page.getByRole("combobox", { name: "Sort by" }).selectOption("disk");
  await expect.poll(async () => (await cardNames(page))[0]).toBe(ci.name); // 92 %

  // The table: the same rows, sortable from its headers; the choice outlives a reload.
  await page.getByRole("button", { name: "Table" }).click();
  await expect(page.getByRole("table")).toBeVisible();
  const rowNames = () => page.locator("tbody tr[data-host-row] a").allTextContents();
  await expect.poll(async () => (await rowNames())[0]).toBe(ci.name);
  await page.getByRole("button", { name: "Name", exact: true }).click();
  await expect(page.getByRole("columnheader", { name: "Name" })).toHaveAttribute("aria-sort", "ascending");
  await expect.poll(rowNames).toEqual([ci.name, db.name, gone.name, web.name]);
  await page.getByRole("button", { name: "Clear filters" }).click();
  await page.getByRole("searchbox", { name: "Search hosts" }).fill(RUN);
  await expect.poll(async () => (await rowNames()).length).toBe(6);
  await expectAccessible(page);
  await screenshots(page, "hosts-table");

  await page.reload();
  await expect(page.getByRole("table")).toBeVisible();
  await expect(page.getByRole("searchbox", { name: "Search hosts" })).toHaveValue(RUN);
  await page.getByRole("button", { name: "Grid" }).click();
  await expect(page.locator("article[data-host-card]").first()).toBeVisible();

  // Each card leads to its host's page.
  await card(page, db.name).getByRole("link", { name: db.name }).click();
  await expect(page).toHaveURL(new RegExp(`/hosts/${db.id}$`));
});

test("⌘K offers every host", async ({ page }) => {
  await signIn(page, admin.username, admin.password);
  await expect(page.getByRole("heading", { name: "Hosts", level: 1 })).toBeVisible();
  await page.keyboard.press("Control+k");
  await page.getByPlaceholder("Go to a host, page or action…").fill(`${RUN}-db`);
  await page.getByRole("option", { name: `Go to ${db.name}` }).click();
  await expect(page).toHaveURL(new RegExp(`/hosts/${db.id}$`));
});
