import { type APIRequestContext, type Page } from "@playwright/test";
import { admin, expect, expectAccessible, joinByInvitation, screenshots as save, signIn, test } from "./fixtures";

// An admin invites a viewer; the viewer registers with the link and finds nothing to change
// (the API refuses too); in an organization of their own they are the last admin, which the
// server protects; then the admin changes the viewer's role and removes them again.
test.describe.configure({ mode: "serial" });

const id = Date.now().toString(36);
const viewer = { username: `agentsorg-viewer-${id}`, email: `agentsorg-viewer-${id}@example.com`, password: `agentsorg-${id}-pw!` };
const ownOrg = `agentsorg-org-${id}`;
let invitation = "";

/** From the top: the shell's sticky bars would otherwise sit mid-page in a full-page shot. */
async function screenshots(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await save(page, name);
}

// Whatever happened above, the viewer this spec added leaves the shared organization.
test.afterAll(async ({ request }) => {
  const headers = { Authorization: `Bearer ${await accessToken(request, admin.username, admin.password)}` };
  const members = (await (await request.get("/api/auth/members", { headers })).json()) as { user_id: number | null; invitation_id: number | null; email: string }[];
  for (const entry of members.filter((m) => m.email === viewer.email)) {
    if (entry.user_id !== null) await request.delete(`/api/auth/members/${entry.user_id}`, { headers });
    else if (entry.invitation_id !== null) await request.delete(`/api/auth/invitations/${entry.invitation_id}`, { headers });
  }
});

function member(page: Page, email: string) {
  return page.locator(`li[data-member="${email}"]`);
}

async function accessToken(request: APIRequestContext, username: string, password: string): Promise<string> {
  const answer = await request.post("/api/auth/token", { form: { username, password } });
  expect(answer.status()).toBe(200);
  return ((await answer.json()) as { access_token: string }).access_token;
}

test("an admin invites a viewer and gets the link once, with copy", async ({ page, context, baseURL }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signIn(page, admin.username, admin.password);
  await page.goto("/organization");
  await expect(page.getByRole("heading", { name: "Organization", level: 1 })).toBeVisible();
  await expect(page.getByRole("link", { name: /Interactive \(Swagger UI\)/ }).first()).toHaveAttribute("href", "/api/auth/docs");
  for (const href of ["/api/auth/docs", "/api/alerts/docs", "/api/auth/redoc", "/api/alerts/redoc"]) {
    await expect(page.locator(`a[href="${href}"]`)).toBeVisible();
    expect((await page.request.get(href)).status(), href).toBe(200);
  }

  await page.getByLabel("E-mail").fill("not an address");
  await page.getByRole("button", { name: "Invite" }).click();
  await expect(page.getByText("Not an e-mail address.")).toBeVisible();
  await page.getByLabel("E-mail").fill(viewer.email);
  await page.getByLabel("Role", { exact: true }).selectOption("viewer");
  await page.getByRole("button", { name: "Invite" }).click();

  const dialog = page.getByRole("dialog", { name: `Invitation link for ${viewer.email}` });
  await expect(dialog).toContainText("shown only this once");
  invitation = await dialog.getByLabel("Invitation link").inputValue();
  expect(invitation).toMatch(new RegExp(`^${baseURL ?? ""}/invitation\\?token=smi_[\\w-]+$`));
  await dialog.getByRole("button", { name: "Copy link" }).click();
  await expect(dialog.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(invitation);
  await expectAccessible(page);
  await screenshots(page, "organization-invitation");
  await dialog.getByRole("button", { name: "Done" }).click();
  expect(await page.content()).not.toContain(invitation.split("token=")[1]);

  const pending = page.locator(`li[data-invitation="${viewer.email}"]`);
  await expect(pending).toContainText("Viewer");
  await expect(pending).toContainText(/Expires in \d+ days/);
  // Inviting the same address again is refused while the first link is open.
  await page.getByLabel("E-mail").fill(viewer.email);
  await page.getByRole("button", { name: "Invite" }).click();
  await expect(page.getByText("this address has a pending invitation")).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, "organization");
});

test("the viewer registers with the link, then finds no edit controls, and the API refuses writes", async ({ browser, request }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await joinByInvitation(page, invitation, viewer);

  await page.goto("/agents");
  // The list, or (no agents in this organization yet) the empty state a viewer gets.
  await expect(page.locator("li[data-agent]").first().or(page.getByText("An operator or admin of this organization adds agents"))).toBeVisible();
  await expect(page.getByRole("button", { name: "Add agent" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Actions for / })).toHaveCount(0);
  await expectAccessible(page);
  await screenshots(page, "agents-viewer");

  await page.goto("/organization");
  await expect(member(page, viewer.email)).toContainText("Viewer");
  await expect(member(page, viewer.email)).toContainText("you");
  await expect(page.getByText("Only admins change roles and membership.")).toBeVisible();
  await expect(page.getByRole("combobox", { name: /^Role of / })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Remove / })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Save name" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Invite" })).toHaveCount(0);
  await expectAccessible(page);
  await screenshots(page, "organization-viewer");

  // The server refuses what the page does not offer.
  const token = await accessToken(request, viewer.username, viewer.password);
  const headers = { Authorization: `Bearer ${token}` };
  const create = await request.post("/api/auth/agents", { headers, data: { name: `agentsorg-refused-${id}` } });
  expect(create.status()).toBe(403);
  expect(((await create.json()) as { detail: string }).detail).toMatch(/operator/);
  expect((await request.post("/api/auth/members", { headers, data: { email: "x@example.com", role: "admin" } })).status()).toBe(403);
  expect((await request.get("/api/auth/invitations", { headers })).status()).toBe(403);
  await context.close();
});

