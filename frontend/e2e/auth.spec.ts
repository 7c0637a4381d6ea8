import { admin, expect, expectAccessible, screenshots, signIn, test } from "./fixtures";

test("a signed-out visitor is sent to sign in and comes back where they were", async ({ page }) => {
  await page.goto("/profile");
  await expect(page).toHaveURL(/\/login\?redirect=%2Fprofile/);
  await expectAccessible(page);
  await screenshots(page, "sign-in");
  await page.getByLabel("Username or e-mail").fill(admin.username);
  await page.getByLabel("Password", { exact: true }).fill("wrong password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText(/incorrect|invalid/i);
  await page.getByLabel("Password", { exact: true }).fill(admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.getByRole("heading", { name: "Profile" })).toBeVisible();
});

test("the session survives a reload without any token in storage, and sign-out ends it", async ({ page }) => {
  await signIn(page, admin.username, admin.password);
  await page.goto("/profile");
  await page.reload();
  await expect(page.getByText(admin.username).first()).toBeVisible();
  const stored = await page.evaluate(() => JSON.stringify(Object.entries(localStorage)) + JSON.stringify(Object.entries(sessionStorage)) + document.cookie);
  expect(stored).not.toMatch(/eyJ/); // no JWT readable by script
  await expectAccessible(page);
  await screenshots(page, "profile");
  await page.getByRole("button", { name: "Account menu" }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/profile");
  await expect(page).toHaveURL(/\/login/);
});
