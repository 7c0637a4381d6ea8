import { afterEach, describe, expect, it, vi } from "vitest";
import { page } from "vitest/browser";
import { render } from "vitest-browser-react";
import type { IssuedToken } from "../api/mutations";
import { TokenDialog } from "./token-dialog";

const TOKEN = "sm_Q2hhbmdlTWUtdGhpcy1pcy1hLXRlc3QtdG9rZW4tMTIzNDU";

function issued(msLeft: number): IssuedToken {
  return {
    token: TOKEN,
    deadline: Date.now() + msLeft,
    agent: {
      id: 7,
      org_id: 1,
      name: "web-1",
      labels: {},
      host_info: {},
      created_at: new Date().toISOString(),
      token_status: "pending",
      activation_deadline: new Date(Date.now() + msLeft).toISOString(),
      activated_at: null,
      last_seen_at: null,
    },
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("TokenDialog", () => {
  it("shows the token once, in one field, with the gateway URL and token in the snippets", async () => {
    await render(<TokenDialog issued={issued(300_000)} origin="https://monitor.example.com" onClose={() => undefined} />);
    await expect.element(page.getByRole("dialog", { name: "web-1 is ready: start its agent" })).toBeVisible();
    await expect.element(page.getByLabelText("Agent token")).toHaveValue(TOKEN);
    await expect.element(page.getByText(/shown only this once/)).toBeVisible();
    const snippet = page.getByRole("region", { name: "Install and start the agent" }).getByLabelText("Linux (systemd) commands");
    await expect.element(snippet).toHaveTextContent("INGESTION_URL=https://monitor.example.com/api");
    await expect.element(snippet).toHaveTextContent(`AGENT_TOKEN=${TOKEN}`);
    await page.getByRole("tab", { name: "Docker" }).click();
    await expect.element(page.getByLabelText("Docker commands")).toHaveTextContent(`-e AGENT_TOKEN=${TOKEN}`);
  });

  it("copies the token to the clipboard", async () => {
    const write = vi.spyOn(navigator.clipboard, "writeText").mockResolvedValue();
    await render(<TokenDialog issued={issued(300_000)} onClose={() => undefined} />);
    await page.getByRole("button", { name: "Copy token" }).click();
    expect(write).toHaveBeenCalledWith(TOKEN);
    await expect.element(page.getByRole("button", { name: "Copied" })).toBeVisible();
  });

  it("selects the token for ⌘C when the browser refuses to copy", async () => {
    vi.spyOn(navigator.clipboard, "writeText").mockRejectedValue(new DOMException("denied", "NotAllowedError"));
    vi.spyOn(document, "execCommand").mockReturnValue(false);
    await render(<TokenDialog issued={issued(300_000)} onClose={() => undefined} />);
    await page.getByRole("button", { name: "Copy token" }).click();
    await expect.element(page.getByRole("button", { name: /press Ctrl\+C/ })).toBeVisible();
    const field = page.getByLabelText("Agent token").element() as HTMLInputElement;
    expect(document.activeElement).toBe(field);
    expect([field.selectionStart, field.selectionEnd]).toEqual([0, TOKEN.length]);
  });

  it("counts the activation window down, second by second", async () => {
    await render(<TokenDialog issued={issued(300_000 - 200)} onClose={() => undefined} />);
    const timer = page.getByRole("timer");
    await expect.element(timer).toHaveTextContent("Start the agent within 5:00");
    await expect.element(timer, { timeout: 2500 }).toHaveTextContent("Start the agent within 4:59");
    await expect.element(timer, { timeout: 2500 }).toHaveTextContent("Start the agent within 4:58");
  });

  it("says when the window closed and offers a new token", async () => {
    const regenerate = vi.fn();
    await render(<TokenDialog issued={issued(1200)} onClose={() => undefined} onRegenerate={regenerate} />);
    await expect.element(page.getByRole("timer")).toBeVisible();
    await expect.element(page.getByText("The activation window has passed"), { timeout: 3000 }).toBeVisible();
    await expect.element(page.getByText(/agent token rejected/)).toBeVisible();
    await page.getByRole("button", { name: "Regenerate token" }).click();
    expect(regenerate).toHaveBeenCalledOnce();
  });

  it("stops counting once the agent reports", async () => {
    await render(<TokenDialog issued={issued(300_000)} connected onClose={() => undefined} />);
    await expect.element(page.getByRole("status")).toHaveTextContent("The agent is reporting");
    expect(page.getByRole("timer").query()).toBeNull();
  });

  it("closes only by its buttons, not by a click beside it", async () => {
    const close = vi.fn();
    await render(<TokenDialog issued={issued(300_000)} onClose={close} />);
    await page.getByRole("button", { name: "Done, I have stored the token" }).click();
    expect(close).toHaveBeenCalledOnce();
  });
});
