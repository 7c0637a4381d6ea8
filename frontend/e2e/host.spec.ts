// The host page against the real platform, fed by two real agents reporting every second.
import { type APIRequestContext, type Page, request as playwrightRequest } from "@playwright/test";
import { admin, expect, expectAccessible, screenshots, signIn, test } from "./fixtures";
import { baseURL, type RunningAgent, startAgent } from "./platform";

test.describe.configure({ mode: "serial" });


const suffix = Date.now().toString(36);

interface Host {
  id: number;
  name: string;
  process: RunningAgent;
}

let api: APIRequestContext;
const hosts: Host[] = [];

async function adminToken(): Promise<string> {
  const answer = await api.post("/api/auth/token", { form: { username: admin.username, password: admin.password } });
  expect(answer.ok()).toBe(true);
  return ((await answer.json()) as { access_token: string }).access_token;
}

/** An agent created through the API, and the real agent process reporting for it every second. */
async function startHost(token: string, name: string): Promise<Host> {
  const created = await api.post("/api/auth/agents", {
    headers: { Authorization: `Bearer ${token}` },
    data: { name, labels: { suite: "e2e", owner: "hostdetail" } },
  });
  expect(created.status()).toBe(201);
  const agent = (await created.json()) as { id: number; token: string };
  return { id: agent.id, name, process: startAgent(agent.token, 1) };
}

test.beforeAll(async () => {
  api = await playwrightRequest.newContext({ baseURL });
  const token = await adminToken();
  // Adjacent in the overview's name order, so h/l moves from one to the other.
  hosts.push(await startHost(token, `hostdetail-e2e-${suffix}-a`), await startHost(token, `hostdetail-e2e-${suffix}-b`));
});

test.afterAll(async () => {
  await Promise.all(hosts.map((host) => host.process.stop()));
  const token = await adminToken();
  for (const host of hosts) {
    await api.delete(`/api/auth/agents/${host.id}`, { headers: { Authorization: `Bearer ${token}` } });
  }
  await api.dispose();
});

const first = () => hosts[0] as Host;
const second = () => hosts[1] as Host;
const chart = (page: Page, id: string) => page.locator(`[data-chart-id="${id}"] [data-chart]`);
const points = async (page: Page, id: string) => Number((await chart(page, id).getAttribute("data-points")) ?? 0);

/** Scrolls every chart into view once: charts off screen do not draw until they are seen. */
async function revealCharts(page: Page): Promise<void> {
  for (const card of await page.locator("[data-chart-id]").all()) await card.scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(300);
}

