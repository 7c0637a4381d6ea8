import "@/index.css";
import { afterEach, describe, expect, it, vi } from "vitest";
import { page, userEvent } from "vitest/browser";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import type { Rule } from "../api/types";
import { monitor } from "../testing/factories";
import { mockApi, renderWithApp } from "../testing/harness";
import { RuleForm } from "./rule-form";
import { RulesTab } from "./rules-tab";

afterEach(() => vi.restoreAllMocks());

const shop = monitor(3, { name: "shop", last_response_ms: 87 });
const api = monitor(4, { name: "api", status: "down", last_response_ms: null });
const defaultRule: Rule = {
  id: 12,
  target_type: "monitor",
  agent_id: null,
  monitor_id: null,
  metric_type: "monitor_down",
  condition: "ge",
  threshold: 1,
  enabled: true,
  severity: "critical",
  for_seconds: 0,
  renotify_seconds: 300,
  labels: {},
  match: {},
  hysteresis: 0,
  channel_ids: [],
  created_at: "2026-11-29T08:00:00Z",
};

function answer(rules: Rule[] = []) {
  return mockApi({
    "GET /api/probes/monitors": () => ({ data: [shop, api], count: 2 }),
    "GET /api/auth/agents/overview": () => ({ data: [], count: 0, online: 0, offline: 0 }),
    "GET /api/auth/members": () => [],
    "GET /api/alerts/rules": () => rules,
    "GET /api/alerts/channels": () => [],
    "POST /api/alerts/rules": ({ body }) => Response.json({ ...defaultRule, ...(body as object), id: 13 }, { status: 201 }),
  });
}

describe("a rule on uptime monitors", () => {
  it("watches one monitor's response time and sends target_type monitor with its id", async () => {
    const sent = answer();
    const onDone = vi.fn();
    await renderWithApp(
      <Dialog open>
        <DialogContent title="New rule" closeLabel="Close">
          <RuleForm onDone={onDone} />
        </DialogContent>
      </Dialog>,
    );
    await page.getByText("Monitors", { exact: true }).click(); // the radio itself is visually hidden
    const which = page.getByLabelText("Monitor", { exact: true });
    await expect.element(which).toHaveValue("");
    await userEvent.selectOptions(which.element(), "shop");
    await userEvent.selectOptions(page.getByLabelText("Alert when").element(), "Its response time is above…");
    const threshold = page.getByLabelText("Above (ms)");
    await expect.element(threshold).toHaveValue("1000");
    await expect.element(page.getByText("Now on shop: 87 ms — would not fire")).toBeVisible();
    await threshold.fill("50");
    await expect.element(page.getByText("Now on shop: 87 ms — would fire")).toBeVisible();
    expect(page.getByLabelText("Condition").query()).toBeNull(); // "above" is the choice itself
    await page.getByRole("button", { name: "Create rule" }).click();
    await vi.waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
    expect(sent.find((request) => request.method === "POST")?.body).toEqual({
      target_type: "monitor",
      agent_id: null,
      monitor_id: 3,
      metric_type: "response_time_ms",
      condition: "gt",
      threshold: 50,
      severity: "warning", // as the form opened (on hosts); switching kind keeps it
      for_seconds: 0,
      renotify_seconds: 300,
      hysteresis: 0,
      enabled: true,
      labels: {},
      match: {},
      channel_ids: [],
    });
  });

  it("asks no number for “is down” and offers labels for every monitor", async () => {
    answer();
    await renderWithApp(
      <Dialog open>
        <DialogContent title="New rule" closeLabel="Close">
          <RuleForm onDone={() => undefined} />
        </DialogContent>
      </Dialog>,
    );
    await page.getByText("Monitors", { exact: true }).click(); // the radio itself is visually hidden
    await expect.element(page.getByLabelText("Alert when")).toHaveValue("monitor_down");
    expect(page.getByLabelText(/^Threshold/).query()).toBeNull();
    await expect.element(page.getByText("Only monitors with these labels")).toBeVisible();
    await expect.element(page.getByText("1 of 2 monitors would fire now")).toBeVisible();
    await userEvent.selectOptions(page.getByLabelText("Alert when").element(), "Its certificate expires within…");
    await expect.element(page.getByLabelText("Within (days)")).toHaveValue("14");
  });

  it("edits a rule on one monitor: its monitor shows once the list arrives, and the PATCH keeps the kind", async () => {
    let release: () => void = () => undefined;
    const listed = new Promise<void>((resolve) => (release = resolve));
    const stored: Rule = { ...defaultRule, monitor_id: 4, metric_type: "cert_days_left", condition: "le", threshold: 7 };
    const sent = mockApi({
      "GET /api/probes/monitors": async () => {
        await listed;
        return { data: [shop, api], count: 2 };
      },
      "GET /api/auth/agents/overview": () => ({ data: [], count: 0, online: 0, offline: 0 }),
      "GET /api/auth/members": () => [],
      "GET /api/alerts/rules": () => [stored],
      "GET /api/alerts/channels": () => [],
      "PATCH /api/alerts/rules/12": ({ body }) => ({ ...stored, ...(body as object) }),
    });
    const onDone = vi.fn();
    await renderWithApp(
      <Dialog open>
        <DialogContent title="Edit rule #12" closeLabel="Close">
          <RuleForm rule={stored} onDone={onDone} />
        </DialogContent>
      </Dialog>,
    );
    const which = page.getByLabelText("Monitor", { exact: true });
    await expect.element(which).toHaveValue("4");
    await expect.element(page.getByLabelText("Alert when")).toHaveValue("cert_days_left");
    await expect.element(page.getByLabelText("Within (days)")).toHaveValue("7");
    release();
    await expect.element(page.getByRole("option", { name: "api" })).toBeInTheDocument();
    await expect.element(which).toHaveValue("4");
    expect((which.element() as HTMLSelectElement).selectedOptions[0]?.textContent).toBe("api");
    await page.getByRole("button", { name: "Save rule" }).click();
    await vi.waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
    expect(sent.find((request) => request.method === "PATCH")?.body).toMatchObject({
      target_type: "monitor",
      monitor_id: 4,
      metric_type: "cert_days_left",
      condition: "le",
      threshold: 7,
      match: {},
    });
  });

  it("lists a new organization's default rule as “Monitor down” on all monitors", async () => {
    answer([defaultRule]);
    await renderWithApp(<RulesTab />);
    const row = page.getByRole("listitem").filter({ hasText: "#12" });
    await expect.element(row.getByRole("heading", { name: "#12 Monitor down" })).toBeVisible();
    await expect.element(row.getByText("All monitors")).toBeVisible();
    await expect.element(row.getByText("1 of 2 monitors would fire now")).toBeVisible();
  });
});
