import "@/index.css";
import { afterEach, describe, expect, it, vi } from "vitest";
import { page } from "vitest/browser";
import { monitor } from "../testing/factories";
import { mockApi, renderPage } from "../testing/harness";
import { PushPanel } from "./push-panel";

afterEach(() => vi.restoreAllMocks());

const job = monitor(4, {
  name: "nightly backup",
  type: "push",
  target: "",
  config: { period_seconds: 300, grace_seconds: 60, cron: null, timezone: "UTC" },
  push_path: "/ping/AbC_123-xyz",
  last_ping_at: new Date(Date.now() - 120_000).toISOString(),
  push_deadline: new Date(Date.now() + 240_000).toISOString(),
});
const runs = [
  { received_at: "2026-11-29T11:00:05Z", kind: "exit", exit_status: 2, duration_ms: 5_000, body: "rsync: connection unexpectedly closed", message: null },
  { received_at: "2026-11-29T10:55:00Z", kind: "success", exit_status: 0, duration_ms: 4_200, body: "", message: null },
];

describe("PushPanel", () => {
  it("shows the push URL with snippets for crontab, a shell wrapper and PowerShell, and the latest runs", async () => {
    mockApi({ "GET /api/probes/monitors/4/push-runs": () => runs });
    await renderPage(<PushPanel monitor={job} origin="https://status.example.com" />);
    await expect.element(page.getByText("Expects a call every 5 min, with 1 min of grace; later means down.")).toBeVisible();
    await expect.element(page.getByLabelText("Push URL")).toHaveValue("https://status.example.com/ping/AbC_123-xyz");
    await expect.element(page.getByLabelText("crontab snippet")).toHaveTextContent(
      "*/5 * * * * /usr/local/bin/backup.sh && curl -fsS -m 10 --retry 5 -o /dev/null https://status.example.com/ping/AbC_123-xyz || curl",
    );
    await page.getByLabelText("Your job's command").fill("/opt/jobs/dump.sh");
    await expect.element(page.getByLabelText("crontab snippet")).toHaveTextContent("*/5 * * * * /opt/jobs/dump.sh &&");
    await page.getByRole("tab", { name: "Shell wrapper" }).click();
    await expect.element(page.getByLabelText("Shell wrapper snippet")).toHaveTextContent('"$URL/$STATUS"');
    await page.getByRole("tab", { name: "PowerShell" }).click();
    await expect.element(page.getByLabelText("PowerShell snippet")).toHaveTextContent("Invoke-RestMethod");
    await expect.element(page.getByText("Exit status 2")).toBeVisible();
    await expect.element(page.getByText("took 5 s")).toBeVisible();
    await page.getByText("Log (37 characters)").click();
    await expect.element(page.getByText("rsync: connection unexpectedly closed")).toBeVisible();
  });

  it("copies the URL", async () => {
    mockApi({ "GET /api/probes/monitors/4/push-runs": () => [] });
    const write = vi.spyOn(navigator.clipboard, "writeText").mockResolvedValue();
    await renderPage(<PushPanel monitor={job} origin="https://status.example.com" />);
    await page.getByRole("button", { name: "Copy URL" }).click();
    expect(write).toHaveBeenCalledWith("https://status.example.com/ping/AbC_123-xyz");
    await expect.element(page.getByText("No calls yet.")).toBeVisible();
  });

  it("keeps the URL from viewers (the API does not send it to them)", async () => {
    mockApi({ "GET /api/probes/monitors/4/push-runs": () => [] });
    await renderPage(<PushPanel monitor={{ ...job, push_path: null }} />, { role: "viewer" });
    await expect.element(page.getByText("The push URL is a secret: operators and admins see it.")).toBeVisible();
    expect(page.getByLabelText("Push URL").query()).toBeNull();
  });
});
