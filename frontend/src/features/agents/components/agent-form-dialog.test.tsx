import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { afterEach, describe, expect, it, vi } from "vitest";
import { page } from "vitest/browser";
import { render } from "vitest-browser-react";
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
