// The admin console in the browser: find a user by typing, suspend them (their
// session stops working at once), reinstate them, read the audit log; axe-core on
// every console page a superadmin sees.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  sharedBrowser, BASE_URL, waitForHydration, api, superadmin, verifiedAccount, signInAs, seriousViolations,
} from "./helpers.mjs";
const PASSWORD = "a long enough password";

const newPage = sharedBrowser();


test("find a user, suspend them, reinstate them, read the audit log", async () => {
  const root = await superadmin();
  const email = `suspect-${Date.now()}@example.com`;
  await verifiedAccount(email, PASSWORD, "Suspect");
  const [, tokens] = await api("POST", "/auth/login", { body: { email, password: PASSWORD } });
  const [before] = await api("GET", "/users/me", { token: tokens.access_token });
  assert.equal(before, 200);

  const { page, context, problems } = await newPage();
  await signInAs(page, root);
  await page.goto(BASE_URL + "/admin");
  await waitForHydration(page);
  const violations = await seriousViolations(page);

  // Search as you type: the table narrows to the one account.
  await page.getByLabel("Search users").fill(email);
  const row = page.getByTestId("users").getByRole("link", { name: email });
  // The unfiltered first page may show the new account too: wait for the narrowing.
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=users] tbody tr").length === 1);
  await row.waitFor();
  await page.getByLabel("Search users").fill(`${email} nobody`);
  await page.getByTestId("no-users").waitFor();
  await page.getByLabel("Search users").fill(email);
  await row.click();
  await page.waitForURL("**/admin/users/*");
  await waitForHydration(page);
  await page.getByRole("heading", { level: 1, name: "Suspect" }).waitFor();

  // Suspending asks for a reason in a dialog; Cancel leaves the account alone.
  await page.getByRole("button", { name: "Suspend…" }).click();
  const suspendDialog = page.getByRole("dialog", { name: "Suspend this account" });
  await suspendDialog.waitFor();
  violations.push(...(await seriousViolations(page)));
  await suspendDialog.getByRole("button", { name: "Cancel" }).click();
  await suspendDialog.waitFor({ state: "hidden" });
  await page.getByRole("button", { name: "Suspend…" }).click();
  await suspendDialog.getByLabel("Reason").fill("Posting spam links");
  await suspendDialog.getByRole("button", { name: "Suspend account" }).click();
  await page.getByTestId("account-status").filter({ hasText: "suspended" }).waitFor();

  // The user's session stopped at once, and signing in is refused.
  const [after] = await api("GET", "/users/me", { token: tokens.access_token });
  assert.equal(after, 401);
  const [login] = await api("POST", "/auth/login", { body: { email, password: PASSWORD } });
  assert.equal(login, 403);

  await page.getByRole("button", { name: "Reinstate…" }).click();
  const reinstateDialog = page.getByRole("dialog", { name: "Reinstate this account" });
  await reinstateDialog.getByLabel("Note").fill("Appeal accepted");
  await reinstateDialog.getByRole("button", { name: "Reinstate account" }).click();
  await page.getByTestId("account-status").filter({ hasText: "active" }).waitFor();
  const [again] = await api("POST", "/auth/login", { body: { email, password: PASSWORD } });
  assert.equal(again, 200);
  const trail = page.getByTestId("audit-entries");
  await trail.getByText("user.reinstated").waitFor();
  await trail.getByText("Reason: Posting spam links").waitFor();
  violations.push(...(await seriousViolations(page)));

  // The audit log, filtered by action.
  await page.getByRole("link", { name: "Audit log" }).click();
  await page.waitForURL("**/admin/audit-log");
  await waitForHydration(page);
  await page.getByLabel("Action").fill("user.suspended");
  await page.waitForFunction(() => {
    const shown = [...document.querySelectorAll("[data-testid=audit-entries] li span.font-mono")];
    return shown.length > 0 && shown.every((s) => s.textContent.trim() === "user.suspended");
  });
  await page.getByTestId("audit-entries").getByText("Reason: Posting spam links").waitFor();
  const actions = await page.getByTestId("audit-entries").locator("li span.font-mono").allTextContents();
  assert.ok(actions.length > 0 && actions.every((a) => a.trim() === "user.suspended"), actions.join());
  violations.push(...(await seriousViolations(page)));

  assert.deepEqual(violations, []);
  assert.deepEqual(problems.filter((p) => !/status of 4\d\d/.test(p)), []);
  await context.close();
});

