// Uptime monitors against a running platform (issue 12): an operator adds an HTTP monitor for a
// web server this spec starts on 127.0.0.1, tests it before saving, and watches it come up;
// the server stops, the monitor goes down with one incident and one alert (the organization's
// default "monitor down" rule); the server starts again and everything recovers. A cron job's
// push monitor shows its URL, snippets and runs. Every monitor it makes is named "e2e-…" and
// removed at the end.
//
// The probe reaches loopback targets unless PROBE_OUTBOUND_ALLOW_PRIVATE=false (its default
// suits a self-hosted install). Intervals are the minimum (20 s) and retries 0, so going down
// and coming back take about a minute each.
import { type APIRequestContext, type Page, request as playwrightRequest } from "@playwright/test";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { admin, expect, expectAccessible, screenshots, signIn, test } from "./fixtures";

const stamp = Date.now().toString(36);
const names = { site: `e2e-shop-${stamp}`, push: `e2e-backup-${stamp}` };
const WITHIN = 100_000; // one 20 s interval, the check's timeout, the writer and the page's poll

interface Site {
  url: string;
  start: () => Promise<void>;
  stop: () => Promise<void>;
}

/** A web server on a fixed loopback port that can be stopped (connections refused) and restarted. */
async function startSite(): Promise<Site> {
  let server: Server | null = null;
  let port = 0;
  const start = async () => {
    server = createServer((request, response) => {
      response.writeHead(200, { "Content-Type": "text/html", Connection: "close" }).end("<h1>The shop is open</h1>");
    });
    await new Promise<void>((listening) => server?.listen(port, "127.0.0.1", listening));
    port = (server.address() as AddressInfo).port;
  };
  const stop = async () => {
    const running = server;
    server = null;
    if (!running) return;
    running.closeAllConnections();
    await new Promise<void>((closed) => running.close(() => closed()));
  };
  await start();
  return { url: `http://127.0.0.1:${port}/`, start, stop };
}

async function token(baseURL: string): Promise<string> {
  const context = await playwrightRequest.newContext({ baseURL });
  const answer = await context.post("/api/auth/token", { form: { username: admin.username, password: admin.password } });
  expect(answer.ok(), await answer.text()).toBe(true);
  const { access_token } = (await answer.json()) as { access_token: string };
  await context.dispose();
  return access_token;
}

async function json<T>(response: Awaited<ReturnType<APIRequestContext["get"]>>): Promise<T> {
  expect(response.ok(), `${response.url()}: ${response.status()} ${await response.text()}`).toBe(true);
  return (await response.json()) as T;
}

async function shots(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshots(page, name);
}

let api: APIRequestContext;
let site: Site;

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ baseURL }) => {
  const base = baseURL ?? "http://localhost:8080";
  api = await playwrightRequest.newContext({ baseURL: base, extraHTTPHeaders: { Authorization: `Bearer ${await token(base)}` } });
  site = await startSite();
});

test.afterAll(async () => {
  await site.stop();
  const { data } = await json<{ data: { id: number; name: string }[] }>(await api.get("/api/probes/monitors", { params: { search: stamp } }));
  for (const monitor of data) await api.delete(`/api/probes/monitors/${monitor.id}`);
  await api.dispose();
});

