import "@/index.css";
import { afterEach, describe, expect, it, vi } from "vitest";
import { page } from "vitest/browser";
import { incident } from "../testing/factories";
import { mockApi, renderPage } from "../testing/harness";
import { IncidentsView, orderIncidents } from "./incidents-page";

afterEach(() => vi.restoreAllMocks());

const now = Date.now();
const rows = [
  incident(1, { monitor_id: 1, monitor_name: "shop", started_at: new Date(now - 86_400_000).toISOString(), resolved_at: new Date(now - 86_000_000).toISOString(), duration_seconds: 400 }),
  incident(2, { monitor_id: 2, monitor_name: "api", started_at: new Date(now - 3_600_000).toISOString(), resolved_at: null, duration_seconds: null, error: "timed out after 10 s" }),
  incident(3, { monitor_id: 1, monitor_name: "shop", started_at: new Date(now - 600_000).toISOString(), resolved_at: new Date(now - 540_000).toISOString(), duration_seconds: 60 }),
];

describe("IncidentsView", () => {
  it("lists open incidents first, then the rest newest first, with durations and errors", async () => {
    mockApi({ "GET /api/probes/incidents": () => rows });
    await renderPage(<IncidentsView state={undefined} />);
    await expect.element(page.getByRole("table", { name: "Incidents" })).toBeVisible();
    const order = [...document.querySelectorAll("[data-incident]")].map((row) => row.getAttribute("data-incident"));
    expect(order).toEqual(["2", "3", "1"]);
    const open = page.getByRole("row").filter({ hasText: "api" });
    await expect.element(open).toHaveTextContent(/Open.*api.*1 h so far.*timed out after 10 s/);
    await expect.element(page.getByRole("row").filter({ hasText: "6 min" })).toBeVisible();
    await expect.element(page.getByText("3 shown · 1 open (the latest 200)")).toBeVisible();
    await expect.element(open.getByRole("link", { name: "api" })).toHaveAttribute("href", "/monitors/2");
  });

  it("asks the server for resolved ones only, and says when there are none", async () => {
    const sent = mockApi({ "GET /api/probes/incidents": () => [] });
    await renderPage(<IncidentsView state="resolved" />);
    await expect.element(page.getByRole("heading", { name: "No resolved incidents" })).toBeVisible();
    expect(sent[0]?.search.get("open")).toBe("false");
    expect(sent[0]?.search.get("limit")).toBe("200");
  });

  it("orders ties by id", () => {
    const same = "2026-11-29T10:00:00Z";
    expect(orderIncidents([incident(1, { started_at: same }), incident(2, { started_at: same })]).map((row) => row.id)).toEqual([2, 1]);
  });
});
