// The account pages in the browser: profile and password, sub-profiles within the
// plan's limit, devices, a data export, scheduling and canceling the deletion, and the
// notifications those raise.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  sharedBrowser, signInAs, BASE_URL, waitForHydration, api, superadminToken, verifiedAccount, textOf,
} from "./helpers.mjs";

const PASSWORD = "a long enough password";

const newPage = sharedBrowser();

async function apiToken(email, password = PASSWORD) {
  const [status, tokens] = await api("POST", "/auth/login", { body: { email, password } });
  assert.equal(status, 200);
  return tokens.access_token;
}

test("edit the profile, change the password, manage profiles and devices", async () => {
  const email = `member-${Date.now()}@example.com`;
  await verifiedAccount(email, PASSWORD, "Member");
  const { page, context, problems } = await newPage();
  await signInAs(page, { email, password: PASSWORD });

  // Profile: a bad phone is explained, a good edit is kept.
  await page.getByLabel("Phone").fill("12345");
  await page.getByRole("button", { name: "Save profile" }).click();
  await page.getByRole("alert").filter({ hasText: "phone" }).waitFor();
  await page.getByLabel("Phone").fill("+14155550123");
  await page.getByLabel("Display name").fill("Member Renamed");
  await page.getByLabel("Time zone").fill("Europe/Paris");
  await page.getByLabel("News and offers").uncheck();
  await page.getByRole("button", { name: "Save profile" }).click();
  await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
  await page.reload();
  await waitForHydration(page);
  assert.equal(await page.getByLabel("Display name").inputValue(), "Member Renamed");
  assert.equal(await page.getByLabel("Time zone").inputValue(), "Europe/Paris");
  assert.equal(await page.getByLabel("News and offers").isChecked(), false);

  // Avatar: a GIF is refused as soon as it is picked, a text file named .png by the
  // server's decoding; a PNG is previewed before the upload and shown after it.
  const avatar = page.getByLabel("Avatar");
  await avatar.setInputFiles({ name: "cat.gif", mimeType: "image/gif", buffer: Buffer.from("GIF89a") });
  await page.getByRole("alert").filter({ hasText: "Choose a JPEG or PNG image." }).waitFor();
  assert.equal(await page.getByTestId("avatar-preview").count(), 0);
  await avatar.setInputFiles({ name: "notes.png", mimeType: "image/png", buffer: Buffer.from("not an image") });
  await page.getByRole("button", { name: "Upload avatar" }).click();
  await page.getByRole("alert").filter({ hasText: "JPEG or PNG" }).waitFor();
  const png = Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
    "base64",
  );
  await avatar.setInputFiles({ name: "me.png", mimeType: "image/png", buffer: png });
  assert.match(await page.getByTestId("avatar-preview").getAttribute("src"), /^blob:/);
  await page.getByRole("button", { name: "Upload avatar" }).click();
  await page.getByRole("status").filter({ hasText: "Avatar updated." }).waitFor();
  await page.getByTestId("avatar").waitFor();
  const served = await page.evaluate(async (src) => (await fetch(src)).headers.get("content-type"),
    await page.getByTestId("avatar").getAttribute("src"));
  assert.equal(served, "image/png");

  // Password: other sessions end, this browser stays signed in.
  const other = await apiToken(email);
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByLabel("New password").fill("a brand new long password");
  await page.getByRole("button", { name: "Change password" }).click();
  await page.getByRole("status").filter({ hasText: "Password changed" }).waitFor();
  const [stale] = await api("GET", "/users/me", { token: other });
  assert.equal(stale, 401);
  await page.goto(BASE_URL + "/account/profiles");
  await waitForHydration(page);

  // Without a plan the primary profile is the only one.
  await page.getByTestId("profiles").waitFor();
  assert.match(await textOf(page, "profiles"), /primary/);
  await page.getByLabel("Name", { exact: true }).fill("Kid");
  await page.getByLabel("Kids profile").check();
  await page.getByRole("button", { name: "Add profile" }).click();
  await page.getByRole("alert").filter({ hasText: "allows" }).waitFor();

  // Subscribed to a plan with two profiles, the second one fits.
  const root = await superadminToken();
  const [planStatus, plan] = await api("POST", "/admin/plans", {
    token: root,
    body: {
      name: `Family ${Date.now()}`, price: 12.99, currency: "USD", billing_cycle: "monthly",
      max_profiles: 2, max_concurrent_streams: 2, max_devices: 2, max_quality: "HD",
      has_downloads: true, has_ads: false, trial_days: 0, is_active: true,
    },
  });
  assert.equal(planStatus, 201, JSON.stringify(plan));
  const token = await apiToken(email, "a brand new long password");
  const [cardStatus, card] = await api("POST", "/payment-methods", { token, body: { payment_method_token: "tok_visa" } });
  assert.equal(cardStatus, 201);
  const [subStatus] = await api("POST", "/subscriptions", {
    token, body: { plan_id: plan.id, payment_method_id: card.id },
  });
  assert.equal(subStatus, 201);
  await page.getByLabel("PIN (optional)").fill("2468");
  await page.getByRole("button", { name: "Add profile" }).click();
  await page.getByTestId("profiles").filter({ hasText: "Kid" }).waitFor();
  assert.match(await textOf(page, "profiles"), /kids/);

  // Who's watching: the locked profile opens only with its PIN.
  await page.getByRole("button", { name: "Kid 🔒" }).click();
  await page.getByLabel("PIN for Kid").fill("1111");
  await page.getByRole("button", { name: "Open profile" }).click();
  await page.getByRole("alert").filter({ hasText: "PIN" }).waitFor();
  await page.getByLabel("PIN for Kid").fill("2468");
  await page.getByRole("button", { name: "Open profile" }).click();
  await page.getByTestId("watching-as").filter({ hasText: "Watching as Kid." }).waitFor();
  // Edit: rename it and take the PIN off.
  const kid = page.getByTestId("profiles").locator("li", { hasText: "Kid" });
  await kid.getByText("Edit Kid…").click();
  await kid.getByLabel("Profile name").fill("Kiddo");
  await kid.getByLabel("Remove the PIN").check();
  await kid.getByRole("button", { name: "Save profile" }).click();
  // Without its PIN the picker no longer shows the lock.
  await page.getByRole("button", { name: "Kiddo", exact: true }).waitFor();
  assert.equal(await page.getByRole("button", { name: "Kiddo 🔒" }).count(), 0);

  await page.getByText("Delete Kiddo…").click();
  await page.getByRole("button", { name: "Yes, delete it" }).click();
  await page.waitForFunction(() => !document.querySelector("[data-testid=profiles]")?.textContent.includes("Kid"));

  // Devices: one registered by an app, then signed out from here.
  await page.getByRole("link", { name: "Devices" }).click();
  await page.waitForURL("**/account/devices");
  await page.getByTestId("no-devices").waitFor();
  const [registered] = await api("POST", "/users/me/devices", { token, body: { name: "Living room TV", platform: "tv" } });
  assert.equal(registered, 201);
  await page.reload();
  await waitForHydration(page);
  assert.match(await textOf(page, "devices"), /Living room TV/);
  await page.getByRole("button", { name: "Sign out Living room TV" }).click();
  await page.getByTestId("no-devices").waitFor();
  const [signedOut] = await api("GET", "/users/me", { token });
  assert.equal(signedOut, 401, "removing the device ended its session");

  // Refused form submissions answer 4xx, which the browser logs; nothing else may fail.
  assert.deepEqual(problems.filter((p) => !/status of 4\d\d/.test(p)), []);
  await context.close();
});

