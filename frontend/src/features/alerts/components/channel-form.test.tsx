import { describe, expect, it, vi } from "vitest";
import { render } from "vitest-browser-react";
import { userEvent } from "vitest/browser";
import { ApiError } from "@/lib/api/errors";
import type { Channel } from "../api/types";
import { CHANNEL_TYPES } from "../utils/channel-types.fixture";
import { ChannelForm, type ChannelSubmit } from "./channel-form";

const stored: Channel = {
  id: 7,
  type: "webhook",
  name: "alerts-hook",
  enabled: true,
  daily_summary: false,
  config: { url: "https://example.org/hook", headers: {} },
  secrets_set: ["secret"],
  secrets_unreadable: false,
  user_id: null,
  created_at: "2026-11-29T08:00:00Z",
  updated_at: "2026-11-29T08:00:00Z",
};

describe("the channel form generated from /channels/types", () => {
  it("shows each type's own settings, labelled, and checks them before sending", async () => {
    const onSubmit = vi.fn<(request: ChannelSubmit) => Promise<void>>(() => Promise.resolve());
    const screen = await render(<ChannelForm types={CHANNEL_TYPES} onSubmit={onSubmit} onCancel={() => undefined} />);
    await expect.element(screen.getByLabelText("URL")).toBeVisible();
    await expect.element(screen.getByLabelText("Secret Headers (optional)")).toBeVisible();

    await userEvent.selectOptions(screen.getByLabelText("Type").element(), "telegram");
    await expect.element(screen.getByLabelText("Chat ID")).toBeVisible();
    await expect.element(screen.getByLabelText("Bot Token (optional)")).toHaveAttribute("type", "password");
    expect(screen.getByLabelText("URL").query()).toBeNull();

    await userEvent.selectOptions(screen.getByLabelText("Type").element(), "webhook");
    await screen.getByRole("button", { name: "Create channel" }).click();
    await expect.element(screen.getByText("Required.").first()).toBeVisible();
    await expect.element(screen.getByLabelText("URL")).toHaveAttribute("aria-invalid", "true");
    expect(onSubmit).not.toHaveBeenCalled();

    await screen.getByLabelText("Name").fill("alerts-hook");
    await screen.getByLabelText("URL").fill("https://example.org/hook");
    await screen.getByLabelText("Secret (optional)").fill("s3cret-value");
    await screen.getByRole("button", { name: "Create channel" }).click();
    await vi.waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]?.[0]).toEqual({
      body: { type: "webhook", name: "alerts-hook", enabled: true, daily_summary: false, config: { url: "https://example.org/hook", headers: {}, secret: "s3cret-value" } },
    });
  });

  it("never shows a stored secret, leaves it out unless retyped, and shows the server's refusal on its field", async () => {
    const onSubmit = vi.fn<(request: ChannelSubmit) => Promise<void>>(() =>
      Promise.reject(new ApiError(422, "refused", { detail: "config.url: Value error, URL must start with http:// or https://" })),
    );
    const screen = await render(<ChannelForm types={CHANNEL_TYPES} channel={stored} onSubmit={onSubmit} onCancel={() => undefined} />);
    expect(screen.getByLabelText("Type").query()).toBeNull(); // a channel keeps its type
    const secret = screen.getByLabelText("Secret (optional)");
    await expect.element(secret).toHaveValue("");
    await expect.element(secret).toHaveAttribute("placeholder", "•••••• (unchanged)");
    await expect.element(screen.getByLabelText("Remove the stored Secret")).not.toBeChecked();

    await screen.getByLabelText("URL").fill("ftp://example.org");
    await screen.getByRole("button", { name: "Save channel" }).click();
    await vi.waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]?.[0]).toEqual({ id: 7, body: { name: "alerts-hook", enabled: true, daily_summary: false, config: { url: "ftp://example.org", headers: {} } } });
    await expect.element(screen.getByText("URL must start with http:// or https://")).toBeVisible();
    await expect.element(screen.getByLabelText("URL")).toHaveAttribute("aria-invalid", "true");
  });
});