test("an HTTP monitor goes down with one incident and one alert, and recovers", async ({ page }) => {
  test.setTimeout(420_000);
  await signIn(page, admin.username, admin.password);
  let monitorId = 0;

  await test.step("add it from the form: test now shows the result before saving", async () => {
    await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Monitors" }).click();
    await expect(page.getByRole("heading", { name: "Monitors", level: 1 })).toBeVisible();
    await page.getByRole("link", { name: "Add monitor" }).first().click();
    await expect(page.getByRole("heading", { name: "Add a monitor" })).toBeVisible();
    await page.getByText("HTTP(S)", { exact: true }).click();
    // Checked here before anything is sent.
    await page.getByRole("button", { name: "Create monitor" }).click();
    await expect(page.getByLabel("Name", { exact: true })).toHaveAttribute("aria-invalid", "true");
    await page.getByLabel("Name", { exact: true }).fill(names.site);
    await page.getByLabel("URL", { exact: true }).fill(site.url);
    await page.getByLabel("Interval (seconds)").fill("20");
    await page.getByLabel("Retries", { exact: true }).fill("0");
    await page.getByLabel("Timeout (seconds)").fill("5");
    await page.getByRole("button", { name: "Add label" }).click();
    await page.getByLabel("Label key 1", { exact: true }).fill("env");
    await page.getByLabel("Label value 1", { exact: true }).fill("e2e");
    await page.getByLabel("Keyword (optional)").fill("shop is open");
    await page.getByRole("button", { name: "Test now" }).click();
    const result = page.getByRole("status", { name: "Test result" });
    await expect(result).toContainText("The check passed");
    await expect(result).toHaveAttribute("data-test-status", "up");
    await expectAccessible(page);
    await shots(page, "monitors-form");
    await page.getByRole("button", { name: "Create monitor" }).click();
    await expect(page.getByRole("heading", { name: names.site, level: 1 })).toBeVisible();
    monitorId = Number(/\/monitors\/(\d+)/.exec(page.url())?.[1]);
    expect(monitorId).toBeGreaterThan(0);
  });

  const status = page.locator("[data-monitor-status]");

  await test.step("it comes up, live on its page", async () => {
    await expect(status).toHaveAttribute("data-monitor-status", "up", { timeout: WITHIN });
    await expect(page.getByRole("table", { name: "Recent checks" }).getByRole("row").nth(1)).toContainText("Up");
  });

  await test.step("the server stops: down, one incident, one alert", async () => {
    await site.stop();
    await expect(status).toHaveAttribute("data-monitor-status", "down", { timeout: WITHIN });
    await expect(status).toContainText(/refused|connect/i);
    const timeline = page.getByRole("list", { name: "Incidents" });
    await expect(timeline.locator("[data-open=true]")).toHaveCount(1, { timeout: 20_000 });
    await expect(timeline).toContainText("Down for");

    await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Incidents" }).click();
    const incident = page.getByRole("row").filter({ hasText: names.site });
    await expect(incident).toHaveCount(1);
    await expect(incident).toContainText("Open");
    await expectAccessible(page);
    await shots(page, "incidents");

    // The organization's default rule (monitor down → notify) fires once for it.
    const firingAlerts = async () =>
      (await json<{ data: { id: number }[] }>(await api.get("/api/alerts/alerts/", { params: { monitor_id: monitorId, status: "firing" } }))).data;
    await expect.poll(async () => (await firingAlerts()).length, { timeout: WITHIN }).toBe(1);
    const firing = (await firingAlerts())[0]?.id;
    await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Alerts" }).click();
    const alert = page.locator(`[data-alert-id="${firing}"]`);
    await expect(alert).toBeVisible({ timeout: 20_000 });

    // The alert names its monitor, links to its page and reads "Monitor down"; the list filters by monitor.
    await expect(alert.getByRole("heading")).toContainText("Monitor down");
    await expect(alert.getByRole("link", { name: names.site })).toHaveAttribute("href", `/monitors/${monitorId}`);
    await page.getByLabel("Monitor", { exact: true }).selectOption({ label: names.site });
    await expect(page).toHaveURL(new RegExp(`monitor=${monitorId}`));
    await expect(alert).toBeVisible();
    await expect(page.locator("[data-alert-id]")).toHaveCount(1);
    await expectAccessible(page);
    await shots(page, "alerts-monitor");
  });

  await test.step("rules: the default rule reads “Monitor down” on all monitors; a new rule can watch one monitor", async () => {
    await page.getByRole("navigation", { name: "Alert sections" }).getByRole("link", { name: "Rules" }).click();
    const standing = page.locator("[data-rule-id]").filter({ hasText: "Monitor down" }).filter({ hasText: "All monitors" });
    await expect(standing.first()).toBeVisible();
    await page.getByRole("button", { name: "New rule" }).first().click();
    const dialog = page.getByRole("dialog", { name: "New rule" });
    await dialog.getByText("Monitors", { exact: true }).click();
    await dialog.getByLabel("Monitor", { exact: true }).selectOption({ label: names.site });
    await dialog.getByLabel("Alert when").selectOption({ label: "Its response time is above…" });
    await expect(dialog.getByLabel("Above (ms)")).toHaveValue("1000");
    await expectAccessible(page);
    await screenshots(page, "alerts-rule-monitor");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();
  });

  await test.step("the list shows it down, with its figures; search and filters are in the URL", async () => {
    await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Monitors" }).click();
    const row = page.locator(`[data-monitor="${names.site}"]`);
    await expect(row).toContainText("Down");
    await expect(row.getByRole("img", { name: /Last 24 hours: checks in/ })).toBeVisible();
    await page.getByRole("searchbox", { name: "Search monitors" }).fill(stamp);
    await expect(page).toHaveURL(new RegExp(`q=${stamp}`));
    await page.getByLabel("Status").selectOption("down");
    await expect(page).toHaveURL(/status=down/);
    await expect(row).toBeVisible();
    await expectAccessible(page);
    await page.getByLabel("Status").selectOption("");
    await shots(page, "monitors-list");
  });

  await test.step("the server starts again: up, the incident resolved, the alert too", async () => {
    await site.start();
    await page.locator(`[data-monitor="${names.site}"]`).getByRole("link", { name: names.site }).click();
    await expect(status).toHaveAttribute("data-monitor-status", "up", { timeout: WITHIN });
    const timeline = page.getByRole("list", { name: "Incidents" });
    await expect(timeline.locator("[data-open=false]")).toHaveCount(1, { timeout: 20_000 });
    await expect(timeline).toContainText("Was down for");
    await expect
      .poll(async () => (await json<{ count: number }>(await api.get("/api/alerts/alerts/", { params: { monitor_id: monitorId, status: "firing" } }))).count, { timeout: WITHIN })
      .toBe(0);
    const incidents = await json<{ monitor_id: number; resolved_at: string | null }[]>(await api.get("/api/probes/incidents", { params: { monitor_id: monitorId } }));
    expect(incidents).toHaveLength(1);
    expect(incidents[0]?.resolved_at).not.toBeNull();
    await page.getByRole("link", { name: "24 h", exact: true }).click();
    await expect(page.locator("[data-chart]")).toHaveAttribute("data-points", /^[1-9]\d*$/);
    await expectAccessible(page);
    await shots(page, "monitor-page");
  });
});

