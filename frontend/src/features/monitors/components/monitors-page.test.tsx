import "@/index.css";
import { afterEach, describe, expect, it, vi } from "vitest";
import { page } from "vitest/browser";
import { mockApi, renderPage } from "../testing/harness";
import { heartbeat, monitor, uptime } from "../testing/factories";
import type { MonitorFilters } from "../api/types";
import { MonitorsView } from "./monitors-page";

afterEach(() => vi.restoreAllMocks());

const monitors = [
  monitor(1, { name: "shop", labels: { env: "prod" } }),
  monitor(2, { name: "api", status: "down", last_error: "connection refused", labels: { env: "staging" } }),
  monitor(3, { name: "backup job", type: "push", target: "", status: "paused", active: false }),
];

function api() {
  const now = Date.now();
  return mockApi({
    "GET /api/probes/monitors": () => ({ data: monitors, count: monitors.length }),
    "GET /api/probes/monitors/uptime": () => [uptime(1, 99.956), uptime(2, 80), uptime(3, null)],
    "GET /api/probes/monitors/types": () => [],
    "GET /api/probes/monitors/heartbeats": ({ search }) =>
      search.getAll("ids").map((id) =>
        id === "2"
          ? heartbeat(2, now, { [-1]: { status: "down", checks: 2, down: 1 } }, { recent_ms: [300, null] })
          : heartbeat(Number(id), now, { [-1]: { status: "up", checks: 2 } }, { recent_ms: [120, 80] }),
      ),
    "POST /api/probes/monitors/bulk": ({ body }) => ({ updated: (body as { ids: number[] }).ids.length }),
  });
}

describe("MonitorsView", () => {
  it("lists each monitor with status, target, uptime, its last 24 hours and response times", async () => {
    const sent = api();
    await renderPage(<MonitorsView filters={{}} onFilters={() => undefined} />);
    await expect.element(page.getByRole("link", { name: "shop" })).toBeVisible();
    await expect.element(page.getByText("3 monitors · 1 up · 1 down · 1 paused")).toBeVisible();
    const api2 = page.getByRole("listitem").filter({ hasText: "api" });
    await expect.element(api2.getByText("Down", { exact: true })).toBeVisible();
    await expect.element(page.getByRole("listitem").filter({ hasText: "shop" }).getByText("99.95%").first()).toBeVisible();
    // Heartbeats and sparklines load for the rows on screen, all in one request.
    await expect.element(api2.getByRole("img", { name: /Last 24 hours: checks in 1 of 48 half-hours, 1 with a failure/ })).toBeInTheDocument();
    await expect.element(page.getByRole("img", { name: "Response times of shop's latest checks" })).toBeVisible();
    const heartbeatRequests = sent.filter((request) => request.path.endsWith("/heartbeats"));
    expect(heartbeatRequests.map((request) => request.search.getAll("ids").sort())).toEqual([["1", "2", "3"]]);
    expect(sent.some((request) => request.path.endsWith("/checks"))).toBe(false);
  });

  it("filters by a label from a row, and pauses the selected monitors in one request", async () => {
    const sent = api();
    const changes: MonitorFilters[] = [];
    await renderPage(<MonitorsView filters={{}} onFilters={(patch) => changes.push(patch)} />);
    await page.getByRole("button", { name: "env=prod" }).click();
    expect(changes).toEqual([{ label: "env:prod" }]);

    await page.getByRole("checkbox", { name: "Select shop" }).click();
    await page.getByRole("checkbox", { name: "Select api" }).click();
    const bar = page.getByRole("region", { name: "Actions on the selected monitors" });
    await expect.element(bar.getByText("2 selected")).toBeVisible();
    await bar.getByRole("button", { name: "Pause" }).click();
    await expect.element(bar).not.toBeInTheDocument();
    expect(sent.find((request) => request.method === "POST")?.body).toEqual({ ids: [2, 1], active: false });

    await page.getByRole("checkbox", { name: "Select every monitor shown" }).click();
    await expect.element(page.getByText("3 selected")).toBeVisible();
  });

  it("shows viewers no selection, and says when nothing matches", async () => {
    mockApi({ "GET /api/probes/monitors": () => ({ data: [], count: 0 }), "GET /api/probes/monitors/uptime": () => [], "GET /api/probes/monitors/types": () => [] });
    await renderPage(<MonitorsView filters={{ status: "down" }} onFilters={() => undefined} />, { role: "viewer" });
    await expect.element(page.getByRole("heading", { name: "No monitor matches" })).toBeVisible();
    expect(page.getByRole("link", { name: "Add monitor" }).query()).toBeNull();
    expect(page.getByRole("checkbox").query()).toBeNull();
  });
});
