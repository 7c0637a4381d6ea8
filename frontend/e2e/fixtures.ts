// Shared steps of the end-to-end specs: who signs in, and the screenshots every page leaves
// (light, dark and a 375 px phone) in e2e/screenshots/.
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test as base } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), "screenshots");

export const admin = {
  username: process.env.SM_ADMIN_USER ?? "admin@localhost",
  password: process.env.SM_ADMIN_PASSWORD ?? "",
};

export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Username or e-mail").fill(username);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/hosts/);
}

/** Opens an invitation link, signs up with it as `user`, then signs in. */
export async function joinByInvitation(
  page: Page,
  invitation: string,
  user: { username: string; email: string; password: string },
): Promise<void> {
  await page.goto(invitation);
  await expect(page.getByRole("heading", { name: "You have been invited" })).toBeVisible();
  await page.getByRole("link", { name: "Create an account" }).click();
  await page.getByLabel("Username").fill(user.username);
  await page.getByLabel("E-mail").fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Create an account" }).click();
  await expect(page.getByText("Account created")).toBeVisible();
  await signIn(page, user.username, user.password);
}

async function setTheme(page: Page, theme: "light" | "dark"): Promise<void> {
  await page.evaluate((value) => {
    localStorage.setItem("sm-theme", value);
    document.documentElement.classList.toggle("dark", value === "dark");
  }, theme);
}

/** `<name>-light.png`, `<name>-dark.png` at the current size and `<name>-mobile.png` at 375 px. */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // From the top: the shell's sticky bars would otherwise sit mid-page in a full-page shot.
  await page.evaluate(() => window.scrollTo(0, 0));
  const size = page.viewportSize() ?? { width: 1280, height: 800 };
  await setTheme(page, "light");
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-light.png`), fullPage: true });
  await setTheme(page, "dark");
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-dark.png`), fullPage: true });
  await page.setViewportSize({ width: 375, height: 812 });
  await page.waitForTimeout(150);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-mobile.png`), fullPage: true });
  await page.setViewportSize(size);
  await setTheme(page, "light");
}

/** No serious or critical axe-core violation on what the page shows now. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}

export const test = base;
export { expect };