test("the live charts gain a point with every report", async ({ page }) => {
  await signIn(page, admin.username, admin.password);
  await page.goto(`/hosts/${first().id}`);
  await expect(page.getByRole("heading", { level: 1, name: first().name })).toBeVisible();
  await expect(page.locator("[data-host-status]")).toHaveText("Online", { timeout: 30_000 });
  await expect(page.getByRole("link", { name: "Live" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("link", { name: "1 h" })).not.toHaveAttribute("aria-current");
  await expect.poll(() => points(page, "cpu"), { timeout: 30_000 }).toBeGreaterThan(1);
  const before = await points(page, "cpu");
  await expect.poll(() => points(page, "cpu"), { timeout: 15_000 }).toBeGreaterThan(before + 2);
  // The cards are live too, and the chart tells a screen reader its latest value.
  await expect(page.getByRole("meter", { name: "CPU" })).toBeVisible();
  await expect(page.getByRole("img", { name: /^CPU usage: CPU \d/ })).toBeVisible();
  await expect(page.getByRole("table", { name: "CPU usage" })).toBeAttached();
  await expect(page.getByText("owner=hostdetail")).toBeVisible();
  await revealCharts(page);
  await expectAccessible(page);
  await screenshots(page, "host-live");
});

test("1 h shows the history, and a drag across a chart zooms into a custom range", async ({ page }) => {
  test.setTimeout(150_000);
  await signIn(page, admin.username, admin.password);
  await page.goto(`/hosts/${first().id}`);
  await page.getByRole("link", { name: "1 h" }).click();
  await expect(page).toHaveURL(/range=1h/);
  await expect(page.getByRole("link", { name: "1 h" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("link", { name: "Live" })).not.toHaveAttribute("aria-current");
  // The hour's history is drawn (the agents started a minute ago: how many grid points carry
  // data depends on how long they have run, so only "some" is asserted). VictoriaMetrics hides
  // its newest 30 s from range queries and the 1 h view refetches every 30 s, so a host that
  // young may show its first points only with the second answer.
  await expect.poll(() => points(page, "cpu"), { timeout: 70_000 }).toBeGreaterThan(0);
  await expect(page.getByRole("img", { name: /^CPU usage: CPU \d/ })).toBeVisible({ timeout: 30_000 });
  await revealCharts(page);
  await expectAccessible(page);
  await screenshots(page, "host-1h");

  const plot = chart(page, "cpu").locator(".u-over");
  await plot.scrollIntoViewIfNeeded();
  const box = await plot.boundingBox();
  if (!box) throw new Error("the CPU chart has no plot area");
  const y = box.y + box.height / 2;
  // The agents started a minute ago: the newest tenth of the hour has their data.
  await page.mouse.move(box.x + box.width * 0.9, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.95, y, { steps: 8 });
  await page.mouse.move(box.x + box.width - 1, y, { steps: 8 });
  await page.mouse.up();
  await expect(page).toHaveURL(/range=custom/);
  const url = new URL(page.url());
  const from = Number(url.searchParams.get("from"));
  const to = Number(url.searchParams.get("to"));
  // A tenth of the hour, give or take the plot's edges.
  expect(to - from).toBeGreaterThan(0.07 * 3600);
  expect(to - from).toBeLessThan(0.13 * 3600);
  await expect(page.getByTestId("custom-range")).toBeVisible();
  await expect(page.getByRole("button", { name: "Custom" })).toHaveAttribute("aria-current", "true");
  await expect.poll(() => points(page, "cpu"), { timeout: 30_000 }).toBeGreaterThan(0);
});

test("h and l (and the arrows) move between hosts in name order", async ({ page }) => {
  await signIn(page, admin.username, admin.password);
  await page.goto(`/hosts/${first().id}?range=1h`);
  await expect(page.getByRole("heading", { level: 1, name: first().name })).toBeVisible();
  await expect(page.getByTestId("host-keys-hint")).toBeVisible();
  await page.keyboard.press("l");
  await expect(page).toHaveURL(new RegExp(`/hosts/${second().id}\\?range=1h`));
  await expect(page.getByRole("heading", { level: 1, name: second().name })).toBeVisible();
  await page.keyboard.press("h");
  await expect(page.getByRole("heading", { level: 1, name: first().name })).toBeVisible();
  await page.keyboard.press("ArrowRight");
  await expect(page.getByRole("heading", { level: 1, name: second().name })).toBeVisible();
  await page.getByRole("link", { name: `Previous host: ${first().name}` }).click();
  await expect(page).toHaveURL(new RegExp(`/hosts/${first().id}`));
  // Typing in a field is not navigation.
  await page.getByLabel("Metric").focus();
  await page.keyboard.press("l");
  await expect(page.getByRole("heading", { level: 1, name: first().name })).toBeVisible();
});

test("the per-core view draws one series per core, with their frequencies", async ({ page }) => {
  const token = await adminToken();
  // The agent's host info says how many (logical) cores it reports.
  let cores = 0;
  await expect
    .poll(
      async () => {
        const overview = (await (await api.get("/api/auth/agents/overview", { headers: { Authorization: `Bearer ${token}` } })).json()) as {
          data: { id: number; host_info: { cpu_threads?: number } }[];
        };
        cores = overview.data.find((row) => row.id === first().id)?.host_info.cpu_threads ?? 0;
        return cores;
      },
      { timeout: 30_000 },
    )
    .toBeGreaterThan(0);

  await signIn(page, admin.username, admin.password);
  await page.goto(`/hosts/${first().id}`);
  await page.getByRole("button", { name: "Per-core view" }).click();
  await expect(page).toHaveURL(/cores=true/);
  await expect(page.getByRole("button", { name: "Per-core view" })).toHaveAttribute("aria-pressed", "true");
  const perCore = page.getByRole("table", { name: "CPU usage per core" });
  await expect(perCore.getByRole("row")).toHaveCount(cores + 1, { timeout: 30_000 }); // + the header row
  await expect(perCore.getByRole("rowheader", { name: "Core 0", exact: true })).toBeAttached();
  await expect(page.getByRole("table", { name: "CPU frequency per core" }).getByRole("row")).toHaveCount(cores + 1, { timeout: 30_000 });
  await revealCharts(page);
  await expectAccessible(page);
  await screenshots(page, "host-per-core");
});

test("an unknown host says so and links back to the hosts", async ({ page }) => {
  await signIn(page, admin.username, admin.password);
  await page.goto("/hosts/999999999");
  await expect(page.getByRole("heading", { name: "Host not found" }).first()).toBeVisible();
  await expect(page.getByRole("link", { name: "Go to the hosts" })).toBeVisible();
  await expectAccessible(page);
});