test("the console refuses someone who is not staff", async () => {
  const email = `plain-${Date.now()}@example.com`;
  await verifiedAccount(email, PASSWORD, "Plain");
  const { page, context } = await newPage();
  await page.goto(BASE_URL + "/signin");
  await waitForHydration(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/account");
  await page.goto(BASE_URL + "/admin");
  await waitForHydration(page);
  await page.getByRole("alert").filter({ hasText: "Only platform staff" }).waitFor();
  assert.equal(await page.getByTestId("users").count(), 0);
  await context.close();
});


function planBody(name, price, trialDays = 0) {
  return {
    name, price, currency: "USD", billing_cycle: "monthly", max_profiles: 2, max_concurrent_streams: 2,
    max_devices: 2, max_quality: "HD", has_downloads: false, has_ads: false, trial_days: trialDays, is_active: true,
  };
}

test("edit a plan in two tabs: the second save reports the conflict", async () => {
  const root = await superadmin();
  const name = `Duo ${Date.now()}`;
  const [created, plan] = await api("POST", "/admin/plans", { token: root.token, body: planBody(name, 11.99) });
  assert.equal(created, 201, JSON.stringify(plan));

  const { page: first, context, problems } = await newPage();
  await signInAs(first, root);
  const second = await context.newPage();
  for (const tab of [first, second]) {
    await tab.goto(`${BASE_URL}/admin/plans/${plan.id}`);
    await waitForHydration(tab);
    await tab.getByLabel("Name").waitFor();
  }
  await first.getByLabel("Name").fill(`${name} renamed`);
  await first.getByRole("button", { name: "Save plan" }).click();
  await first.getByRole("status").filter({ hasText: "Saved." }).waitFor();

  await second.getByLabel("Price").fill("12.49");
  await second.getByRole("button", { name: "Save plan" }).click();
  await second.getByTestId("plan-conflict").waitFor();
  const [, unchanged] = await api("GET", `/admin/plans/${plan.id}`, { token: root.token });
  assert.equal(unchanged.name, `${name} renamed`);
  assert.equal(unchanged.price, 11.99, "the stale save changed nothing");

  await second.getByRole("button", { name: "Reload the plan" }).click();
  await second.getByLabel("Name").and(second.locator(`[value="${name} renamed"]`)).waitFor();
  await second.getByLabel("Price").fill("12.49");
  await second.getByRole("button", { name: "Save plan" }).click();
  await second.getByRole("status").filter({ hasText: "Saved." }).waitFor();
  const [, saved] = await api("GET", `/admin/plans/${plan.id}`, { token: root.token });
  assert.equal(saved.price, 12.49);
  assert.equal(saved.name, `${name} renamed`);

  await second.goto(BASE_URL + "/admin/plans");
  await waitForHydration(second);
  await second.getByTestId("plans").getByRole("link", { name: `${name} renamed` }).waitFor();
  assert.deepEqual(await seriousViolations(second), []);
  assert.deepEqual(problems.filter((p) => !/status of 4\d\d/.test(p)), []);
  await context.close();
});

test("look up an invoice and refund part of it", async () => {
  const root = await superadmin();
  const [, plan] = await api("POST", "/admin/plans", { token: root.token, body: planBody(`Solo ${Date.now()}`, 20) });
  const email = `payer-${Date.now()}@example.com`;
  await verifiedAccount(email, PASSWORD, "Payer");
  const [, tokens] = await api("POST", "/auth/login", { body: { email, password: PASSWORD } });
  const token = tokens.access_token;
  const [, card] = await api("POST", "/payment-methods", { token, body: { payment_method_token: "tok_visa" } });
  const [subscribed] = await api("POST", "/subscriptions", { token, body: { plan_id: plan.id, payment_method_id: card.id } });
  assert.equal(subscribed, 201);
  const [, invoices] = await api("GET", "/invoices", { token });
  const number = invoices.data[0].invoice_number;

  const { page, context, problems } = await newPage();
  await signInAs(page, root);
  // The users table's search is in the address: a link opens it already narrowed.
  await page.goto(`${BASE_URL}/admin?q=${encodeURIComponent(email)}`);
  await waitForHydration(page);
  assert.equal(await page.getByLabel("Search users").inputValue(), email);
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=users] tbody tr").length === 1);
  await page.getByTestId("users").getByRole("link", { name: email }).click();
  await page.waitForURL("**/admin/users/*");
  await waitForHydration(page);
  // The user's page shows what they are billed for; the invoice links to its page.
  assert.match(await page.getByTestId("user-subscription").textContent(), new RegExp(`${plan.name}.*active`));
  assert.equal(await page.getByTestId("user-memberships").textContent(), "Not a member of any creator.");
  await page.getByTestId("user-invoices").getByRole("link", { name: number }).click();
  await page.waitForURL(`**/admin/invoices?invoice=${number}`);
  await page.getByRole("heading", { name: `Invoice ${number}` }).waitFor();
  // A lookup typed in the form lands in the address too.
  await page.goto(BASE_URL + "/admin/invoices");
  await waitForHydration(page);
  await page.getByLabel("Invoice number or id").fill(number);
  await page.getByRole("button", { name: "Find invoice" }).click();
  await page.getByRole("heading", { name: `Invoice ${number}` }).waitFor();
  assert.match(page.url(), new RegExp(`invoice=${number}$`));
  await page.getByTestId("no-refunds").waitFor();
  assert.match(await page.getByTestId("refundable").textContent(), /20\.00/);

  await page.getByRole("button", { name: "Refund…" }).click();
  const dialog = page.getByRole("dialog", { name: "Refund this invoice" });
  await dialog.getByLabel("Amount").fill("25");
  await dialog.getByRole("button", { name: "Refund", exact: true }).click();
  await page.getByRole("alert").filter({ hasText: "amount" }).waitFor();
  await page.getByRole("button", { name: "Refund…" }).click();
  await dialog.getByLabel("Amount").fill("7.50");
  await dialog.getByLabel("Reason").selectOption("service_issue");
  await dialog.getByRole("button", { name: "Refund", exact: true }).click();
  await page.getByTestId("refunds").filter({ hasText: "7.50" }).waitFor();
  assert.match(await page.getByTestId("refundable").textContent(), /12\.50/);
  const [, refunds] = await api("GET", `/admin/invoices/${invoices.data[0].id}/refunds`, { token: root.token });
  assert.deepEqual(refunds.data.map((r) => [r.amount, r.status, r.reason]), [[7.5, "succeeded", "service_issue"]]);
  assert.deepEqual(await seriousViolations(page), []);
  assert.deepEqual(problems.filter((p) => !/status of 4\d\d/.test(p)), []);
  await context.close();
});

