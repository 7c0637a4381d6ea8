import "@/index.css";
import { afterEach, describe, expect, it, vi } from "vitest";
import { page } from "vitest/browser";
import { alert, monitor } from "../testing/factories";
import { mockApi, renderWithApp } from "../testing/harness";
import { AlertRow } from "./alert-row";

afterEach(() => vi.restoreAllMocks());

function api() {
  return mockApi({
    "GET /api/probes/monitors": () => ({ data: [monitor(5, { name: "shop", status: "down" })], count: 1 }),
    "GET /api/auth/agents/overview": () => ({ data: [], count: 0, online: 0, offline: 0 }),
    "GET /api/alerts/rules": () => [],
    "GET /api/auth/members": () => [],
  });
}

describe("an alert on an uptime monitor", () => {
  it("names the monitor, links to its page and reads its metric as words", async () => {
    api();
    const down = alert(1, { monitor_id: 5, metric: "monitor_down", condition: "ge", threshold: 1, value: 1 });
    const { router } = await renderWithApp(
      <ul>
        <AlertRow alert={down} now={new Date()} />
      </ul>,
    );
    await expect.element(page.getByRole("heading", { name: "Monitor down" })).toBeVisible();
    const link = page.getByRole("link", { name: "shop" });
    await expect.element(link).toHaveAttribute("href", "/monitors/5");
    // "value 1" says nothing about a state.
    expect(page.getByText(/^value /).query()).toBeNull();
    await link.click();
    await expect.poll(() => router.state.location.pathname).toBe("/monitors/5");
  });

  it("shows a response-time alert's value in ms, and a monitor it does not know by number", async () => {
    api();
    const slow = alert(2, { monitor_id: 8, metric: "response_time_ms", condition: "gt", threshold: 500, value: 900 });
    await renderWithApp(
      <ul>
        <AlertRow alert={slow} now={new Date()} />
      </ul>,
    );
    await expect.element(page.getByRole("heading", { name: "Response time > 500 ms" })).toBeVisible();
    await expect.element(page.getByText("value 900 ms")).toBeVisible();
    await expect.element(page.getByRole("link", { name: "monitor #8" })).toHaveAttribute("href", "/monitors/8");
  });
});

describe("silencing an alert on an uptime monitor", () => {
  it("mutes that monitor only, not the rule's other monitors", async () => {
    const sent = mockApi({
      "GET /api/probes/monitors": () => ({ data: [monitor(5, { name: "shop", status: "down" })], count: 1 }),
      "GET /api/auth/agents/overview": () => ({ data: [], count: 0, online: 0, offline: 0 }),
      "GET /api/alerts/rules": () => [],
      "GET /api/auth/members": () => [],
      "POST /api/alerts/silences": () => ({ id: 1, ends_at: "2999-01-01T00:00:00Z" }),
    });
    const down = alert(1, { monitor_id: 5, rule_id: 3, metric: "monitor_down", condition: "ge", threshold: 1, value: 1 });
    await renderWithApp(
      <ul>
        <AlertRow alert={down} now={new Date()} />
      </ul>,
    );
    await page.getByRole("button", { name: "Silence" }).click();
    await expect.element(page.getByLabelText("this monitor: shop")).toBeChecked();
    await page.getByLabelText(/^this rule/).click(); // the monitor alone is enough
    await page.getByRole("button", { name: /^Silence/ }).last().click();
    const posted = () => sent.filter((entry) => entry.method === "POST");
    await expect.poll(() => posted().length).toBe(1);
    expect(posted()[0]?.body).toMatchObject({ monitor_id: 5, rule_id: null, agent_id: null });
  });
});