test("export my data, schedule the deletion and keep the account", async () => {
  const email = `private-${Date.now()}@example.com`;
  await verifiedAccount(email, PASSWORD, "Private");
  const { page, context, problems } = await newPage();
  await signInAs(page, { email, password: PASSWORD });
  await page.getByRole("link", { name: "Privacy" }).click();
  await page.waitForURL("**/account/privacy");
  await waitForHydration(page);

  await page.getByRole("button", { name: "Request a copy of my data" }).click();
  await page.getByText("Preparing your file…").waitFor();
  // The server's worker picks the job up within seconds; the page looks again by itself.
  await page.getByTestId("export-download").waitFor({ timeout: 30_000 });
  const href = await page.getByTestId("export-download").getAttribute("href");
  const download = await fetch(new URL(href, BASE_URL));
  assert.equal(download.status, 200);
  assert.equal((await download.json()).account.email, email);

  await page.getByText("Delete my account…").click();
  await page.getByLabel("Your password").fill("not my password");
  await page.getByRole("button", { name: "Yes, delete my account in 30 days" }).click();
  await page.getByRole("alert").filter({ hasText: "password" }).waitFor();
  await page.getByLabel("Your password").fill(PASSWORD);
  await page.getByLabel("Why are you leaving? (optional)").fill("Testing");
  await page.getByRole("button", { name: "Yes, delete my account in 30 days" }).click();
  await page.getByTestId("deletion-scheduled").waitFor();
  assert.match(await textOf(page, "deletion-scheduled"), /will be erased on .* \(in 30 days\)/);
  await page.getByRole("button", { name: "Keep my account" }).click();
  await page.getByText("Delete my account…").waitFor();

  // Each step left a notification; reading one lowers the unread count.
  await page.getByRole("link", { name: "Notifications" }).click();
  await page.waitForURL("**/account/notifications");
  await waitForHydration(page);
  const list = await textOf(page, "notifications");
  assert.match(list, /Your data export is ready/);
  assert.match(list, /scheduled for deletion/);
  assert.match(list, /will not be deleted/);
  await page.getByText("3 unread").waitFor();
  // The header's badge counts them too, and follows a mark-read without a navigation.
  await page.getByTestId("unread-count").filter({ hasText: /^3$/ }).waitFor();
  await page.getByRole("button", { name: "Mark read" }).first().click();
  await page.getByText("2 unread").waitFor();
  await page.getByTestId("unread-count").filter({ hasText: /^2$/ }).waitFor();
  await page.getByLabel("Unread only").check();
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=notifications] li").length === 2);

  // Refused form submissions answer 4xx, which the browser logs; nothing else may fail.
  assert.deepEqual(problems.filter((p) => !/status of 4\d\d/.test(p)), []);
  await context.close();
});