test("generate gift cards in bulk with progress and download their codes", async () => {
  const root = await superadmin();
  const { page, context, problems } = await newPage();
  await signInAs(page, root);
  await page.goto(BASE_URL + "/admin/gift-cards");
  await waitForHydration(page);
  await page.getByLabel("How many").fill("501");
  await page.getByRole("button", { name: "Generate gift cards" }).click();
  await page.getByRole("alert").filter({ hasText: "between 1 and 500" }).waitFor();

  await page.getByLabel("How many").fill("60");
  await page.getByLabel("Value of each").fill("15");
  await page.getByRole("button", { name: "Generate gift cards" }).click();
  await page.getByTestId("gift-cards-csv").waitFor();
  assert.equal(await page.getByTestId("progress-text").textContent(), "60 of 60 · 100 %");
  assert.equal(await page.getByRole("progressbar", { name: "Gift cards generated" }).getAttribute("value"), "100");
  const codes = await page.getByTestId("gift-card-codes").locator("li span:first-child").allTextContents();
  assert.equal(new Set(codes).size, 60);

  const download = page.waitForEvent("download");
  await page.getByTestId("gift-cards-csv").click();
  const file = await download;
  assert.equal(file.suggestedFilename(), "gift-cards.csv");
  const csv = readFileSync(await file.path(), "utf8").trim().split("\r\n");
  assert.equal(csv[0], "code,initial_value,currency,expires_at");
  assert.deepEqual(csv.slice(1).map((line) => line.split(",")[0]).sort(), [...codes].sort());

  // Each code is real: it looks up with its value.
  const [status, card] = await api("GET", `/gift-cards/${encodeURIComponent(codes[0])}`, { token: root.token });
  assert.equal(status, 200, JSON.stringify(card));
  assert.equal(card.initial_value, 15);
  assert.deepEqual(await seriousViolations(page), []);
  assert.deepEqual(problems.filter((p) => !/status of 4\d\d/.test(p)), []);
  await context.close();
});