test("a push monitor shows its URL, snippets and the runs that called it", async ({ page }) => {
  const push = await json<{ id: number; push_path: string }>(
    await api.post("/api/probes/monitors", { data: { name: names.push, type: "push", config: { period_seconds: 3600, grace_seconds: 600 } } }),
  );
  // Two runs: a start and its end with the job's output as the log.
  expect((await api.post(`${push.push_path}/start`)).ok()).toBe(true);
  expect((await api.post(`${push.push_path}/0`, { data: "backup: 12 GB written in 4 min" })).ok()).toBe(true);

  await signIn(page, admin.username, admin.password);
  await page.goto(`/monitors/${push.id}`);
  await expect(page.getByRole("heading", { name: names.push, level: 1 })).toBeVisible();
  const origin = new URL(page.url()).origin;
  await expect(page.getByLabel("Push URL")).toHaveValue(`${origin}${push.push_path}`);
  await expect(page.getByLabel("crontab snippet")).toContainText(`0 * * * * /usr/local/bin/backup.sh && curl -fsS -m 10 --retry 5 -o /dev/null ${origin}${push.push_path}`);
  await page.getByRole("tab", { name: "Shell wrapper" }).click();
  await expect(page.getByLabel("Shell wrapper snippet")).toContainText('"$URL/$STATUS"');
  await page.getByRole("tab", { name: "PowerShell" }).click();
  await expect(page.getByLabel("PowerShell snippet")).toContainText("Invoke-RestMethod");
  await expect(page.locator("[data-monitor-status]")).toHaveAttribute("data-monitor-status", "up");
  await page.getByText(/^Log \(\d+ characters\)$/).first().click();
  await expect(page.getByText("backup: 12 GB written in 4 min")).toBeVisible();
  await expectAccessible(page);
  await shots(page, "monitor-push");
});