test("in an organization of their own the viewer is its last admin: renames it, invites, and cannot leave or step down", async ({ page }) => {
  await signIn(page, viewer.username, viewer.password);
  await page.goto("/organization");
  const card = page.getByRole("heading", { name: "New organization" }).locator("xpath=ancestor::div[contains(@class,'rounded-lg')][1]");
  await card.getByLabel("Name").fill(ownOrg);
  await card.getByRole("button", { name: "Create organization" }).click();
  await expect(card.getByRole("status")).toContainText(`${ownOrg} created.`);
  await card.getByRole("button", { name: `Switch to ${ownOrg}` }).click();
  await expect(page.getByRole("button", { name: "Save name" })).toBeVisible();
  await expect(page.getByLabel("Name").first()).toHaveValue(ownOrg);

  await page.getByLabel("Name").first().fill(`${ownOrg}-renamed`);
  await page.getByRole("button", { name: "Save name" }).click();
  await expect(page.getByText("Name saved.")).toBeVisible();
  await page.getByRole("button", { name: "Account menu" }).click();
  await expect(page.getByRole("menuitem", { name: new RegExp(`${ownOrg}-renamed`) })).toBeVisible();
  await page.keyboard.press("Escape");

  // The last admin can neither leave nor step down: the server says so, in the dialog.
  await member(page, viewer.email).getByRole("button", { name: "Leave" }).click();
  const leave = page.getByRole("alertdialog", { name: "Leave this organization?" });
  await leave.getByRole("button", { name: "Leave" }).click();
  await expect(leave.getByRole("alert")).toHaveText("the last admin of an organization cannot be removed");
  await expectAccessible(page);
  await leave.getByRole("button", { name: "Cancel" }).click();
  await page.getByRole("combobox", { name: `Role of ${viewer.username}` }).selectOption("viewer");
  const demote = page.getByRole("alertdialog", { name: `Make ${viewer.username} viewer?` });
  await demote.getByRole("button", { name: "Change role" }).click();
  await expect(demote.getByRole("alert")).toHaveText("the last admin of an organization cannot be demoted");
  await demote.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("combobox", { name: `Role of ${viewer.username}` })).toHaveValue("admin");

  // A new organization has no agents yet: the agents page says what to do.
  await page.goto("/agents");
  await expect(page.getByRole("heading", { name: "No agents yet" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Add agent" })).toHaveCount(2);
  await expectAccessible(page);
  await screenshots(page, "agents-empty");
  await page.goto("/organization");

  // Invite, then revoke.
  const other = `agentsorg-other-${id}@example.com`;
  await page.getByLabel("E-mail").fill(other);
  await page.getByLabel("Role", { exact: true }).selectOption("operator");
  await page.getByRole("button", { name: "Invite" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Done" }).click();
  await expect(page.locator(`li[data-invitation="${other}"]`)).toContainText("Operator");
  await page.getByRole("button", { name: `Revoke the invitation of ${other}` }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Revoke" }).click();
  await expect(page.locator(`li[data-invitation="${other}"]`)).toHaveCount(0);
  await expectAccessible(page);
  await screenshots(page, "organization-own");
});

test("the admin makes the viewer an operator, then removes them after confirming", async ({ page }) => {
  await signIn(page, admin.username, admin.password);
  await page.goto("/organization");
  const row = member(page, viewer.email);
  await row.getByRole("combobox", { name: `Role of ${viewer.username}` }).selectOption("operator");
  const confirm = page.getByRole("alertdialog", { name: `Make ${viewer.username} operator?` });
  await confirm.getByRole("button", { name: "Change role" }).click();
  await expect(confirm).toBeHidden();
  await expect(row.getByRole("combobox", { name: `Role of ${viewer.username}` })).toHaveValue("operator");

  await row.getByRole("button", { name: `Remove ${viewer.username}` }).click();
  const remove = page.getByRole("alertdialog", { name: `Remove ${viewer.username} from the organization?` });
  await remove.getByRole("button", { name: "Remove" }).click();
  await expect(remove).toBeHidden();
  await expect(member(page, viewer.email)).toHaveCount(0);
});