test("create a coupon, disable it, delete it", async () => {
  const root = await superadmin();
  const code = `SPRING${Date.now()}`;
  const { page, context, problems } = await newPage();
  await signInAs(page, root);
  await page.goto(BASE_URL + "/admin/coupons");
  await waitForHydration(page);
  await page.getByLabel("Code").fill(code.toLowerCase());
  await page.getByLabel("Value").fill("150");
  await page.getByRole("button", { name: "Create coupon" }).click();
  await page.getByRole("alert").filter({ hasText: "discount value" }).waitFor();
  await page.getByLabel("Value").fill("15");
  await page.getByRole("button", { name: "Create coupon" }).click();
  const row = page.getByTestId("coupons").getByRole("row").filter({ hasText: code });
  await row.getByText("15 % off").waitFor();

  // Edit: the limit and last day change; a limit of 0 is refused with the reason.
  const edit = page.getByRole("dialog", { name: `Edit coupon ${code}` });
  await row.getByRole("button", { name: `Edit ${code}…` }).click();
  await edit.getByLabel("Redemption limit").fill("0");
  await edit.getByRole("button", { name: "Save coupon" }).click();
  await page.getByRole("alert").filter({ hasText: "at least 1" }).first().waitFor();
  await row.getByRole("button", { name: `Edit ${code}…` }).click();
  await edit.getByLabel("Description").fill("Spring sale for newsletter readers");
  await edit.getByLabel("Redemption limit").fill("40");
  await edit.getByLabel("Valid until").fill("2030-01-31");
  await edit.getByRole("button", { name: "Save coupon" }).click();
  await row.getByText("0 of 40").waitFor();
  const [, listed] = await api("GET", `/admin/coupons?limit=100`, { token: root.token });
  const edited = listed.data.find((c) => c.code === code);
  assert.deepEqual([edited.description, edited.max_redemptions, edited.valid_until.slice(0, 10), edited.discount_value],
    ["Spring sale for newsletter readers", 40, "2030-01-31", 15]);

  await row.getByRole("button", { name: `Disable ${code}` }).click();
  await row.getByRole("button", { name: `Enable ${code}` }).waitFor();
  const [, disabled] = await api("GET", `/admin/coupons?status=disabled&limit=100`, { token: root.token });
  assert.ok(disabled.data.some((c) => c.code === code));

  await row.getByRole("button", { name: `Delete ${code}…` }).click();
  await page.getByRole("dialog", { name: `Delete coupon ${code}` }).getByRole("button", { name: "Delete coupon" }).click();
  await row.waitFor({ state: "detached" });
  const [, all] = await api("GET", `/admin/coupons?limit=100`, { token: root.token });
  assert.ok(!all.data.some((c) => c.code === code));
  assert.deepEqual(await seriousViolations(page), []);
  assert.deepEqual(problems.filter((p) => !/status of 4\d\d/.test(p)), []);
  await context.close();
});
