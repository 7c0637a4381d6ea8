import "@/index.css";
import { afterEach, describe, expect, it, vi } from "vitest";
import { page } from "vitest/browser";
import { check, incident, monitor, uptime } from "../testing/factories";
import { mockApi, renderPage } from "../testing/harness";
import { MonitorView } from "./monitor-page";

afterEach(() => vi.restoreAllMocks());

const now = Date.now();
const site = monitor(5, {
  name: "shop",
  target: "https://shop.example.com/",
  status: "down",
  status_since: new Date(now - 300_000).toISOString(),
  last_error: "HTTP 503 is not an accepted status code",
  parent_id: 1,
  cert_expires_at: new Date(now + 20.5 * 86_400_000).toISOString(),
  config: { cert_warning_days: [30, 14, 7] },
});
const router = monitor(1, { name: "router", type: "ping", target: "192.168.1.1" });
// Only these fields of an agent are read on the monitor's page.
const host = (id: number, name: string, parent: number | null) => ({ id, name, parent_monitor_id: parent, labels: {}, token_status: "active" });
const cache = monitor(9, { name: "cache", type: "tcp", target: "cache.internal", status: "unreachable", parent_id: 5 });

function api() {
  return mockApi({
    "GET /api/probes/monitors/5": () => site,
    "GET /api/probes/monitors": () => ({ data: [router, site, cache], count: 3 }),
    "GET /api/probes/monitors/5/uptime": () => uptime(5, 99.5, { days: uptime(5, 100).days.map((day, i) => (i === 89 ? { ...day, uptime: 97.5, down: 36 } : day)) }),
    "GET /api/probes/monitors/5/checks": () =>
      Array.from({ length: 30 }, (_, i) => check(now - i * 60_000, i < 5 ? { status: "down", response_ms: null, status_code: 503, error: "HTTP 503 is not an accepted status code" } : { response_ms: 100 + i })),
    "GET /api/probes/incidents": () => [incident(2, { monitor_id: 5, resolved_at: null, duration_seconds: null, started_at: new Date(now - 300_000).toISOString(), error: "HTTP 503" }), incident(1, { monitor_id: 5 })],
    "GET /api/auth/agents": () => [host(11, "db-1", 5), host(12, "web-1", 1), host(13, "lonely", null)],
    "DELETE /api/probes/monitors/5": () => new Response(null, { status: 204 }),
    "PATCH /api/probes/monitors/5": ({ body }) => ({ ...site, ...(body as object), status: "paused" }),
  });
}

describe("MonitorView", () => {
  it("shows status, uptime, 90 days, the response-time chart, checks, incidents and dependencies", async () => {
    const sent = api();
    await renderPage(<MonitorView id={5} range="6h" />);
    await expect.element(page.getByRole("heading", { name: "shop", level: 1 })).toBeVisible();
    await expect.element(page.getByText("HTTP · https://shop.example.com/")).toBeVisible();
    await expect.element(page.getByText("HTTP 503 is not an accepted status code").first()).toBeVisible();
    await expect.element(page.getByText("Expires in 20 days")).toBeVisible();
    await expect.element(page.getByText("Last 30 days", { exact: true })).toBeVisible();
    await expect.element(page.getByRole("img", { name: "Uptime of the last 90 days, one bar per day; 1 days below 99.9%" })).toBeInTheDocument();
    // The chart asks for the range's checks (6 h at a 60 s interval) and draws them.
    // (Charts draw once on screen.)
    await expect.poll(() => document.querySelector("[data-chart]")).not.toBeNull();
    document.querySelector("[data-chart]")?.scrollIntoView();
    await expect.poll(() => document.querySelector("[data-chart]")?.getAttribute("data-points")).toBe("30");
    const checks = sent.find((request) => request.path.endsWith("/checks"));
    expect([checks?.search.get("hours"), checks?.search.get("limit")]).toEqual(["6", "365"]);
    await expect.element(page.getByRole("table", { name: "Recent checks" })).toBeVisible();
    expect(document.querySelectorAll("[data-checks] tbody tr")).toHaveLength(20);
    await expect.element(page.getByText(/^Down for 5 min/)).toBeVisible();
    await expect.element(page.getByText("Was down for 5 min")).toBeVisible();
    await expect.element(page.getByRole("link", { name: "router" })).toBeVisible();
    await expect.element(page.getByRole("link", { name: "cache" })).toBeVisible();
    // Hosts behind this monitor are its dependants too; hosts behind another are not.
    const dependants = page.getByRole("list", { name: "Depend on it" });
    await expect.element(dependants.getByRole("link", { name: "db-1" })).toHaveAttribute("href", "/hosts/11");
    expect(dependants.getByRole("link").elements().map((link) => link.textContent)).toEqual(["cache", "db-1"]);
    expect(sent.find((request) => request.path === "/api/probes/incidents")?.search.get("monitor_id")).toBe("5");
  });

  it("pauses, and deletes only after confirming", async () => {
    const sent = api();
    const { router: app } = await renderPage(<MonitorView id={5} range="24h" />);
    await page.getByRole("button", { name: "Pause" }).click();
    await expect.poll(() => sent.find((request) => request.method === "PATCH")?.body).toEqual({ active: false });
    await page.getByRole("button", { name: "Delete" }).click();
    const dialog = page.getByRole("alertdialog", { name: "Delete shop?" });
    await expect.element(dialog).toBeVisible();
    expect(sent.some((request) => request.method === "DELETE")).toBe(false);
    await dialog.getByRole("button", { name: "Delete monitor" }).click();
    await expect.poll(() => app.state.location.pathname).toBe("/monitors");
    expect(sent.some((request) => request.method === "DELETE" && request.path === "/api/probes/monitors/5")).toBe(true);
  });

  it("gives viewers no actions", async () => {
    api();
    await renderPage(<MonitorView id={5} range="24h" />, { role: "viewer" });
    await expect.element(page.getByRole("heading", { name: "shop", level: 1 })).toBeVisible();
    expect(page.getByRole("button", { name: "Pause" }).query()).toBeNull();
    expect(page.getByRole("link", { name: "Edit" }).query()).toBeNull();
  });
});
