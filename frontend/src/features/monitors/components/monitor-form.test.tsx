import "@/index.css";
import { afterEach, describe, expect, it, vi } from "vitest";
import { page } from "vitest/browser";
import { monitor } from "../testing/factories";
import { mockApi, renderPage } from "../testing/harness";
import { MonitorForm } from "./monitor-form";

afterEach(() => vi.restoreAllMocks());

const others = [monitor(1, { name: "router", type: "ping", target: "192.168.1.1" }), monitor(2, { name: "lb" })];

describe("MonitorForm", () => {
  it("checks every field before sending anything", async () => {
    const sent = mockApi({ "GET /api/probes/monitors": () => ({ data: others, count: 2 }) });
    await renderPage(<MonitorForm onSaved={() => undefined} onCancel={() => undefined} />);
    await page.getByLabelText("Interval (seconds)", { exact: true }).fill("10");
    await page.getByLabelText("Retries", { exact: true }).fill("11");
    await page.getByLabelText("URL", { exact: true }).fill("example.com");
    await page.getByRole("button", { name: "Create monitor" }).click();
    await expect.element(page.getByLabelText("Name", { exact: true })).toHaveAccessibleDescription("Up to 120 characters. Required.");
    await expect.element(page.getByLabelText("URL", { exact: true })).toHaveAccessibleDescription("Enter a full URL, such as https://example.com/health.");
    await expect.element(page.getByLabelText("Interval (seconds)", { exact: true })).toHaveAccessibleDescription("How often to check: 20 s to 86400 s. At least 20.");
    await expect.element(page.getByLabelText("Retries", { exact: true })).toHaveAccessibleDescription("Failed checks before “down”: 0 to 10. At most 10.");
    expect(sent.filter((request) => request.method !== "GET")).toEqual([]);
  });

  it("tests what the form says, shows the result, then saves with the parent and labels", async () => {
    const saved = vi.fn();
    const sent = mockApi({
      "GET /api/probes/monitors": () => ({ data: others, count: 2 }),
      "POST /api/probes/monitors/test": () => ({ status: "down", response_ms: 12.4, error: "connection refused", metrics: { monitor_down: 1 }, details: { port: 5432 } }),
      "POST /api/probes/monitors": ({ body }) => monitor(7, body as object),
    });
    await renderPage(<MonitorForm onSaved={saved} onCancel={() => undefined} />);
    await page.getByText("TCP port", { exact: true }).click();
    await page.getByLabelText("Name", { exact: true }).fill("db");
    await page.getByLabelText("Host", { exact: true }).fill("db.internal");
    await page.getByLabelText("Port", { exact: true }).fill("5432");
    await page.getByRole("button", { name: "Add label" }).click();
    await page.getByLabelText("Label key 1", { exact: true }).fill("env");
    await page.getByLabelText("Label value 1", { exact: true }).fill("prod");
    await page.getByLabelText("Depends on", { exact: true }).selectOptions("router");
    await page.getByRole("button", { name: "Test now" }).click();
    const result = page.getByRole("status", { name: "Test result" });
    await expect.element(result).toHaveTextContent("The check failed");
    await expect.element(result).toHaveTextContent("connection refused");
    await expect.element(result).toHaveTextContent("in 12 ms");
    expect(sent.find((request) => request.path.endsWith("/test"))?.body).toMatchObject({ type: "tcp", target: "db.internal", config: { port: 5432, tls: false } });

    await page.getByRole("button", { name: "Create monitor" }).click();
    await expect.poll(() => saved.mock.calls.length).toBe(1);
    expect(sent.find((request) => request.method === "POST" && request.path === "/api/probes/monitors")?.body).toEqual({
      name: "db",
      type: "tcp",
      target: "db.internal",
      config: { port: 5432, tls: false, ignore_tls_errors: false },
      interval_seconds: 60,
      retry_interval_seconds: null,
      retries: 0,
      timeout_seconds: 10,
      upside_down: false,
      labels: { env: "prod" },
      description: "",
      active: true,
      parent_id: 1,
    });
  });

  it("puts the server's refusals on the fields they name", async () => {
    mockApi({
      "GET /api/probes/monitors": () => ({ data: others, count: 2 }),
      "POST /api/probes/monitors": () =>
        Response.json({ detail: "config.port: Input should be less than or equal to 65535; target: 'db.internal' does not resolve" }, { status: 422 }),
    });
    await renderPage(<MonitorForm initialType="tcp" onSaved={() => undefined} onCancel={() => undefined} />);
    await page.getByLabelText("Name", { exact: true }).fill("db");
    await page.getByLabelText("Host", { exact: true }).fill("db.internal");
    await page.getByLabelText("Port", { exact: true }).fill("5432");
    await page.getByRole("button", { name: "Create monitor" }).click();
    await expect.element(page.getByLabelText("Port", { exact: true })).toHaveAccessibleDescription("Input should be less than or equal to 65535");
    await expect.element(page.getByLabelText("Host", { exact: true })).toHaveAccessibleDescription("'db.internal' does not resolve");
  });

  it("edits a monitor: its type fixed, secrets kept unless typed, itself and its dependants not offered as parent", async () => {
    const stored = monitor(2, { name: "lb", config: { auth: "bearer", method: "GET" }, secret_fields: ["token"] });
    const child = monitor(3, { name: "app", parent_id: 2 });
    const sent = mockApi({
      "GET /api/probes/monitors": () => ({ data: [others[0], stored, child], count: 3 }),
      "PATCH /api/probes/monitors/2": ({ body }) => ({ ...stored, ...(body as object) }),
    });
    const saved = vi.fn();
    await renderPage(<MonitorForm monitor={stored} onSaved={saved} onCancel={() => undefined} />);
    expect(page.getByText("What to monitor").query()).toBeNull();
    await expect.element(page.getByLabelText("Token", { exact: true })).toHaveAccessibleDescription("Stored and never shown: leave empty to keep it.");
    await expect.element(page.getByRole("option", { name: "router" })).toBeInTheDocument();
    expect(page.getByRole("option", { name: "app" }).query()).toBeNull();
    expect(page.getByRole("option", { name: "lb" }).query()).toBeNull();
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => saved.mock.calls.length).toBe(1);
    const body = sent.find((request) => request.method === "PATCH")?.body as { config: Record<string, unknown>; type?: string };
    expect(body.type).toBeUndefined();
    expect(body.config.auth).toBe("bearer");
    expect(body.config).not.toHaveProperty("token");
  });
});
