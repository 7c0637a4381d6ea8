import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { afterEach, describe, expect, it, vi } from "vitest";
import { page, userEvent } from "vitest/browser";
import { render } from "vitest-browser-react";
import { session } from "@/lib/api/session";
import type { Agent, Monitor } from "../api/queries";
import { AgentFormDialog } from "./agent-form-dialog";

afterEach(() => {
  vi.restoreAllMocks();
});

function renderForm() {
  const client = new QueryClient({ defaultOptions: { mutations: { retry: false } } });
  const onCreated = vi.fn();
  const screen = render(
    <QueryClientProvider client={client}>
      <AgentFormDialog onClose={() => undefined} onCreated={onCreated} />
    </QueryClientProvider>,
  );
  return { screen, onCreated };
}

describe("AgentFormDialog's label editor", () => {
  it("checks each field before sending: missing key, duplicate key, empty name", async () => {
    const fetchSpy = vi.spyOn(window, "fetch");
    await renderForm().screen;
    await page.getByLabelText("Key of label 1").fill("env");
    await page.getByLabelText("Value of label 1").fill("prod");
    await page.getByRole("button", { name: "Add label" }).click();
    await page.getByLabelText("Key of label 2").fill("env");
    await page.getByRole("button", { name: "Add label" }).click();
    await page.getByLabelText("Value of label 3").fill("orphan");
    await page.getByRole("button", { name: "Create agent and show its token" }).click();
    await expect.element(page.getByText("A name is required.")).toBeVisible();
    await expect.element(page.getByLabelText("Key of label 2")).toHaveAccessibleDescription("This key is used twice.");
    await expect.element(page.getByLabelText("Key of label 3")).toHaveAccessibleDescription("A label needs a key.");
    await expect.element(page.getByLabelText("Key of label 1")).not.toHaveAttribute("aria-invalid");
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it("puts the server's refusals on the fields they name", async () => {
    vi.spyOn(window, "fetch").mockImplementation((input) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith("/refresh")) return Promise.resolve(Response.json({ access_token: "t", expires_in: 900 }));
      // What FastAPI answers when the client's limits are looser than the server's.
      return Promise.resolve(
        Response.json(
          { detail: [{ type: "string_too_long", loc: ["body", "labels", "note"], msg: "String should have at most 256 characters" }] },
          { status: 422 },
        ),
      );
    });
    const { screen, onCreated } = renderForm();
    await screen;
    await page.getByLabelText("Name").fill("web-1");
    await page.getByLabelText("Key of label 1").fill("note");
    // A server whose bounds are stricter than this client knows (another version): its
    // own words land on the field.
    await page.getByLabelText("Value of label 1").fill("v".repeat(200));
    const value = page.getByLabelText("Value of label 1");
    await page.getByRole("button", { name: "Create agent and show its token" }).click();
    await expect.element(value).toHaveAccessibleDescription("String should have at most 256 characters");
    await expect.element(value).toHaveAttribute("aria-invalid", "true");
    expect(onCreated).not.toHaveBeenCalled();
  });
});

const web: Agent = {
  id: 7,
  org_id: 1,
  name: "web-1",
  labels: { env: "prod" },
  host_info: {},
  created_at: "2026-11-01T00:00:00Z",
  token_status: "active",
  activation_deadline: null,
  activated_at: "2026-11-01T00:01:00Z",
  last_seen_at: "2026-11-29T12:00:00Z",
  parent_monitor_id: 4,
};

const monitorNamed = (id: number, name: string) => ({ id, name }) as Monitor; // only these are read

describe("AgentFormDialog's dependency on a monitor", () => {
  it("shows the monitor the host depends on once the list arrives, and sends the new choice or null", async () => {
    session.accept({ access_token: "test-token", expires_in: 3600 });
    let release: () => void = () => undefined;
    const listed = new Promise<void>((resolve) => (release = resolve));
    const patches: unknown[] = [];
    vi.spyOn(window, "fetch").mockImplementation(async (input, init) => {
      const request = input instanceof Request ? input : new Request(String(input), init);
      if (request.url.endsWith("/api/probes/monitors")) {
        await listed; // the form is there before the monitors are
        return Response.json({ data: [monitorNamed(4, "router"), monitorNamed(3, "shop")], count: 2 });
      }
      const body = (await request.json()) as Record<string, unknown>;
      patches.push([request.method, new URL(request.url).pathname, body]);
      return Response.json({ ...web, ...body });
    });
    const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
    const onClose = vi.fn();
    await render(
      <QueryClientProvider client={client}>
        <AgentFormDialog agent={web} onClose={onClose} onCreated={() => undefined} />
      </QueryClientProvider>,
    );
    const select = page.getByLabelText("Depends on monitor");
    await expect.element(select).toHaveValue("4"); // offered by number until the list comes
    release();
    await expect.element(page.getByRole("option", { name: "router" })).toBeInTheDocument();
    await expect.element(select).toHaveValue("4");
    expect((select.element() as HTMLSelectElement).selectedOptions[0]?.textContent).toBe("router");
    await userEvent.selectOptions(select.element(), "shop");
    await page.getByRole("button", { name: "Save" }).click();
    await vi.waitFor(() => expect(onClose).toHaveBeenCalledTimes(1));
    await userEvent.selectOptions(select.element(), "None");
    await page.getByRole("button", { name: "Save" }).click();
    await vi.waitFor(() => expect(onClose).toHaveBeenCalledTimes(2));
    expect(patches).toEqual([
      ["PATCH", "/api/auth/agents/7", { name: "web-1", labels: { env: "prod" }, parent_monitor_id: 3 }],
      ["PATCH", "/api/auth/agents/7", { name: "web-1", labels: { env: "prod" }, parent_monitor_id: null }],
    ]);
  });

  it("offers no dependency when creating an agent (it is set once the agent exists)", async () => {
    await renderForm().screen;
    await expect.element(page.getByLabelText("Name")).toBeVisible();
    expect(page.getByLabelText("Depends on monitor").query()).toBeNull();
  });
});
