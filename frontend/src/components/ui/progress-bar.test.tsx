import { describe, expect, it } from "vitest";
import { render } from "vitest-browser-react";
import { levelOf, ProgressBar } from "./progress-bar";

describe("ProgressBar", () => {
  it("colours by the warning and critical thresholds", () => {
    expect([levelOf(10), levelOf(75), levelOf(95), levelOf(null)]).toEqual(["ok", "warn", "crit", "none"]);
  });

  it("is a labelled meter a screen reader can read", async () => {
    const screen = await render(<ProgressBar value={93.4} label="CPU" />);
    const meter = screen.getByRole("meter", { name: "CPU" });
    await expect.element(meter).toHaveAttribute("aria-valuenow", "93");
    await expect.element(meter.element().firstElementChild as HTMLElement).toHaveClass("bg-crit");
  });

  it("without a value is an empty track, not a meter without a value", async () => {
    const screen = await render(<ProgressBar value={null} label="Disk" />);
    expect(screen.container.querySelector('[role="meter"]')).toBeNull();
  });
});
